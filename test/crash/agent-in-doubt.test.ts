import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { spawnCli } from '../cli/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { EffectsLedger } from './effects-ledger.js';

const APP = fileURLToPath(new URL('./in-doubt-agent-app.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runApp(
  dir: string,
  crashAt?: string,
): Promise<{ signal: string | null; code: number | null; stderr: string }> {
  const env = { ...process.env };
  delete env.CAIRN_CRASH_AT;
  if (crashAt !== undefined) env.CAIRN_CRASH_AT = crashAt;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', APP, join(dir, 'cairn.db'), join(dir, 'effects.db')],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Crashes the agent right after its charge, restarts it: the run waits for a person, the call shown. */
async function chargeInDoubt(): Promise<string> {
  const dir = tempDir();
  expect((await runApp(dir, 'after-effect:tool:charge')).signal).toBe('SIGKILL');
  const restarted = await runApp(dir);
  expect(restarted.code, restarted.stderr).toBe(0);
  const store = new SqliteStore({ path: join(dir, 'cairn.db') });
  const run = await store.getRun('default', 'agent-1');
  await store.close();
  expect(run?.status).toBe('needs_attention');
  expect(run?.attention).toMatch(
    /Step 'tool:charge' \(position \d+\) is a side effect whose outcome is unknown/,
  );
  const shown = await spawnCli(['runs', 'show', 'agent-1', '--store', `sqlite:${join(dir, 'cairn.db')}`]);
  expect(shown.stdout).toContain('charge');
  expect(shown.stdout).toContain('"amount":42');
  return dir;
}

async function finish(dir: string, resolution: string[]): Promise<unknown> {
  const resolved = await spawnCli([
    'runs',
    'resolve',
    'agent-1',
    ...resolution,
    '--store',
    `sqlite:${join(dir, 'cairn.db')}`,
  ]);
  expect(resolved.code, resolved.stderr).toBe(0);
  const restarted = await runApp(dir);
  expect(restarted.code, restarted.stderr).toBe(0);
  const store = new SqliteStore({ path: join(dir, 'cairn.db') });
  const run = await store.getRun('default', 'agent-1');
  await store.close();
  expect(run?.status).toBe('completed');
  const ledger = new EffectsLedger(join(dir, 'effects.db'));
  expect(ledger.calls('charge')).toBe(1); // never charged again
  ledger.close();
  // The model answered with the tool output it was shown.
  const result = run?.result as { inline: { output: string } } | undefined;
  return JSON.parse(result?.inline.output ?? 'null');
}

describe('a side-effect tool call left in doubt by a crash', () => {
  it('--skip: the model is told the call was skipped, its outcome unknown', async () => {
    const seen = await finish(await chargeInDoubt(), ['--skip']);
    expect(seen).toEqual({
      type: 'error-json',
      value: {
        error: { code: 'skipped', message: expect.stringMatching(/outcome unknown/), retryable: false },
      },
    });
  });

  it('--result JSON: the model sees the result the person recorded', async () => {
    const seen = await finish(await chargeInDoubt(), ['--result', '{"chargeId":1}']);
    expect(seen).toEqual({ type: 'json', value: { chargeId: 1 } });
  });
});
