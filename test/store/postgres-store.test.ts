import pg from 'pg';
import { expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { PostgresConnection } from '../../src/store/postgres/postgres-connection.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { describePostgres, freshSchema, POSTGRES_URL } from '../support/postgres.js';
import { runStoreConformance } from './run-store-conformance.js';

await describePostgres('PostgresStore', () => {
  runStoreConformance('PostgreSQL', () => PostgresStore.open({ url: POSTGRES_URL, schema: freshSchema() }));

  it('opens from a postgres:// URL, with its schema, and migrates safely when several open at once', async () => {
    const schema = freshSchema();
    const url = `${POSTGRES_URL}?schema=${schema}&pool=2`;
    const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
    expect(stores.every((store) => store.capabilities.pushWakeups)).toBe(true);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('tells listening workers when a run becomes claimable', async () => {
    const store = await PostgresStore.open({ url: POSTGRES_URL, schema: freshSchema() });
    let wakes = 0;
    const stop = await store.watchWakeups(() => wakes++);
    const before = wakes;
    await store.createRun({
      tenantId: 't',
      runId: 'r',
      workflow: 'wf',
      events: [{ kind: 'run.started', workflow: 'wf', input: { inline: 1 } }],
      blobs: [],
      now: 1,
    });
    const deadline = Date.now() + 2_000;
    while (wakes === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(wakes).toBeGreaterThan(before);
    await stop();
    await store.close();
  });
});

await describePostgres('PostgreSQL row-level security', () => {
  it('keeps tenants apart for a role that does not own the tables, even for a query that forgets its tenant', async () => {
    const schema = freshSchema();
    const owner = await PostgresStore.open({ url: POSTGRES_URL, schema });
    const role = `${schema}_app`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`);
    await admin.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${schema}" TO ${role}`);
    const appUrl = POSTGRES_URL.replace('postgres://postgres@', `postgres://${role}@`);
    const started = { kind: 'run.started' as const, workflow: 'wf', input: { inline: 1 } };
    try {
      const app = await PostgresStore.open({ url: appUrl, schema });
      await app.createRun({
        tenantId: 'tenant-a',
        runId: 'secret',
        workflow: 'wf',
        events: [started],
        blobs: [],
        now: 1,
      });
      await app.createRun({
        tenantId: 'tenant-b',
        runId: 'mine',
        workflow: 'wf',
        events: [started],
        blobs: [],
        now: 1,
      });
      expect(await app.getRun('tenant-b', 'secret')).toBeUndefined();
      expect((await app.listRuns({ tenantId: 'tenant-b' })).map((run) => run.runId)).toEqual(['mine']);
      // A query with no tenant filter at all, run in tenant B's scope, still sees only B's rows.
      const connection = await PostgresConnection.open({ url: appUrl, schema });
      const leaky = await connection.query<{ run_id: string }>(
        'tenant-b',
        `SELECT run_id FROM "${schema}".runs`,
      );
      expect(leaky.map((row) => row.run_id)).toEqual(['mine']);
      // The owner (as workers usually connect) sees both; so does cross-tenant claiming.
      expect((await owner.claim({ workerId: 'w', leaseMs: 1_000, limit: 10, now: 2 })).length).toBe(2);
      await connection.close();
      await app.close();
    } finally {
      await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await admin.end();
      await owner.close();
    }
  });
});
