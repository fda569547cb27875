/**
 * A worker process for the rate-limit tests: starts `runs` runs (ids `<prefix>-<n>`), each calling a
 * rate-limited API `calls` times, works on any run of the store until its own have completed, and
 * exits 0 (1 if one of them did not complete). Run several at once on one store.
 *
 *   node --import tsx test/crash/rate-limit-app.ts <store> <ledger.db> <prefix> <runs> <calls>
 */
import type { RateLimit } from '../../src/core/rate-limit.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { CallTimesLedger } from './call-times-ledger.js';

/** The API's limit, shared by every process on the store. */
const API_LIMIT = { calls: 5, per: '1s' } as const satisfies RateLimit;

const [store, ledgerPath, prefix, runsText, callsText] = process.argv.slice(2);
if (store === undefined || ledgerPath === undefined || prefix === undefined || callsText === undefined) {
  throw new Error('usage: rate-limit-app.ts <store> <ledger.db> <prefix> <runs> <calls>');
}
const ledger = new CallTimesLedger(ledgerPath);
const limited = defineWorkflow('limited-calls', async (ctx, input: { calls: number }) => {
  for (let i = 0; i < input.calls; i++) {
    await ctx.rateLimit('api', API_LIMIT);
    await ctx.step(`call-${i}`, ({ idempotencyKey }) => ledger.call(idempotencyKey));
  }
  return input.calls;
});
const runtime = await createRuntime({
  store,
  workflows: [limited],
  worker: { concurrency: 16, pollMs: 20, leaseMs: 5_000 },
});
const handles = [];
for (let i = 0; i < Number(runsText); i++) {
  handles.push(await runtime.start(limited, { calls: Number(callsText) }, { runId: `${prefix}-${i}` }));
}
const outcomes = await Promise.allSettled(handles.map((handle) => handle.result()));
await runtime.close();
ledger.close();
process.exitCode = outcomes.every((outcome) => outcome.status === 'fulfilled') ? 0 : 1;
