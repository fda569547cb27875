import { describe, expect, it } from 'vitest';
import type { AppendRequest, AppendResult } from '../../src/core/store.js';
import { AppendBatcher, type AppendSender } from '../../src/store/postgres/append-batcher.js';

/** A sender that records what it was asked, answers once released, and fails as told. */
function recordingSender(options: { failBatchWith?: Error & { code?: string } } = {}) {
  const calls: string[][] = [];
  const releases: (() => void)[] = [];
  const answer = (request: AppendRequest): AppendResult | Error =>
    request.runId.startsWith('bad')
      ? new Error(`refused ${request.runId}`)
      : { lastSeq: request.expectedSeq + 1, cancelRequested: false };
  const sender: AppendSender = {
    one: async (request) => {
      calls.push([request.runId]);
      await new Promise<void>((resolve) => releases.push(resolve));
      const result = answer(request);
      if (result instanceof Error) throw result;
      return result;
    },
    many: async (requests) => {
      calls.push(requests.map((request) => request.runId));
      await new Promise<void>((resolve) => releases.push(resolve));
      if (options.failBatchWith !== undefined) throw options.failBatchWith;
      return requests.map(answer);
    },
  };
  const releaseAll = async () => {
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { sender, calls, releaseAll };
}

const request = (runId: string): AppendRequest => ({
  tenantId: 't',
  runId,
  fence: 1,
  expectedSeq: 4,
  events: [],
  blobs: [],
  now: 0,
});

describe('AppendBatcher', () => {
  it('sends at once while slots are free, then one batch of what gathered meanwhile', async () => {
    const { sender, calls, releaseAll } = recordingSender();
    const batcher = new AppendBatcher(sender, 2);
    const results = ['a', 'b', 'c', 'bad-d', 'e'].map((id) =>
      batcher.submit(request(id)).catch((e: Error) => e),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([['a'], ['b']]);
    await releaseAll();
    expect(calls).toEqual([['a'], ['b'], ['c', 'bad-d', 'e']]);
    const settled = await Promise.all(results);
    expect(settled.map((result) => (result instanceof Error ? result.message : result.lastSeq))).toEqual([
      5,
      5,
      5,
      'refused bad-d',
      5,
    ]);
  });

  it('sends each append on its own when a batch is a deadlock victim; other failures fail the batch', async () => {
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const retried = recordingSender({ failBatchWith: deadlock });
    const batcher = new AppendBatcher(retried.sender, 1);
    const first = batcher.submit(request('a'));
    const rest = ['b', 'c'].map((id) => batcher.submit(request(id)));
    await retried.releaseAll();
    await expect(Promise.all([first, ...rest])).resolves.toHaveLength(3);
    expect(retried.calls).toEqual([['a'], ['b', 'c'], ['b'], ['c']]);

    const broken = recordingSender({ failBatchWith: new Error('connection lost') });
    const failing = new AppendBatcher(broken.sender, 1);
    const alone = failing.submit(request('a'));
    const batched = ['b', 'c'].map((id) => failing.submit(request(id)).catch((e: Error) => e.message));
    await broken.releaseAll();
    await alone;
    expect(await Promise.all(batched)).toEqual(['connection lost', 'connection lost']);
  });
});
