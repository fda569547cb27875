import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/temp-dir.js';
import { EffectsLedger } from './effects-ledger.js';
import { runCrashApp } from './run-crash-app.js';

const RUNS = 200;

describe('recovery from SIGKILL at random moments', () => {
  it(`runs ${RUNS} workflows through repeated kills: nothing lost, nothing doubled`, {
    timeout: 240_000,
  }, async () => {
    const dir = tempDir();
    const paths = { db: join(dir, 'cairn.db'), effects: join(dir, 'effects.db') };
    let kills = 0;
    // Kill the app at random moments until one life finishes on its own.
    for (let life = 0; ; life++) {
      expect(life, 'the app never finished on its own').toBeLessThan(80);
      const exit = await runCrashApp(paths, RUNS, {
        killAfterMs: Math.floor(Math.random() * 500),
        concurrency: 32,
      });
      if (exit.signal === 'SIGKILL') {
        kills++;
        continue;
      }
      expect(exit.code, exit.stderr).toBe(0);
      // Side effects without reconcile() that a kill left in doubt wait for a person: be that person.
      if (!(await resolveInDoubtRuns(paths))) break;
    }
    expect(kills).toBeGreaterThan(2);

    const store = new SqliteStore({ path: paths.db });
    const ledger = new EffectsLedger(paths.effects);
    try {
      for (let i = 0; i < RUNS; i++) {
        const key = `default:order-${i}`;
        const run = await store.getRun('default', `order-${i}`);
        expect(run?.status, `order-${i}: ${run?.attention ?? ''}`).toBe('completed');
        const result = (run!.result as { inline: Record<string, unknown> }).inline;
        expect(result).toMatchObject({ quote: i * 2, approved: true, label: `label-order-${i}` });
        expect(ledger.count('applied', `${key}:1`), `reserve of order-${i}`).toBe(1);
        expect(ledger.count('charges', `${key}:2`), `charge of order-${i}`).toBe(1);
        expect(ledger.count('notifications', `${key}:5`), `notification of order-${i}`).toBe(1);
        expect(ledger.count('applied', `${key}:6:ship:0`), `label of order-${i}`).toBe(1);
        expect(result.chargeId).toBe(ledger.findCharge(`${key}:2`));
      }
      // The kills did land mid-run: some steps were called more than once (and their effects deduplicated).
      expect(ledger.calls('quote') + ledger.calls('reserve') + ledger.calls('label')).toBeGreaterThan(
        3 * RUNS,
      );
    } finally {
      await store.close();
      ledger.close();
    }
  });
});

/** Resolves every run waiting on an in-doubt notification by looking at the ledger. True if any was. */
async function resolveInDoubtRuns(paths: { db: string; effects: string }): Promise<boolean> {
  const runtime = await createRuntime({ store: `sqlite:${paths.db}`, worker: false });
  const ledger = new EffectsLedger(paths.effects);
  try {
    const waiting = await runtime.listRuns({ status: 'needs_attention', limit: 1_000 });
    for (const run of waiting) {
      const happened = ledger.count('notifications', `default:${run.runId}:5`) > 0;
      await runtime.resolve(run.runId, happened ? { action: 'complete', result: null } : { action: 'retry' });
    }
    return waiting.length > 0;
  } finally {
    ledger.close();
    await runtime.close();
  }
}
