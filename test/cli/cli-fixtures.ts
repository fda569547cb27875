import type { RunStatus } from '../../src/core/run.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { waitFor } from '../support/wait-for.js';

/** Two steps (the second with a value large enough to be stored as a blob), then a short sleep. */
export const greet = defineWorkflow('greet', async (ctx, input: { name: string }) => {
  const hello = await ctx.step('hello', () => `Hello, ${input.name}`);
  const big = await ctx.step('big', () => 'x'.repeat(3_000));
  await ctx.sleep('10ms');
  return { hello, size: big.length };
});

/** Waits for an `approval` signal between two steps. */
export const approval = defineWorkflow('approval', async (ctx, input: { amount: number }) => {
  const quote = await ctx.step('quote', () => ({ amount: input.amount, currency: 'EUR' }));
  const decision = await ctx.waitForSignal<{ approved: boolean }>('approval');
  return ctx.step('finish', () => ({ quote, decision }));
});

/** A step that always throws: one retry, then the run fails. */
export const flaky = defineWorkflow('flaky', async (ctx) => {
  await ctx.step(
    'charge',
    () => {
      throw new Error('card declined by the bank');
    },
    { retry: { attempts: 2, initialDelay: '10ms', jitter: false } },
  );
});

export const WORKER = { pollMs: 20, leaseMs: 2_000 } as const;

/**
 * Leaves run `runId` in `needs_attention`: started by one version of workflow `drift`, then replayed
 * by a version whose first step has another name.
 */
export async function makeDriftedRun(store: string, runId: string): Promise<void> {
  const before = defineWorkflow('drift', async (ctx) => {
    await ctx.step('a', () => 1);
    return ctx.waitForSignal('go');
  });
  const after = defineWorkflow('drift', async (ctx) => {
    await ctx.step('b', () => 1);
    return ctx.waitForSignal('go');
  });
  const first = await createRuntime({ store, workflows: [before], worker: WORKER });
  await first.start(before, undefined, { runId });
  await waitForStatus(first, runId, 'waiting');
  await first.close(100);
  const second = await createRuntime({ store, workflows: [after], worker: WORKER });
  await second.signal(runId, 'go', null);
  await waitForStatus(second, runId, 'needs_attention');
  await second.close(100);
}

export async function waitForStatus(runtime: Runtime, runId: string, status: RunStatus): Promise<void> {
  await waitFor(async () => (await runtime.getRun(runId))?.status === status);
}
