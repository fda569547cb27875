import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { serveOpenAICompatible } from '../support/serve-openai-compatible.js';
import { tempDir } from '../support/temp-dir.js';
import { EffectsLedger } from './effects-ledger.js';

const APP = fileURLToPath(new URL('./agent-app.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runApp(
  args: string[],
  crashAt?: string,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const env = { ...process.env };
  delete env.CAIRN_CRASH_AT;
  if (crashAt !== undefined) env.CAIRN_CRASH_AT = crashAt;
  const child = spawn(process.execPath, ['--import', 'tsx', APP, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

describe('an agent killed with SIGKILL', () => {
  for (const crashAt of ['after-effect:tool:book', 'after-result:model', 'before-intent:tool:book']) {
    it(`at ${crashAt} carries on after a restart without calling the model again or booking twice`, async () => {
      const server = await serveOpenAICompatible(
        { toolCalls: [{ name: 'book', input: { guests: 4 }, id: 'call_book' }] },
        { text: 'Booked a table for 4.' },
      );
      const dir = tempDir();
      const args = [join(dir, 'cairn.db'), join(dir, 'effects.db'), server.url];

      const crashed = await runApp(args, crashAt);
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      const restarted = await runApp(args);
      expect(restarted.code, restarted.stderr).toBe(0);

      expect(server.requests).toHaveLength(2); // each model call made once, across both processes
      const ledger = new EffectsLedger(join(dir, 'effects.db'));
      // The booking is position 2 of the run (its start time is 0, the first model call 1).
      expect(ledger.count('applied', 'default:agent-1:2')).toBe(1);
      ledger.close();
      const store = new SqliteStore({ path: join(dir, 'cairn.db') });
      const run = await store.getRun('default', 'agent-1');
      expect(run?.status).toBe('completed');
      await store.close();
    });
  }
});
