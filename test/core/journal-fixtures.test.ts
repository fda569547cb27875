import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const FIXTURES = new URL('../fixtures/journals/', import.meta.url);
const RUN_ID = 'fixture-order';

interface FixtureLine {
  readonly seq: number;
  readonly v: number;
  readonly at: number;
  readonly body: { readonly kind: string };
}

/** Writes a fixture journal into a fresh SQLite store the way an older Cairn would have left it. */
async function storeWith(fixture: string): Promise<string> {
  const path = join(tempDir(), 'cairn.db');
  await new SqliteStore({ path }).close(); // create the schema
  const lines = readFileSync(new URL(fixture, FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureLine);
  const db = new Database(path);
  db.prepare(
    `INSERT INTO runs (tenant_id, run_id, workflow, status, available_at, created_at, updated_at)
     VALUES ('default', ?, 'fixture-order', 'runnable', 0, 0, 0)`,
  ).run(RUN_ID);
  db.prepare(
    `INSERT INTO signals (signal_id, tenant_id, run_id, name, payload, created_at)
     VALUES (1, 'default', ?, 'approval', '{"inline":{"approved":true}}', 0)`,
  ).run(RUN_ID);
  const insert = db.prepare(
    "INSERT INTO events (tenant_id, run_id, seq, kind, v, body, at) VALUES ('default', ?, ?, ?, ?, ?, ?)",
  );
  for (const line of lines)
    insert.run(RUN_ID, line.seq, line.body.kind, line.v, JSON.stringify(line.body), line.at);
  db.close();
  return path;
}

function fixtureWorkflow(calls: string[]) {
  return defineWorkflow('fixture-order', async (ctx, input: { id: string }) => {
    const quote = await ctx.step('quote', () => {
      calls.push('quote');
      return { price: 0 };
    });
    const at = ctx.now();
    await ctx.sleep('500ms');
    const approval = await ctx.waitForSignal<{ approved: boolean }>('approval', { timeout: '1h' });
    const charge = await ctx.step(
      'charge',
      () => {
        calls.push('charge');
        return 'charged twice';
      },
      { effect: 'side-effect', reconcile: async () => ({ applied: true, result: 'charge-7' }) },
    );
    const receipt = await ctx.step('receipt', () => {
      calls.push('receipt');
      return `receipt for ${input.id}`;
    });
    return { quote, at, approval, charge, receipt };
  });
}

async function open(path: string, calls: string[]): Promise<Runtime> {
  return createRuntime({
    store: `sqlite:${path}`,
    workflows: [fixtureWorkflow(calls)],
    worker: { pollMs: 20 },
  });
}

describe('frozen journal fixtures', () => {
  it('replays a version 1 journal: recorded results reused, the in-doubt side effect reconciled', async () => {
    const calls: string[] = [];
    const runtime = await open(await storeWith('v1-order.jsonl'), calls);
    expect(await runtime.handle(RUN_ID).result()).toEqual({
      quote: { price: 120 },
      at: 1764400000030,
      approval: { approved: true },
      charge: 'charge-7',
      receipt: 'receipt for 42',
    });
    expect(calls).toEqual(['receipt']);
    await runtime.close();
  });

  for (const [fixture, message] of [
    ['future-version.jsonl', /journal version 2; this Cairn reads versions 1 to 1/],
    ['unknown-kind.jsonl', /does not match the journal schema/],
  ] as const) {
    it(`stops for attention, journal untouched, on ${fixture}`, async () => {
      const calls: string[] = [];
      const path = await storeWith(fixture);
      const runtime = await open(path, calls);
      await waitFor(async () => (await runtime.getRun(RUN_ID))?.status === 'needs_attention');
      expect((await runtime.getRun(RUN_ID))?.attention).toMatch(message);
      expect(calls).toEqual([]);
      await runtime.close();
      const db = new Database(path, { readonly: true });
      expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 2 });
      db.close();
    });
  }
});
