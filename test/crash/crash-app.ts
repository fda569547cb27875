/**
 * A process for the crash tests to kill. Starts (idempotently) `runs` order runs, approves each, and
 * exits 0 once every run is finished or needs a person. Run it again after a kill and it carries on.
 *
 *   node --import tsx test/crash/crash-app.ts <store> <effects.db> <runs> [concurrency]
 *
 * `<store>` is a store address (`sqlite:<file>` or `postgres://...`). Several apps may share one
 * PostgreSQL store: each starts every run (starting is idempotent) and works until none is live.
 *
 * Arm a crash point with CAIRN_CRASH_AT (see src/runtime/crash-points.ts).
 */
import { createRuntime } from '../../src/runtime/runtime.js';
import { EffectsLedger } from './effects-ledger.js';
import { orderWorkflows } from './order-workflow.js';

const [store, effectsPath, runsText, concurrencyText] = process.argv.slice(2);
if (store === undefined || effectsPath === undefined || runsText === undefined) {
  throw new Error('usage: crash-app.ts <store> <effects.db> <runs> [concurrency]');
}
const runs = Number(runsText);
const ledger = new EffectsLedger(effectsPath);
const { order, ship } = orderWorkflows(ledger);
const runtime = await createRuntime({
  store,
  workflows: [order, ship],
  worker: { concurrency: Number(concurrencyText ?? 16), pollMs: 20, leaseMs: 5_000 },
});

process.stdout.write('ready\n');

for (let i = 0; i < runs; i++) {
  const runId = `order-${i}`;
  await runtime.start(order, { amount: i }, { runId });
  const run = await runtime.getRun(runId);
  const approved = (await runtime.store.readSignals('default', runId)).some(
    (signal) => signal.name === 'approve',
  );
  if (run !== undefined && !['completed', 'failed', 'cancelled'].includes(run.status) && !approved) {
    await runtime.signal(runId, 'approve', { approved: true });
  }
}

for (;;) {
  const live = await runtime.listRuns({
    workflow: 'order',
    status: ['runnable', 'running', 'waiting'],
    limit: 1,
  });
  const liveChildren = await runtime.listRuns({
    workflow: 'ship',
    status: ['runnable', 'running', 'waiting'],
    limit: 1,
  });
  if (live.length === 0 && liveChildren.length === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 25));
}
await runtime.close();
ledger.close();
