import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('README examples', () => {
  it('examples/order-workflow.ts runs, and running it again returns the same result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-example-'));
    try {
      const run = () =>
        spawnSync(process.execPath, ['--import', 'tsx', 'examples/order-workflow.ts'], {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, CAIRN_STORE: `sqlite:${join(dir, 'cairn.db')}` },
        });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain("charge: 'ch_1', approved: true");
      const second = run();
      expect(second.stdout).toBe(first.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('examples/weather-agent.ts runs with `cairn run`, offline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-example-'));
    try {
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'run',
          'examples/weather-agent.ts',
          '--prompt',
          'Is it snowing in Oslo?',
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, OPENAI_API_KEY: '', CAIRN_STORE: `sqlite:${join(dir, 'cairn.db')}` },
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('weather');
      expect(run.stdout).toContain('it is snowing in Oslo, -3 °C.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
