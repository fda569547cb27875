/**
 * One worker process of the multi-worker bench: prints `ready`, waits for a line on stdin, then
 * executes the runs of the bench workloads (agent steps, wakeups) from the store until stdin closes.
 *
 *   node --import tsx bench/cairn/postgres-worker-app.ts <store> <concurrency> [effects]
 *
 * `effects` declares the workload's steps as in agent-workload.ts (default `declared`).
 */
import { createInterface } from 'node:readline';
import { createRuntime } from '../../dist/index.js';
import { agentWorkflow, type WorkloadOptions } from './agent-workload.js';
import { wakeWorkflow } from './wake-workload.js';

const [store, concurrencyText, effects = 'declared'] = process.argv.slice(2);
if (store === undefined || concurrencyText === undefined) {
  throw new Error('usage: postgres-worker-app.ts <store> <concurrency> [declared|deferred|defaults]');
}
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\n');
await lines.next();
const runtime = await createRuntime({
  store,
  workflows: [agentWorkflow({ effects: effects as WorkloadOptions['effects'] }), wakeWorkflow],
  worker: { concurrency: Number(concurrencyText) },
});
await lines.next(); // stdin closed, or a second line: stop
await runtime.close();
process.exit(0);
