import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { spawnCli } from './spawn-cli.js';

const FIXTURE = 'test/cli/fixtures/haiku-agent.ts';

describe('cairn run <file>', () => {
  const dir = tempDir('cairn-cli-run-');
  const store = `sqlite:${join(dir, 'cairn.db')}`;
  const cli = (...args: string[]) => spawnCli([...args, '--store', store]);

  it('runs the agent a file exports, with live progress, then prints its output and summary', async () => {
    const [ran, asJson, unknown, missing, badJson] = await Promise.all([
      cli('run', FIXTURE, '--prompt', 'a haiku about cairns', '--run-id', 'poem-1'),
      cli('run', FIXTURE, '--workflow', 'poet', '--input', '{"prompt":"another"}', '--json'),
      cli('run', FIXTURE, '--workflow', 'nope', '--prompt', 'x'),
      cli('run', 'test/cli/fixtures/nope.ts', '--prompt', 'x'),
      cli('run', FIXTURE, '--input', '{prompt:1}'),
    ]);
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    const out = ran.stdout;
    expect(out).toMatch(/^Run poem-1 \(poet\), store sqlite:/);
    // Progress: the model call with its tokens and cost, the tool calls, the sub-agent indented.
    expect(out).toMatch(
      /^\s+\+[\d.]+m?s {2}model: 300 in \/ 30 out tokens, \$0\.000063 → calls count_syllables, rhymer$/m,
    );
    expect(out).toMatch(/^\s+\+[\d.]+m?s {2}→ count_syllables \{"line":"a pile of stones"\}$/m);
    expect(out).toMatch(/^\s+\+[\d.]+m?s {2}✓ count_syllables → 6$/m);
    expect(out).toMatch(/^\s+\+[\d.]+m?s {2}↳ child run poem-1:3:rhymer \(rhymer\) started$/m);
    expect(out).toMatch(/^\s+\+[\d.]+m?s {4}model: 120 in \/ 8 out tokens, .* → "stone rhymes with alone"$/m);
    expect(out).toContain(
      'Output:\n  A pile of grey stones,\n  standing on the hill alone:\n  the cairn keeps the way.\n',
    );
    expect(out).toMatch(/^Steps\s+2 model calls$/m);
    expect(out).toMatch(/^Tool calls\s+2 \(count_syllables 1, rhymer 1\)$/m);
    expect(out).toMatch(/^With sub-agents\s+3 model calls, 840 in/m);

    expect(asJson).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      workflow: 'poet',
      status: 'completed',
      result: { output: expect.stringContaining('the cairn keeps the way'), summary: { steps: 2 } },
      usage: { modelCalls: 3 },
    });

    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe(
      `error: ${FIXTURE} exports no workflow or agent named 'nope'. It exports: 'poet', 'rhymer'.\n`,
    );
    expect(missing).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: No such file: test/cli/fixtures/nope.ts\n',
    });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(
      /option '--input <json>' argument '\{prompt:1\}' is invalid\. It is not valid JSON/,
    );
  });

  it('--detach prints the run id and leaves a background process that runs it to completion', async () => {
    // A store of its own: this test's run is executed by the background process, and only by it.
    const detachedStore = `sqlite:${join(dir, 'detached.db')}`;
    const started = await spawnCli([
      'run',
      FIXTURE,
      '--prompt',
      'in the background',
      '--detach',
      '--store',
      detachedStore,
    ]);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const runId = started.stdout.trim();
    expect(runId).toMatch(/^poet-\w+-\w+$/);
    const runtime = await createRuntime({ store: detachedStore, worker: false });
    try {
      await waitFor(
        async () => (await runtime.getRun(runId))?.status === 'completed',
        20_000,
        'the detached run',
      );
      const result = (await runtime.handle<{ output: string }>(runId).result()).output;
      expect(result).toContain('the cairn keeps the way');
    } finally {
      await runtime.close();
    }
  });
});
