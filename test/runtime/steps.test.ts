import { describe, expect, it } from 'vitest';
import { type CairnError, isCairnError } from '../../src/core/errors.js';
import { defineWorkflow, NonRetryableError } from '../../src/runtime/workflow.js';
import { testRuntime } from '../support/test-runtime.js';

describe('steps', () => {
  it('retries a failing step with backoff, with the same idempotency key on every attempt', async () => {
    const keys: string[] = [];
    const wf = defineWorkflow('flaky', async (ctx) =>
      ctx.step(
        'flaky',
        ({ idempotencyKey, attempt }) => {
          keys.push(idempotencyKey);
          if (attempt < 3) throw new Error(`boom ${attempt}`);
          return 'ok';
        },
        { retry: { attempts: 3, initialDelay: '10ms' } },
      ),
    );
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined, { runId: 'flaky-1' });
    expect(await handle.result()).toBe('ok');
    expect(keys).toEqual(['default:flaky-1:0', 'default:flaky-1:0', 'default:flaky-1:0']);
    const events = (await rt.inspect('flaky-1')).events;
    const failures = events.flatMap(({ event }) => (event.kind === 'step.failed' ? [event] : []));
    expect(failures.map((f) => [f.attempt, f.error.message])).toEqual([
      [1, 'boom 1'],
      [2, 'boom 2'],
    ]);
    // Each retry waited for the time its failure recorded; backoff doubles (with jitter).
    for (const failure of failures) {
      const next = events.find(
        ({ event }) => event.kind === 'step.started' && event.attempt === failure.attempt + 1,
      );
      expect(next!.at).toBeGreaterThanOrEqual(failure.retryAt!);
    }
  });

  it('does not retry a NonRetryableError, and the workflow sees the cause with its code', async () => {
    let attempts = 0;
    const wf = defineWorkflow('refused', async (ctx) => {
      try {
        await ctx.step('charge', () => {
          attempts++;
          throw new NonRetryableError('card declined', { code: 'card_declined' });
        });
        return 'charged';
      } catch (error) {
        return {
          code: (error as CairnError).code,
          cause: ((error as CairnError).cause as { code: string }).code,
        };
      }
    });
    const rt = await testRuntime([wf]);
    expect(await (await rt.start(wf, undefined)).result()).toEqual({
      code: 'step_failed',
      cause: 'card_declined',
    });
    expect(attempts).toBe(1);
  });

  it('fails the run when the workflow throws, and result() rejects with the error', async () => {
    const wf = defineWorkflow('thrower', async () => {
      throw new Error('workflow broke');
    });
    const rt = await testRuntime([wf]);
    const handle = await rt.start(wf, undefined, { runId: 'thrower-1' });
    const error = await handle.result().catch((e: unknown) => e);
    expect(isCairnError(error, 'run_failed')).toBe(true);
    expect((error as Error).message).toContain('workflow broke');
    const run = await handle.status();
    expect(run.status).toBe('failed');
    expect(run.error?.message).toBe('workflow broke');
    expect((await rt.inspect('thrower-1')).events.at(-1)?.event.kind).toBe('run.failed');
  });

  it('fails a step whose result cannot be stored, saying why', async () => {
    const wf = defineWorkflow('unstorable', async (ctx) => ctx.step('bigint', () => 10n));
    const rt = await testRuntime([wf]);
    const error = await (await rt.start(wf, undefined)).result().catch((e: unknown) => e);
    expect(((error as CairnError).cause as Error).message).toMatch(/cannot be stored.*BigInt/);
  });

  it('starts a run once per run id: starting it again returns the same run', async () => {
    let calls = 0;
    const wf = defineWorkflow('once', async (ctx, input: { n: number }) =>
      ctx.step('count', () => ++calls + input.n),
    );
    const rt = await testRuntime([wf]);
    const [a, b] = await Promise.all([
      rt.start(wf, { n: 0 }, { runId: 'same' }),
      rt.start(wf, { n: 0 }, { runId: 'same' }),
    ]);
    expect(await a.result()).toBe(1);
    expect(await b.result()).toBe(1);
    expect(calls).toBe(1);
    const other = defineWorkflow('other', async () => 0);
    await expect(rt.start(other, undefined, { runId: 'same' })).rejects.toThrow(
      /already exists for workflow 'once'/,
    );
  });

  it('validates input against the workflow schema and names the bad field', async () => {
    const { z } = await import('zod');
    const wf = defineWorkflow('typed', async (_ctx, input: { id: string }) => input.id, {
      input: z.object({ id: z.string() }),
    });
    const rt = await testRuntime([wf]);
    await expect(rt.start(wf, { id: 42 } as never)).rejects.toThrow(
      /Invalid input for workflow 'typed'.*id/s,
    );
  });

  it('rejects bad names and durations with errors that say what is accepted', async () => {
    expect(() => defineWorkflow('has space', async () => 0)).toThrow(/letters, digits/);
    const wf = defineWorkflow('bad-sleep', async (ctx) => ctx.sleep('soon' as never));
    const rt = await testRuntime([wf]);
    const error = await (await rt.start(wf, undefined)).result().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Invalid sleep duration "soon".*'30s'/);
  });
});
