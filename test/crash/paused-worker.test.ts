import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { describePostgres, freshSchema, POSTGRES_URL } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { EffectsLedger } from './effects-ledger.js';
import { transferWorkflow } from './transfer-workflow.js';

const APP = fileURLToPath(new URL('./transfer-app.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

await describePostgres('a worker frozen past its lease', () => {
  it('is fenced off: another worker reconciles its payment, and the store refuses its late result', {
    timeout: 60_000,
  }, async () => {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('schema', freshSchema('cairn_fence'));
    const store = url.toString();
    const effects = join(tempDir(), 'effects.db');
    const ledger = new EffectsLedger(effects);

    // The first worker makes the payment, and is frozen (a long GC pause, a stalled VM) before it can
    // record the result.
    const frozen = spawn(process.execPath, ['--import', 'tsx', APP, store, effects], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    frozen.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    frozen.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const failEarly = (code: number | null) => {
      throw new Error(`the worker exited (${code}) before paying: ${stderr}`);
    };
    frozen.once('exit', failEarly);
    await new Promise<void>((resolve) => {
      const freezeOnPayment = () => {
        if (!stdout.includes('paid')) return;
        frozen.kill('SIGSTOP');
        frozen.stdout.off('data', freezeOnPayment);
        resolve();
      };
      frozen.stdout.on('data', freezeOnPayment);
    });
    frozen.off('exit', failEarly);

    try {
      // Its lease runs out (the second worker's clock runs a minute ahead, standing for a long freeze;
      // no heartbeat of the frozen worker then races its late write). A second worker takes the run
      // over, asks the ledger whether the payment happened (it did), records it without paying again,
      // and finishes the run.
      const takeover = await createRuntime({
        store,
        workflows: [transferWorkflow(ledger)],
        worker: { leaseMs: 1_000, pollMs: 20, workerId: 'second-worker' },
        clock: () => Date.now() + 60_000,
      });
      const result = await takeover.handle<{ chargeId: number }>('transfer-1').result();
      expect(result.chargeId).toBe(ledger.findCharge('default:transfer-1:0'));

      // The frozen worker wakes and tries to record its own result: the store refuses the write.
      expect(stdout).not.toContain('returning');
      frozen.kill('SIGCONT');
      await waitFor(() => stderr.includes('refused'));
      expect(stderr).toMatch(
        /^refused stale_writer: The lease on run transfer-1 \(fence 1\) is no longer held/,
      );
      expect(frozen.exitCode, 'the refused worker keeps running').toBeNull();

      const { run, events } = await takeover.inspect('transfer-1');
      expect(run.status).toBe('completed');
      const completions = events.filter(
        ({ event }) => event.kind === 'step.completed' && event.position === 0,
      );
      expect(completions).toHaveLength(1);
      expect(events.at(-1)?.event.kind).toBe('run.completed');
      expect(ledger.count('charges', 'default:transfer-1:0'), 'paid exactly once').toBe(1);
      expect(ledger.calls('charge')).toBe(1);
      await takeover.close();
    } finally {
      frozen.kill('SIGCONT');
      frozen.kill('SIGKILL');
      ledger.close();
    }
  });
});
