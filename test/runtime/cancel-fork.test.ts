import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { testRuntime } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

describe('cancel', () => {
  it('cancels a waiting run and its waiting child; result() rejects with run_cancelled', async () => {
    const child = defineWorkflow('cancel-child', async (ctx) => ctx.waitForSignal('never'));
    const parent = defineWorkflow('cancel-parent', async (ctx) => ctx.child(child, {}));
    const rt = await testRuntime([parent, child]);
    const handle = await rt.start(parent, undefined, { runId: 'cp' });
    await waitFor(async () => (await rt.listRuns({ parentRunId: 'cp', status: 'waiting' })).length === 1);
    await waitFor(async () => (await handle.status()).status === 'waiting');
    const [childRun] = await rt.listRuns({ parentRunId: 'cp' });

    const cancelled = await rt.cancel('cp', { reason: 'customer changed their mind' });
    expect(cancelled.status).toBe('cancelled');
    expect((await rt.getRun(childRun!.runId))?.status).toBe('cancelled');
    const error = await handle.result().catch((e: unknown) => e);
    expect(isCairnError(error, 'run_cancelled')).toBe(true);
    const last = (await rt.inspect('cp')).events.at(-1)?.event;
    expect(last).toEqual({ kind: 'run.cancelled', reason: 'customer changed their mind' });
  });

  it('cancels a running step through its AbortSignal', async () => {
    let aborted = false;
    const wf = defineWorkflow('long-step', async (ctx) =>
      ctx.step('wait-for-abort', ({ signal }) => {
        return new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        });
      }),
    );
    const rt = await testRuntime([wf], { worker: { pollMs: 20, leaseMs: 60_000 } });
    const handle = await rt.start(wf, undefined, { runId: 'ls' });
    await waitFor(async () =>
      (await rt.inspect('ls')).events.some(({ event }) => event.kind === 'step.started'),
    );
    await rt.cancel('ls');
    await expect(handle.result()).rejects.toSatisfy((error) => isCairnError(error, 'run_cancelled'));
    expect(aborted).toBe(true);
  });

  it('leaves a finished run as it is', async () => {
    const wf = defineWorkflow('finished', async () => 1);
    const rt = await testRuntime([wf]);
    await (await rt.start(wf, undefined, { runId: 'f' })).result();
    expect((await rt.cancel('f')).status).toBe('completed');
  });
});

describe('fork', () => {
  it('starts a new run that reuses the results recorded before the fork position', async () => {
    const calls: string[] = [];
    const wf = defineWorkflow('forkable', async (ctx, input: { tag: string }) => {
      const a = await ctx.step('a', () => calls.push(`a-${input.tag}`));
      const b = await ctx.step('b', () => calls.push(`b-${input.tag}`));
      const c = await ctx.step('c', () => calls.push(`c-${input.tag}`));
      return [a, b, c];
    });
    const rt = await testRuntime([wf]);
    expect(await (await rt.start(wf, { tag: 'x' }, { runId: 'src' })).result()).toEqual([1, 2, 3]);
    const fork = await rt.fork('src', { at: 2, runId: 'src-fork' });
    expect(await fork.result()).toEqual([1, 2, 4]);
    expect(calls).toEqual(['a-x', 'b-x', 'c-x', 'c-x']);
    const started = (await rt.inspect('src-fork')).events[0]?.event;
    expect(started).toMatchObject({ kind: 'run.started', forkedFrom: { runId: 'src', position: 2 } });
    await expect(rt.fork('src', { at: -1 })).rejects.toThrow(/'at' must be a position/);
  });
});

describe('child runs', () => {
  it('propagates a child failure to the parent as child_failed', async () => {
    const child = defineWorkflow('failing-child', async () => {
      throw new Error('child broke');
    });
    const parent = defineWorkflow('catching-parent', async (ctx) => {
      try {
        await ctx.child(child, {});
        return 'no error';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    });
    const rt = await testRuntime([parent, child]);
    expect(await (await rt.start(parent, undefined)).result()).toBe(
      "child_failed: Child run of 'failing-child' failed: child broke",
    );
  });
});
