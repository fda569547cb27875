import { expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import type { AppendRequest, ClaimedRun } from '../../src/core/store.js';
import { PostgresAppends } from '../../src/store/postgres/postgres-append.js';
import { PostgresConnection } from '../../src/store/postgres/postgres-connection.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { describePostgres, freshSchema, POSTGRES_URL } from '../support/postgres.js';

const started = { kind: 'run.started' as const, workflow: 'wf', input: { inline: 1 } };

await describePostgres('PostgreSQL batched appends', () => {
  it('apply each append of a batch on its own: a refused one refuses only itself', async () => {
    const schema = freshSchema();
    const store = await PostgresStore.open({ url: POSTGRES_URL, schema });
    const db = await PostgresConnection.open({ url: POSTGRES_URL, schema });
    try {
      const runIds = ['r-c', 'r-a', 'r-stale', 'r-b'];
      for (const runId of runIds)
        await store.createRun({ tenantId: 't', runId, workflow: 'wf', events: [started], blobs: [], now: 1 });
      await store.createRun({
        tenantId: 't',
        runId: 'r-child',
        workflow: 'wf',
        parentRunId: 'r-a',
        events: [started],
        blobs: [],
        now: 1,
      });
      const claimed = new Map<string, ClaimedRun>(
        (await store.claim({ workerId: 'w1', leaseMs: 60_000, limit: 10, now: 2 })).map((run) => [
          run.runId,
          run,
        ]),
      );
      expect(claimed.size).toBe(5);
      // Another worker takes r-stale over (its lease released, then claimed again): w1's fence is stale.
      await store.release({ ...claimed.get('r-stale')!, now: 3 });
      await store.claim({ workerId: 'w2', leaseMs: 60_000, limit: 1, now: 4 });

      const blob = { hash: 'f'.repeat(64), encoding: 'text' as const, data: 'a payload' };
      const append = (runId: string, extra: Partial<AppendRequest> = {}): AppendRequest => ({
        ...claimed.get(runId)!,
        expectedSeq: 1,
        events: [{ kind: 'value.recorded', position: 0, name: 'now', value: 5 }],
        blobs: [],
        now: 5,
        ...extra,
      });
      const requests = [
        append('r-c', { blobs: [blob] }),
        append('r-stale'),
        append('r-a', { expectedSeq: 7 }),
        append('r-b'),
        append('r-child', { outcome: { status: 'completed', result: { inline: 'done' } } }),
      ];
      const results = await new PostgresAppends(db, `cairn_wake_${schema}`).many(requests);

      // In the order asked, whatever order the batch applied them in.
      expect(results[0]).toEqual({ lastSeq: 2, cancelRequested: false });
      expect(isCairnError(results[1], 'stale_writer')).toBe(true);
      expect(isCairnError(results[2], 'sequence_conflict')).toBe(true);
      expect((results[2] as Error).message).toMatch(/Run r-a has 1 events, but the writer expected 7/);
      expect(results[3]).toEqual({ lastSeq: 2, cancelRequested: false });
      expect(results[4]).toEqual({ lastSeq: 2, cancelRequested: false });

      const kinds = async (runId: string) =>
        (await store.readEvents('t', runId)).map(({ event }) => event.kind);
      expect(await kinds('r-c')).toEqual(['run.started', 'value.recorded']);
      expect(await kinds('r-stale')).toEqual(['run.started']);
      expect(await kinds('r-a')).toEqual(['run.started']);
      expect((await store.getBlobs('t', [blob.hash])).get(blob.hash)?.data).toBe('a payload');
      // The child's completion ended it and woke its parent, as a single append does.
      expect((await store.getRun('t', 'r-child'))?.status).toBe('completed');
      expect((await store.getRun('t', 'r-a'))?.lastSeq).toBe(1);
    } finally {
      await db.close();
      await store.close();
    }
  });

  it('the store batches appends that arrive while others are in flight, with the same results', async () => {
    const store = await PostgresStore.open({ url: POSTGRES_URL, schema: freshSchema() });
    try {
      const runs = 40;
      for (let i = 0; i < runs; i++)
        await store.createRun({
          tenantId: 't',
          runId: `r${i}`,
          workflow: 'wf',
          events: [started],
          blobs: [],
          now: 1,
        });
      const claimed = await store.claim({ workerId: 'w', leaseMs: 60_000, limit: runs, now: 2 });
      // Ten appends per run, each run's in sequence, all runs at once.
      await Promise.all(
        claimed.map(async (run) => {
          let seq = run.lastSeq;
          for (let position = 0; position < 10; position++) {
            const result = await store.append({
              ...run,
              expectedSeq: seq,
              events: [{ kind: 'value.recorded', position, name: 'random', value: position }],
              blobs: [],
              now: 3,
            });
            expect(result.lastSeq).toBe(seq + 1);
            seq = result.lastSeq;
          }
        }),
      );
      for (const run of claimed) expect((await store.readEvents('t', run.runId)).length).toBe(11);
    } finally {
      await store.close();
    }
  });
});
