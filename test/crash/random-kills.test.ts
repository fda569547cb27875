import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { expectEveryOrderDoneOnce, resolveInDoubtRuns } from './order-checks.js';
import { runCrashApp } from './run-crash-app.js';

const RUNS = 200;

describe('recovery from SIGKILL at random moments', () => {
  it(`runs ${RUNS} workflows through repeated kills: nothing lost, nothing doubled`, {
    timeout: 240_000,
  }, async () => {
    const dir = tempDir();
    const paths = { store: `sqlite:${join(dir, 'cairn.db')}`, effects: join(dir, 'effects.db') };
    let kills = 0;
    // Kill the app at random moments until one life finishes on its own.
    for (let life = 0; ; life++) {
      expect(life, 'the app never finished on its own').toBeLessThan(80);
      const exit = await runCrashApp(paths, RUNS, {
        // Early lives die within 300 ms of starting (mid-run on any machine); later ones may finish.
        killAfterMs: Math.floor(Math.random() * (life < 3 ? 300 : 500)),
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
    // At least one kill landed (the ledger check below shows that some landed mid-step).
    expect(kills).toBeGreaterThan(0);

    await expectEveryOrderDoneOnce(paths, RUNS, { killedMidStep: true });
  });
});
