/**
 * A worker process for the fencing test: starts the `transfer` run and executes it (30 s leases),
 * printing `paid` once the payment is made (for the test to freeze the process with SIGSTOP) and
 * `returning` when the step is about to return its result. Every journal write the store refuses is
 * reported on stderr as `refused <code>: <message>`.
 *
 *   node --import tsx test/crash/transfer-app.ts <store> <effects.db>
 */
import { isCairnError } from '../../src/core/errors.js';
import type { Store } from '../../src/core/store.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import { EffectsLedger } from './effects-ledger.js';
import { transferWorkflow } from './transfer-workflow.js';

const [address, effectsPath] = process.argv.slice(2);
if (address === undefined || effectsPath === undefined) {
  throw new Error('usage: transfer-app.ts <store> <effects.db>');
}
const ledger = new EffectsLedger(effectsPath);
const transfer = transferWorkflow(ledger, (moment) => process.stdout.write(`${moment}\n`));

const store = await openStore(address);
const reporting: Store = Object.create(store, {
  append: {
    value: (request: Parameters<Store['append']>[0]) =>
      store.append(request).catch((error: unknown) => {
        const code = isCairnError(error) ? error.code : 'unknown';
        process.stderr.write(`refused ${code}: ${(error as Error).message}\n`);
        throw error;
      }),
  },
});

const runtime = await createRuntime({
  store: reporting,
  workflows: [transfer],
  worker: { leaseMs: 30_000, pollMs: 20, workerId: 'frozen-worker' },
  onError: (error) => process.stderr.write(`error: ${(error as Error).message}\n`),
});
await runtime.start(transfer, undefined, { runId: 'transfer-1' });
process.on('SIGTERM', () => {
  void runtime.close(100).then(() => process.exit(0));
});
