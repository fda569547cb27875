import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describePostgres, freshSchema, POSTGRES_URL } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';
import { expectEveryOrderDoneOnce, resolveInDoubtRuns } from './order-checks.js';
import { runCrashApp } from './run-crash-app.js';

const RUNS = 1_000;

await describePostgres('several worker processes sharing one PostgreSQL store', () => {
  it(`run ${RUNS} workflows while two of four workers are SIGKILLed: all complete, no effect twice`, {
    timeout: 300_000,
  }, async () => {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('schema', freshSchema('cairn_workers'));
    const paths = { store: url.toString(), effects: join(tempDir(), 'effects.db') };

    // Four processes on one store, each starting every run (idempotently) and working until none is
    // live; two are killed mid-way, and the others take over the runs they held.
    const exits = await Promise.all([
      runCrashApp(paths, RUNS, { concurrency: 32 }),
      runCrashApp(paths, RUNS, { concurrency: 32, killAfterMs: 1_500 }),
      runCrashApp(paths, RUNS, { concurrency: 32, killAfterMs: 3_000 }),
      runCrashApp(paths, RUNS, { concurrency: 32 }),
    ]);
    expect(exits.map((exit) => exit.signal ?? exit.code)).toEqual([0, 'SIGKILL', 'SIGKILL', 0]);

    // Notifications (side effects without reconcile()) that a kill left in doubt wait for a person.
    while (await resolveInDoubtRuns(paths)) {
      const exit = await runCrashApp(paths, RUNS);
      expect(exit.code, exit.stderr).toBe(0);
    }

    const callers = await expectEveryOrderDoneOnce(paths, RUNS);
    for (const exit of exits)
      expect(callers.get(exit.pid), `steps run by worker ${exit.pid}`).toBeGreaterThan(0);
  });
});
