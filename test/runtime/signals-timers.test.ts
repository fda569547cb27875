import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { testRuntime } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

describe('signals and timers', () => {
  it('keeps a signal sent before the wait in the inbox, and delivers signals in order', async () => {
    const wf = defineWorkflow('inbox', async (ctx) => {
      await ctx.sleep('50ms');
      return [await ctx.waitForSignal('item'), await ctx.waitForSignal('item')];
    });
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined, { runId: 'inbox-1' });
    await rt.signal('inbox-1', 'item', 'first');
    await rt.signal('inbox-1', 'item', 'second');
    expect(await handle.result()).toEqual(['first', 'second']);
  });

  it('resolves to the default when the timeout passes, and the deadline survives a restart', async () => {
    const wf = defineWorkflow('timeout', async (ctx) =>
      ctx.waitForSignal('approval', { timeout: '150ms', default: { approved: false } }),
    );
    const rt = await testRuntime([wf]);
    const started = Date.now();
    const handle = await rt.start(wf, undefined, { runId: 't' });
    expect(await handle.result()).toEqual({ approved: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const kinds = (await rt.inspect('t')).events.map(({ event }) => event.kind);
    expect(kinds).toEqual(['run.started', 'signal.waiting', 'signal.timed_out', 'run.completed']);
  });

  it('rejects with signal_timeout when there is no default', async () => {
    const wf = defineWorkflow('timeout-no-default', async (ctx) => {
      try {
        await ctx.waitForSignal('never', { timeout: 30 });
        return 'signalled';
      } catch (error) {
        return isCairnError(error, 'signal_timeout') ? 'timed out' : 'other';
      }
    });
    const rt = await testRuntime([wf]);
    expect(await (await rt.start(wf, undefined)).result()).toBe('timed out');
  });

  it('a signal that arrives before the timeout wins', async () => {
    const wf = defineWorkflow('race', async (ctx) =>
      ctx.waitForSignal('go', { timeout: '10s', default: 'late' }),
    );
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined, { runId: 'race' });
    await waitFor(async () => (await handle.status()).status === 'waiting');
    expect((await handle.status()).wakeAt).toBeGreaterThan(Date.now() + 5_000);
    await rt.signal('race', 'go', 'on time');
    expect(await handle.result()).toBe('on time');
  });

  it('holds no memory for waiting runs: a waiting run has no lease and no execution', async () => {
    const wf = defineWorkflow('parked', async (ctx) => ctx.waitForSignal('wake'));
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined, { runId: 'parked' });
    await waitFor(async () => (await handle.status()).status === 'waiting');
    expect((await handle.status()).leaseOwner).toBeUndefined();
    await rt.signal('parked', 'wake', 1);
    expect(await handle.result()).toBe(1);
  });

  it('refuses signals to unknown or finished runs, and bad signal names', async () => {
    const wf = defineWorkflow('quick', async () => 'done');
    const rt = await testRuntime([wf]);
    await (await rt.start(wf, undefined, { runId: 'quick' })).result();
    await expect(rt.signal('nope', 'x')).rejects.toThrow(/No run with id "nope"/);
    await expect(rt.signal('quick', 'x')).rejects.toThrow(/is completed; it takes no more signals/);
    await expect(rt.signal('quick', '$cairn.resolve')).rejects.toThrow(/Signal name/);
  });
});
