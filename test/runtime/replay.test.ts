import { describe, expect, it } from 'vitest';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { testRuntime, testStoreAddress } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('replay', () => {
  it('returns recorded results after a restart without calling the steps again', async () => {
    const store = testStoreAddress();
    let calls = 0;
    const wf = defineWorkflow('restart', async (ctx) => {
      const value = await ctx.step('count', () => ++calls);
      const extra = await ctx.waitForSignal<number>('more');
      return value + extra;
    });
    const first = await testRuntime([wf], { store });
    const handle = await first.start(wf, undefined, { runId: 'r' });
    await waitFor(async () => (await handle.status()).status === 'waiting');
    await first.close();

    const second = await testRuntime([wf], { store });
    await second.signal('r', 'more', 10);
    expect(await second.handle('r').result()).toBe(11);
    expect(calls).toBe(1);
  });

  it('replays parallel steps that finished out of order, in the order they finished', async () => {
    const store = testStoreAddress();
    const calls: string[] = [];
    const step = (name: string, ms: number) => async () => {
      calls.push(name);
      await delay(ms);
      return name;
    };
    const wf = defineWorkflow('parallel', async (ctx) => {
      // Branch one is slow, so branch two's second step is called first and gets the earlier position.
      const one = (async () => [
        await ctx.step('slow', step('slow', 60)),
        await ctx.step('after-slow', step('after-slow', 0)),
      ])();
      const two = (async () => [
        await ctx.step('fast', step('fast', 0)),
        await ctx.step('after-fast', step('after-fast', 0)),
      ])();
      const results = await Promise.all([one, two]);
      await ctx.waitForSignal('finish');
      return results;
    });
    const first = await testRuntime([wf], { store });
    const handle = await first.start(wf, undefined, { runId: 'p' });
    await waitFor(async () => (await handle.status()).status === 'waiting');
    const positions = (await first.inspect('p')).events.flatMap(({ event }) =>
      event.kind === 'step.completed' ? [`${event.position}:${event.name}`] : [],
    );
    expect(positions).toEqual(['1:fast', '2:after-fast', '0:slow', '3:after-slow']);
    await first.close();

    const second = await testRuntime([wf], { store });
    await second.signal('p', 'finish');
    expect(await second.handle('p').result()).toEqual([
      ['slow', 'after-slow'],
      ['fast', 'after-fast'],
    ]);
    expect(calls.sort()).toEqual(['after-fast', 'after-slow', 'fast', 'slow']);
    expect((await second.getRun('p'))?.status).toBe('completed');
  });

  it('records ctx.now() and ctx.random() so replay sees the same values', async () => {
    const store = testStoreAddress();
    const wf = defineWorkflow('values', async (ctx) => {
      const seen = { now: ctx.now(), random: ctx.random() };
      await ctx.waitForSignal('go');
      return { ...seen, later: ctx.now() >= seen.now };
    });
    const first = await testRuntime([wf], { store });
    const handle = await first.start(wf, undefined, { runId: 'v' });
    await waitFor(async () => (await handle.status()).status === 'waiting');
    const recorded = (await first.inspect('v')).events.flatMap(({ event }) =>
      event.kind === 'value.recorded' ? [event.value] : [],
    );
    await first.close();
    await delay(5);
    const second = await testRuntime([wf], { store });
    await second.signal('v', 'go');
    const result = (await second.handle('v').result()) as { now: number; random: number; later: boolean };
    expect([result.now, result.random]).toEqual(recorded);
    expect(result.later).toBe(true);
  });

  it('stops with a non-determinism error naming the position and both names, and leaves the journal intact', async () => {
    const store = testStoreAddress();
    const v1 = defineWorkflow('evolving', async (ctx) => {
      await ctx.step('charge', () => 'charged');
      return ctx.waitForSignal('go');
    });
    const first = await testRuntime([v1], { store });
    const handle = await first.start(v1, undefined, { runId: 'nd' });
    await waitFor(async () => (await handle.status()).status === 'waiting');
    const before = (await first.inspect('nd')).events;
    await first.close();

    let called = false;
    const v2 = defineWorkflow('evolving', async (ctx) => {
      await ctx.step('refund', () => {
        called = true;
      });
      return ctx.waitForSignal('go');
    });
    const second = await testRuntime([v2], { store });
    await second.signal('nd', 'go');
    await waitFor(async () => (await second.getRun('nd'))?.status === 'needs_attention');
    const run = await second.getRun('nd');
    expect(run?.attention).toContain('position 0');
    expect(run?.attention).toContain("step 'charge'");
    expect(run?.attention).toContain("step 'refund'");
    expect((await second.inspect('nd')).events).toEqual(before);
    expect(called).toBe(false);

    // Deploying matching code and resuming lets the run finish.
    await second.close();
    const third = await testRuntime([v1], { store });
    await third.resume('nd');
    expect(await third.handle('nd').result()).toBeUndefined();
  });

  it('detects code that finishes before reaching operations the journal recorded', async () => {
    const store = testStoreAddress();
    const v1 = defineWorkflow('shrinking', async (ctx) => {
      await ctx.step('one', () => 1);
      await ctx.waitForSignal('go');
    });
    const first = await testRuntime([v1], { store });
    await first.start(v1, undefined, { runId: 's' });
    await waitFor(async () => (await first.getRun('s'))?.status === 'waiting');
    await first.close();
    const v2 = defineWorkflow('shrinking', async (ctx) => {
      await ctx.step('one', () => 1);
    });
    const second = await testRuntime([v2], { store });
    await second.signal('s', 'go');
    await waitFor(async () => (await second.getRun('s'))?.status === 'needs_attention');
    expect((await second.getRun('s'))?.attention).toMatch(
      /position 1: the journal has signal 'go' there, but the code finished after 1 operation/,
    );
  });
});
