import { describe, expect, it } from 'vitest';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { testRuntime } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

describe('workflows', () => {
  it('runs steps and returns the result', async () => {
    const calls: string[] = [];
    const wf = defineWorkflow('basic', async (ctx, input: { n: number }) => {
      const a = await ctx.step('a', () => {
        calls.push('a');
        return input.n + 1;
      });
      const b = await ctx.step('b', async () => {
        calls.push('b');
        return a * 2;
      });
      return { a, b };
    });
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, { n: 1 }, { runId: 'basic-1' });
    expect(await handle.result()).toEqual({ a: 2, b: 4 });
    expect(calls).toEqual(['a', 'b']);
    expect((await handle.status()).status).toBe('completed');
  });

  it('sleeps durably and wakes up', async () => {
    const wf = defineWorkflow('sleeper', async (ctx) => {
      const before = ctx.now();
      await ctx.sleep('100ms');
      return ctx.now() - before;
    });
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined);
    expect(await handle.result()).toBeGreaterThanOrEqual(100);
  });

  it('waits for a signal', async () => {
    const wf = defineWorkflow('signalled', async (ctx) => ctx.waitForSignal<{ ok: boolean }>('approval'));
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined, { runId: 's1' });
    await waitFor(async () => (await handle.status()).status === 'waiting');
    await rt.signal('s1', 'approval', { ok: true });
    expect(await handle.result()).toEqual({ ok: true });
  });

  it('runs a child workflow', async () => {
    const child = defineWorkflow('child', async (ctx, input: { x: number }) =>
      ctx.step('double', () => input.x * 2),
    );
    const parent = defineWorkflow('parent', async (ctx) => {
      const [a, b] = await Promise.all([ctx.child(child, { x: 1 }), ctx.child(child, { x: 2 })]);
      return a + b;
    });
    const rt = await testRuntime([parent, child]);
    const handle = await rt.start(parent, undefined);
    expect(await handle.result()).toBe(6);
  });
});
