import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { tempDir } from '../support/temp-dir.js';
import { approval, flaky, greet, makeDriftedRun, WORKER, waitForStatus } from './cli-fixtures.js';
import { spawnCli } from './spawn-cli.js';

describe('cairn CLI', () => {
  const dir = tempDir('cairn-cli-');
  const store = `sqlite:${join(dir, 'cairn.db')}`;
  const cli = (...args: string[]) => spawnCli([...args, '--store', store]);
  let runtime: Runtime;

  beforeAll(async () => {
    // A runtime with a worker stays open for the whole file, as a deployed service would.
    runtime = await createRuntime({ store, workflows: [greet, approval, flaky], worker: WORKER });
    await (await runtime.start(greet, { name: 'Ada' }, { runId: 'greet-1' })).result();
    await expect((await runtime.start(flaky, undefined, { runId: 'flaky-1' })).result()).rejects.toThrow(
      /card declined/,
    );
    await runtime.start(approval, { amount: 42 }, { runId: 'approval-1' });
    await runtime.start(approval, { amount: 7 }, { runId: 'approval-2' });
    await runtime.start(approval, { amount: 3 }, { runId: 'approval-3' });
    await makeDriftedRun(store, 'drift-1');
    await waitForStatus(runtime, 'approval-1', 'waiting');
    await waitForStatus(runtime, 'approval-2', 'waiting');
    await waitForStatus(runtime, 'approval-3', 'waiting');
  });

  afterAll(async () => {
    await runtime?.close(100);
  });

  it('lists runs as a table, newest first, with a note on runs that need attention', async () => {
    const [all, filtered] = await Promise.all([
      cli('runs', 'list'),
      // The store may also come from CAIRN_STORE, and the global options may come first.
      spawnCli(['--tenant', 'default', 'runs', 'list', '--status', 'failed,needs_attention'], {
        CAIRN_STORE: store,
      }),
    ]);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN ID\s+WORKFLOW\s+STATUS\s+CREATED\s+UPDATED\s+NOTE$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([
      'drift-1',
      'approval-3',
      'approval-2',
      'approval-1',
      'flaky-1',
      'greet-1',
    ]);
    expect(all.stdout).toMatch(/^greet-1\s+greet\s+completed\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+\d{4}-/m);
    expect(all.stdout).toMatch(/^drift-1\s+drift\s+needs_attention\s+.*Workflow 'drift' does not match/m);
    expect(all.stdout).toMatch(/^flaky-1\s+flaky\s+failed\s+.*card declined/m);

    expect(filtered).toMatchObject({ code: 0, stderr: '' });
    expect(
      filtered.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['drift-1', 'flaky-1']);
  });

  it('lists runs as JSON, with results decoded', async () => {
    const { code, stdout } = await cli('runs', 'list', '--workflow', 'greet', '--json');
    expect(code).toBe(0);
    const runs = JSON.parse(stdout) as { runId: string; status: string; result: unknown }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      runId: 'greet-1',
      status: 'completed',
      result: { hello: 'Hello, Ada', size: 3000 },
    });
  });

  it('shows a run: a header, then the journal as a timeline', async () => {
    const [completed, failed, drifted] = await Promise.all([
      cli('runs', 'show', 'greet-1'),
      cli('runs', 'show', 'flaky-1'),
      cli('runs', 'show', 'drift-1'),
    ]);
    expect(completed).toMatchObject({ code: 0, stderr: '' });
    expect(completed.stdout).toMatch(/^Run\s+greet-1$/m);
    expect(completed.stdout).toMatch(/^Status\s+completed$/m);
    expect(completed.stdout).toMatch(/^Parent\s+-$/m);
    expect(completed.stdout).toMatch(/^Input\s+\{"name":"Ada"\}$/m);
    expect(completed.stdout).toMatch(/^Result\s+\{"hello":"Hello, Ada","size":3000\}$/m);
    expect(completed.stdout).toMatch(/^Journal: 8 events$/m);
    expect(completed.stdout).toMatch(/^\s+1\s+\+0ms\s+run\.started\s+greet, input \{"name":"Ada"\}$/m);
    expect(completed.stdout).toMatch(
      /^\s+2\s+\+\d+ms\s+step\.started\s+#0\s+hello\s+attempt 1, idempotent$/m,
    );
    expect(completed.stdout).toMatch(/^\s+3\s+\+\d+ms\s+step\.completed\s+#0\s+hello\s+"Hello, Ada"$/m);
    // A value stored as a blob is decoded, and its preview cut short.
    expect(completed.stdout).toMatch(/^\s+5\s+\+\d+ms\s+step\.completed\s+#1\s+big\s+"x{70,79}…$/m);
    expect(completed.stdout).toMatch(/^\s+6\s+\S+\s+timer\.set\s+#2\s+\S+\s+wake at \d{4}-[\d-]+T[\d:.]+Z$/m);

    expect(failed.stdout).toMatch(
      /^Error\s+CairnError: Step 'charge' failed after 2 attempt.*\[step_failed\]$/m,
    );
    expect(failed.stdout).toMatch(
      /step\.failed\s+#0\s+charge\s+attempt 1: Error: card declined by the bank; retry at /,
    );
    expect(failed.stdout).toMatch(/step\.failed\s+#0\s+charge\s+attempt 2: .*; no more attempts$/m);
    expect(failed.stdout).toMatch(/run\.failed\s+CairnError: Step 'charge' failed/);

    expect(drifted.stdout).toMatch(/^Status\s+needs_attention$/m);
    expect(drifted.stdout).toMatch(/^Attention\s+Workflow 'drift' does not match the journal/m);
  });

  it('shows a run as JSON: { run, events } with values decoded', async () => {
    const { code, stdout } = await cli('runs', 'show', 'greet-1', '--json');
    expect(code).toBe(0);
    const { run, events } = JSON.parse(stdout) as {
      run: { runId: string; result: unknown };
      events: { seq: number; at: number; event: Record<string, unknown> }[];
    };
    expect(run).toMatchObject({ runId: 'greet-1', result: { hello: 'Hello, Ada', size: 3000 } });
    expect(events.map(({ event }) => event.kind)).toEqual([
      'run.started',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'timer.set',
      'timer.fired',
      'run.completed',
    ]);
    expect(events[0]).toMatchObject({ seq: 1, event: { input: { name: 'Ada' } } });
    expect(events[4]?.event.result).toBe('x'.repeat(3000));
  });

  it('sends a signal that a waiting run takes', async () => {
    const sent = await cli('signal', 'approval-1', 'approval', '{"approved":true}');
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toContain("Sent signal 'approval' to run approval-1.");
    expect(await runtime.handle('approval-1').result()).toEqual({
      quote: { amount: 42, currency: 'EUR' },
      decision: { approved: true },
    });
  });

  it('cancels a run', async () => {
    const cancelled = await cli('runs', 'cancel', 'approval-2', '--reason', 'no longer needed');
    expect(cancelled).toMatchObject({ code: 0, stderr: '' });
    expect(cancelled.stdout).toContain('Run approval-2: cancelled.');
    const { run, events } = await runtime.inspect('approval-2');
    expect(run.status).toBe('cancelled');
    expect(events.at(-1)?.event).toEqual({ kind: 'run.cancelled', reason: 'no longer needed' });
  });

  it('forks a run from a step (--from-step, or --at); a worker executes the fork', async () => {
    const [forked, asJson] = await Promise.all([
      cli('runs', 'fork', 'greet-1', '--from-step', '#1', '--run-id', 'greet-1-fork'),
      cli('runs', 'fork', 'greet-1', '--at', '2', '--run-id', 'greet-1-fork-2', '--json'),
    ]);
    expect(forked).toMatchObject({ code: 0, stderr: '' });
    expect(forked.stdout).toContain('Forked greet-1 at #1: new run greet-1-fork');
    expect(forked.stdout).toContain("A worker running workflow 'greet' will execute it.");
    expect(asJson).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      sourceRunId: 'greet-1',
      fromStep: 2,
      runId: 'greet-1-fork-2',
      workflow: 'greet',
    });
    const { events } = await runtime.inspect('greet-1-fork');
    expect(events[0]?.event).toMatchObject({
      kind: 'run.started',
      forkedFrom: { runId: 'greet-1', position: 1 },
    });
    expect(await runtime.handle('greet-1-fork').result()).toEqual({ hello: 'Hello, Ada', size: 3000 });
    expect(await runtime.handle('greet-1-fork-2').result()).toEqual({ hello: 'Hello, Ada', size: 3000 });
  });

  it('prints what a control command did as JSON', async () => {
    const [signalled, cancelled, resumed] = await Promise.all([
      cli('signal', 'approval-3', 'approval', '{"approved":false}', '--json'),
      cli('runs', 'cancel', 'greet-1', '--json'),
      cli('runs', 'resume', 'drift-1', '--json'),
    ]);
    for (const result of [signalled, cancelled, resumed])
      expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(signalled.stdout)).toEqual({
      runId: 'approval-3',
      signal: 'approval',
      payload: { approved: false },
    });
    expect(JSON.parse(cancelled.stdout)).toMatchObject({
      runId: 'greet-1',
      previousStatus: 'completed',
      status: 'completed',
      finished: true,
    });
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: 'drift-1', resumed: true, workflow: 'drift' });
    await waitForStatus(runtime, 'approval-3', 'completed');
  });

  it('reports errors in plain lines: exit 1 for failures, 2 for usage', async () => {
    const [nothing, noAction, unknownRun, badJson, unknownCommand] = await Promise.all([
      cli('runs', 'resolve', 'drift-1', '--retry'),
      cli('runs', 'resolve', 'drift-1'),
      cli('runs', 'show', 'nope'),
      cli('signal', 'approval-1', 'approval', '{approved:true}'),
      cli('runz', 'list'),
    ]);
    expect(nothing).toMatchObject({ code: 1, stdout: '' });
    expect(nothing.stderr).toMatch(/^error: Run drift-1 has no step waiting to be resolved\..*\n$/);

    expect(noAction.code).toBe(2);
    expect(noAction.stderr).toContain('--retry, --complete <json>, --fail <message> or --skip');

    expect(unknownRun).toMatchObject({ code: 1, stdout: '' });
    expect(unknownRun.stderr).toBe('error: No run with id "nope". List runs with: cairn runs list\n');

    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/argument 'json'.*not valid JSON/);

    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("error: unknown command 'runz'");
    for (const result of [nothing, noAction, unknownRun, badJson, unknownCommand]) {
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('says how to start when the store has no runs, and where it looked when there is no store', async () => {
    const empty = `sqlite:${join(dir, 'empty.db')}`;
    await (await createRuntime({ store: empty, worker: false })).close();
    const [listed, missing] = await Promise.all([
      spawnCli(['runs', 'list', '--store', empty]),
      spawnCli(['runs', 'list', '--store', `sqlite:${join(dir, 'nowhere', 'cairn.db')}`]),
    ]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('No runs yet');
    expect(listed.stdout).toContain('npm run demo');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No Cairn store at .*nowhere.*--store/);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});
