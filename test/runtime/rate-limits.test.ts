import { afterEach, describe, expect, it } from 'vitest';
import { traceRun } from '../../src/cli/run-trace.js';
import { isCairnError } from '../../src/core/errors.js';
import type { RateLimit } from '../../src/core/rate-limit.js';
import type { Store } from '../../src/core/store.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { openStore } from '../../src/store/open-store.js';
import { testRuntime, testStoreAddress } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

/** The names of a run's operations, in journal order: `kind name` per event. */
async function journalOf(runtime: Runtime, runId: string, tenant?: string): Promise<string[]> {
  const { events } = await runtime.inspect(runId, { tenant });
  return events.flatMap(({ event }) => ('name' in event ? [`${event.kind} ${event.name}`] : []));
}

describe('rate limits', () => {
  const opened: { runtime: Runtime; store: Store }[] = [];
  afterEach(async () => {
    for (const { runtime, store } of opened.splice(0)) {
      await runtime.close(100);
      await store.close();
    }
  });

  it('makes a run wait, durably, for its turn: waiting with a timer, no lease, and the trace shows it', async () => {
    const limit: RateLimit = { calls: 2, per: '1s' };
    const wf = defineWorkflow('limited', async (ctx) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        await ctx.rateLimit('tool:echo', limit);
        times.push(await ctx.step(`call-${i}`, () => Date.now()));
      }
      return times;
    });
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined, { runId: 'limited' });
    await waitFor(async () => (await handle.status()).status === 'waiting', 5_000, 'a rate-limit wait');
    const waiting = await handle.status();
    expect(waiting.wakeAt).toBeGreaterThan(Date.now());
    expect(waiting.leaseOwner).toBeUndefined();

    const times = await handle.result();
    // A burst of two, then the third 500 ms after the first (less the delays of recording the first).
    expect(times[1]! - times[0]!).toBeLessThan(450);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(400);
    const journal = await journalOf(rt, 'limited');
    expect(journal).toContain('timer.set rate-limit:tool:echo');

    const trace = await traceRun(rt, 'limited');
    const rateOps = trace.operations.filter((op) => op.kind === 'rate-limit');
    expect(rateOps.map((op) => `${op.status} ${op.detail.replace(/\d[\w:.-]*$/, 'T')}`)).toEqual([
      'completed granted',
      'completed granted',
      'completed refused: next try at T',
      expect.stringMatching(/^waited waited \d+ms for rate limit tool:echo$/),
      'completed granted',
    ]);
  });

  it('carries on after a restart in the middle of a wait, without drawing on the bucket again on replay', async () => {
    const address = testStoreAddress();
    let draws = 0;
    const open = async () => {
      const store = await openStore(address);
      const counting: Store = Object.create(store, {
        takeRate: {
          value: (request: Parameters<Store['takeRate']>[0]) => {
            draws++;
            return store.takeRate(request);
          },
        },
      });
      const runtime = await createRuntime({
        store: counting,
        workflows: [wf],
        worker: { pollMs: 20, leaseMs: 2_000 },
      });
      opened.push({ runtime, store });
      return runtime;
    };
    const calls: number[] = [];
    const wf = defineWorkflow('restarted', async (ctx) => {
      for (let i = 0; i < 2; i++) {
        await ctx.rateLimit('api', { calls: 1, per: '1s' });
        await ctx.step(`call-${i}`, () => calls.push(i));
      }
      return 'done';
    });
    const first = await open();
    const handle = await first.start(wf, undefined, { runId: 'restarted' });
    await waitFor(async () => (await handle.status()).status === 'waiting', 5_000, 'the rate-limit wait');
    await first.close(100);

    const second = await open();
    expect(await second.handle('restarted').result()).toBe('done');
    expect(calls).toEqual([0, 1]);
    expect(await journalOf(second, 'restarted')).toEqual([
      'step.started rate-limit:api',
      'step.completed rate-limit:api',
      'step.started call-0',
      'step.completed call-0',
      'step.started rate-limit:api',
      'step.completed rate-limit:api',
      'timer.set rate-limit:api',
      'timer.fired rate-limit:api',
      'step.started rate-limit:api',
      'step.completed rate-limit:api',
      'step.started call-1',
      'step.completed call-1',
    ]);
    // One draw per take in the journal: the replay in the second runtime drew nothing.
    expect(draws).toBe(3);
  });

  it('shares a bucket between runs, unless the limit is per tenant', async () => {
    const once = (name: string, limit: RateLimit) =>
      defineWorkflow(name, async (ctx) => {
        await ctx.rateLimit('provider', limit);
        return ctx.tenantId;
      });
    const perTenant = once('per-tenant', { calls: 1, per: '1h', perTenant: true });
    const shared = once('shared', { calls: 1, per: '1h' });
    const rt = await testRuntime([perTenant, shared]);
    for (const tenant of ['a', 'b']) {
      const handle = await rt.start(perTenant, undefined, { tenant });
      expect(await handle.result()).toBe(tenant);
    }
    expect(await (await rt.start(shared, undefined, { tenant: 'a' })).result()).toBe('a');
    const second = await rt.start(shared, undefined, { tenant: 'b', runId: 'second' });
    await waitFor(async () => (await second.status()).status === 'waiting', 5_000, 'the shared bucket');
    expect((await second.status()).wakeAt).toBeGreaterThan(Date.now() + 3_000_000);
    await rt.cancel('second', { tenant: 'b' });
  });

  it('waits while the tokens-per-minute bucket is in debt after a model call', async () => {
    const limit: RateLimit = { tokensPerMinute: 6_000 }; // 100 tokens a second
    const wf = defineWorkflow('tokens', async (ctx) => {
      await ctx.rateLimit('model:x', limit, { tokens: true });
      await ctx.debitRate('model:x', limit, 6_050); // 50 tokens of debt: 500 ms to pay back
      const before = await ctx.step('before', () => Date.now());
      await ctx.rateLimit('model:x', limit, { tokens: true });
      await ctx.rateLimit('model:x', limit); // no calls bucket: nothing to wait for
      return (await ctx.step('after', () => Date.now())) - before;
    });
    const rt = await testRuntime([wf]);
    const elapsed = await (await rt.start(wf, undefined, { runId: 'tokens' })).result();
    expect(elapsed).toBeGreaterThanOrEqual(400);
    const journal = await journalOf(rt, 'tokens');
    expect(journal).toContain('step.completed token-debit:model:x');
    expect(journal).toContain('timer.fired token-limit:model:x');
    const trace = await traceRun(rt, 'tokens');
    expect(trace.operations.map((op) => op.detail)).toContain('debited 6050 tokens');
    expect(trace.operations.some((op) => /^waited .* for token limit model:x$/.test(op.detail))).toBe(true);
  });

  it('refuses bad arguments at the call, saying what is wrong', async () => {
    const wf = defineWorkflow('bad-limits', async (ctx) => {
      const messages: string[] = [];
      const attempts: (() => Promise<void>)[] = [
        () => ctx.rateLimit('has space', { calls: 1 }),
        () => ctx.rateLimit('k', {}),
        () => ctx.rateLimit('k', { calls: 5, per: 'soon' } as unknown as RateLimit),
        () => ctx.rateLimit('k', { calls: 5 }, { cost: 6 }),
        () => ctx.debitRate('k', { tokensPerMinute: 10 }, -1),
      ];
      for (const attempt of attempts) {
        try {
          await attempt();
          messages.push('accepted');
        } catch (error) {
          messages.push(isCairnError(error, 'invalid_argument') ? (error as Error).message : 'other');
        }
      }
      return messages;
    });
    const rt = await testRuntime([wf]);
    const messages = await (await rt.start(wf, undefined)).result();
    expect(messages[0]).toMatch(/Rate limit key "has space" is not valid/);
    expect(messages[1]).toMatch(/limits nothing/);
    expect(messages[2]).toMatch(/per "soon"/);
    expect(messages[3]).toMatch(/cost 6 is more than the limit allows at once \(5\)/);
    expect(messages[4]).toMatch(/tokens must be a number >= 0, got -1/);
  });
});
