import { expect } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import { EffectsLedger } from './effects-ledger.js';
import type { CrashPaths } from './run-crash-app.js';

/**
 * What a person does for runs waiting on an in-doubt notification: looks at the outside world, then
 * tells Cairn what happened. True if any run was waiting.
 */
export async function resolveInDoubtRuns(paths: CrashPaths): Promise<boolean> {
  const runtime = await createRuntime({ store: paths.store, worker: false });
  const ledger = new EffectsLedger(paths.effects);
  try {
    const waiting = await runtime.listRuns({ status: 'needs_attention', limit: 10_000 });
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

/**
 * Checks that order runs 0..runs-1 all completed with the right results, and that the outside world
 * saw each of their effects exactly once. Returns the ledger's count of step calls, by process id.
 */
export async function expectEveryOrderDoneOnce(
  paths: CrashPaths,
  runs: number,
  options: { killedMidStep?: boolean } = {},
): Promise<Map<number, number>> {
  const store = await openStore(paths.store);
  const ledger = new EffectsLedger(paths.effects);
  try {
    for (let i = 0; i < runs; i++) {
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
    if (options.killedMidStep === true) {
      // The kills did land mid-step: some were called more than once (and their effects deduplicated).
      const calls = ledger.calls('quote') + ledger.calls('reserve') + ledger.calls('label');
      expect(calls).toBeGreaterThan(3 * runs);
    }
    return ledger.callers();
  } finally {
    await store.close();
    ledger.close();
  }
}
