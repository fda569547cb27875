import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import { tempDir } from '../support/temp-dir.js';
import { EffectsLedger } from './effects-ledger.js';
import type { OrderResult } from './order-workflow.js';
import { type CrashPaths, runCrashApp } from './run-crash-app.js';

/**
 * Each case kills a real process with SIGKILL at one named crash point, restarts it, and checks with a
 * ledger kept outside Cairn that every effect happened exactly once (or, for a side effect that cannot
 * be reconciled, at most once, with the run waiting for a person).
 */
const KEY = 'default:order-0';

interface Scenario {
  readonly crashAt: string;
  readonly expect: 'completed' | 'needs_attention';
}

const scenarios: Scenario[] = [
  { crashAt: 'after-effect:quote', expect: 'completed' },
  { crashAt: 'before-intent:reserve', expect: 'completed' },
  { crashAt: 'after-intent:reserve', expect: 'completed' },
  { crashAt: 'after-effect:reserve', expect: 'completed' },
  { crashAt: 'after-result:reserve', expect: 'completed' },
  { crashAt: 'before-intent:charge', expect: 'completed' },
  { crashAt: 'after-intent:charge', expect: 'completed' },
  { crashAt: 'after-effect:charge', expect: 'completed' },
  { crashAt: 'after-result:charge', expect: 'completed' },
  { crashAt: 'during-timer:sleep-1', expect: 'completed' },
  { crashAt: 'during-signal:approve', expect: 'completed' },
  { crashAt: 'after-effect:label', expect: 'completed' },
  { crashAt: 'after-intent:notify', expect: 'needs_attention' },
  { crashAt: 'after-effect:notify', expect: 'needs_attention' },
];

describe('recovery from SIGKILL at each crash point', () => {
  it.concurrent.each(scenarios)(
    '$crashAt: the run ends $expect, each effect at most once',
    async (scenario) => {
      const dir = tempDir();
      const paths = { store: `sqlite:${join(dir, 'cairn.db')}`, effects: join(dir, 'effects.db') };

      const crashed = await runCrashApp(paths, 1, { crashAt: scenario.crashAt });
      expect(
        crashed.signal,
        `the app should have been killed at ${scenario.crashAt}: ${crashed.stderr}`,
      ).toBe('SIGKILL');
      const restarted = await runCrashApp(paths, 1);
      expect(restarted.code, restarted.stderr).toBe(0);

      const store = await openStore(paths.store);
      const ledger = new EffectsLedger(paths.effects);
      try {
        const run = await store.getRun('default', 'order-0');
        expect(run?.status).toBe(scenario.expect);
        expect(ledger.count('applied', `${KEY}:1`)).toBe(1); // reserve
        expect(ledger.count('charges', `${KEY}:2`)).toBe(1); // charge
        if (scenario.expect === 'completed') {
          expect(ledger.count('notifications', `${KEY}:5`)).toBe(1);
          expect(ledger.count('applied', `default:order-0:6:ship:0`)).toBe(1); // the child's label
          expect(run?.result).toEqual({
            inline: { quote: 0, chargeId: 1, approved: true, label: 'label-order-0' } satisfies OrderResult,
          });
        } else {
          // The notification's outcome is unknown to Cairn: it happened once or not at all, never twice.
          const notified = ledger.count('notifications', `${KEY}:5`);
          expect(notified).toBe(scenario.crashAt === 'after-effect:notify' ? 1 : 0);
          expect(run?.attention).toMatch(
            /Step 'notify' \(position 5\) is a side effect whose outcome is unknown/,
          );
          await resolveAndFinish(paths, notified === 1);
        }
      } finally {
        await store.close();
        ledger.close();
      }
    },
  );
});

/** What a person does: look at the outside world, then tell Cairn what happened; the run then finishes. */
async function resolveAndFinish(paths: CrashPaths, happened: boolean): Promise<void> {
  const runtime = await createRuntime({ store: paths.store, worker: false });
  await runtime.resolve('order-0', happened ? { action: 'complete', result: null } : { action: 'retry' });
  await runtime.close();
  const finished = await runCrashApp(paths, 1);
  expect(finished.code, finished.stderr).toBe(0);
  const store = await openStore(paths.store);
  const ledger = new EffectsLedger(paths.effects);
  expect((await store.getRun('default', 'order-0'))?.status).toBe('completed');
  expect(ledger.count('notifications', `${KEY}:5`)).toBe(1);
  await store.close();
  ledger.close();
}
