import { describe, expect, it } from 'vitest';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { openStore } from '../../src/store/open-store.js';
import { testRuntime, testStoreAddress } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

interface Chunk {
  readonly items: number[];
  readonly done: number;
}

/** A loop that checkpoints every 5 iterations, each checkpoint holding only what is new since the last. */
function counter(calls: { replayed: number[] }) {
  return defineWorkflow('counter', async (ctx, input: { rounds: number }) => {
    const chunks = ctx.restored<Chunk>() ?? [];
    const items = chunks.flatMap((chunk) => chunk.items);
    let fresh: number[] = [];
    for (let i = chunks.at(-1)?.done ?? 0; i < input.rounds; i++) {
      if (i > 0 && i % 5 === 0 && fresh.length > 0) {
        await ctx.checkpoint({ items: fresh, done: i } satisfies Chunk);
        fresh = [];
      }
      const value = await ctx.step('square', () => {
        calls.replayed.push(i);
        return i * i;
      });
      items.push(value);
      fresh.push(value);
      if (i === input.rounds - 3) await ctx.waitForSignal('continue');
    }
    return items.reduce((sum, value) => sum + value, 0);
  });
}

describe('checkpoints', () => {
  it('resumes from the latest checkpoint: replays only what came after it, and restores every state', async () => {
    const store = testStoreAddress();
    const calls = { replayed: [] as number[] };
    const first = await testRuntime([counter(calls)], { store });
    await first.start(counter(calls), { rounds: 23 }, { runId: 'count' });
    await waitFor(async () => (await first.getRun('count'))?.status === 'waiting');
    await first.close();

    const reader = await openStore(store);
    const checkpoints = await reader.readEvents('default', 'count', 0, { kinds: ['snapshot.recorded'] });
    expect(
      checkpoints.map(({ event }) => (event.kind === 'snapshot.recorded' ? event.position : -1)),
    ).toEqual([5, 11, 17, 23]);
    await reader.close();

    calls.replayed = [];
    const second = await testRuntime([counter(calls)], { store });
    await second.signal('count', 'continue');
    let expected = 0;
    for (let i = 0; i < 23; i++) expected += i * i;
    expect(await second.handle('count').result()).toBe(expected);
    expect(calls.replayed).toEqual([21, 22]); // 0..20 came from checkpoints and the journal, not from calls
  });

  it('refuses a checkpoint while an operation is pending, saying which', async () => {
    const wf = defineWorkflow('bad-checkpoint', async (ctx) => {
      const pending = ctx.step('slow', () => new Promise((resolve) => setTimeout(resolve, 50)));
      try {
        await ctx.checkpoint({});
        return 'checkpointed';
      } catch (error) {
        await pending;
        return (error as Error).message;
      }
    });
    const rt = await testRuntime([wf]);
    expect(await (await rt.start(wf, undefined)).result()).toMatch(
      /step 'slow' \(position 0\) is still pending/,
    );
  });
});
