import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import type { JournalEvent } from '../../src/core/journal-event.js';
import { encodeValue } from '../../src/core/payload-codec.js';
import type { ClaimedRun, RateGrant, RateRequest, Store } from '../../src/core/store.js';

/**
 * The behaviour every Store must have. Run it against each implementation:
 * `runStoreConformance('sqlite', () => new SqliteStore({ path }))`.
 * Each case gets a fresh, empty store from `makeStore`.
 */
export function runStoreConformance(name: string, makeStore: () => Promise<Store> | Store): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    const T = 'tenant-a';
    const started = (workflow = 'wf'): JournalEvent => ({
      kind: 'run.started',
      workflow,
      input: { inline: 1 },
    });
    const create = (runId: string, extra: { parentRunId?: string; workflow?: string; now?: number } = {}) =>
      store.createRun({
        tenantId: T,
        runId,
        workflow: extra.workflow ?? 'wf',
        parentRunId: extra.parentRunId,
        events: [started(extra.workflow)],
        blobs: [],
        now: extra.now ?? 1_000,
      });
    const claimOne = async (now = 1_000, workerId = 'w1'): Promise<ClaimedRun> => {
      const [claimed] = await store.claim({ workerId, leaseMs: 1_000, limit: 1, now });
      if (claimed === undefined) throw new Error('expected a claimable run');
      return claimed;
    };
    const timerSet = (position: number): JournalEvent => ({
      kind: 'timer.set',
      position,
      name: 't',
      wakeAt: 5,
    });

    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates a run with its first events, and creating it again returns the existing run', async () => {
      const first = await create('r1');
      expect(first.created).toBe(true);
      expect(first.run).toMatchObject({
        tenantId: T,
        runId: 'r1',
        workflow: 'wf',
        status: 'runnable',
        lastSeq: 1,
      });
      const again = await create('r1');
      expect(again.created).toBe(false);
      expect(await store.readEvents(T, 'r1')).toHaveLength(1);
    });

    it('keeps tenants apart: the same run id in two tenants is two runs, invisible to each other', async () => {
      await create('same');
      await store.createRun({
        tenantId: 'tenant-b',
        runId: 'same',
        workflow: 'other',
        events: [started('other')],
        blobs: [],
        now: 1,
      });
      expect((await store.getRun(T, 'same'))?.workflow).toBe('wf');
      expect((await store.getRun('tenant-b', 'same'))?.workflow).toBe('other');
      expect(await store.listRuns({ tenantId: T })).toHaveLength(1);
      expect(await store.getRun('tenant-c', 'same')).toBeUndefined();
    });

    it('claims runnable runs with a lease, and does not hand a leased run to another worker', async () => {
      await create('r1');
      const claimed = await claimOne(1_000, 'w1');
      expect(claimed).toMatchObject({ runId: 'r1', workflow: 'wf', lastSeq: 1, cancelRequested: false });
      expect(await store.claim({ workerId: 'w2', leaseMs: 1_000, limit: 10, now: 1_500 })).toEqual([]);
      expect((await store.getRun(T, 'r1'))?.status).toBe('running');
    });

    it('only claims runs of the workflows the worker knows', async () => {
      await create('r1', { workflow: 'known' });
      await create('r2', { workflow: 'unknown' });
      const claimed = await store.claim({
        workerId: 'w',
        leaseMs: 1_000,
        limit: 10,
        now: 1_000,
        workflows: ['known'],
      });
      expect(claimed.map((run) => run.runId)).toEqual(['r1']);
    });

    it('hands a run to another worker when its lease expires, with a higher fence', async () => {
      await create('r1');
      const first = await claimOne(1_000, 'w1');
      const second = await claimOne(2_001, 'w2');
      expect(second.fence).toBeGreaterThan(first.fence);
    });

    it('appends with the expected sequence and fence, and refuses a stale writer', async () => {
      await create('r1');
      const first = await claimOne(1_000, 'w1');
      const ok = await store.append({
        ...lease(first),
        expectedSeq: 1,
        events: [timerSet(0)],
        blobs: [],
        now: 1_100,
      });
      expect(ok.lastSeq).toBe(2);
      const second = await claimOne(2_500, 'w2'); // w1's lease expired
      const stale = store.append({
        ...lease(first),
        expectedSeq: 2,
        events: [timerSet(1)],
        blobs: [],
        now: 2_600,
      });
      await expect(stale).rejects.toSatisfy((error) => isCairnError(error, 'stale_writer'));
      await store.append({ ...lease(second), expectedSeq: 2, events: [timerSet(1)], blobs: [], now: 2_600 });
      expect((await store.readEvents(T, 'r1')).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('refuses an append at the wrong sequence number and writes nothing', async () => {
      await create('r1');
      const claimed = await claimOne();
      const wrong = store.append({
        ...lease(claimed),
        expectedSeq: 5,
        events: [timerSet(0)],
        blobs: [],
        now: 1,
      });
      await expect(wrong).rejects.toSatisfy((error) => isCairnError(error, 'sequence_conflict'));
      expect(await store.readEvents(T, 'r1')).toHaveLength(1);
    });

    it('reads events after a given sequence number, typed and in order', async () => {
      await create('r1');
      const claimed = await claimOne();
      await store.append({
        ...lease(claimed),
        expectedSeq: 1,
        events: [timerSet(0), timerSet(1)],
        blobs: [],
        now: 7,
      });
      const events = await store.readEvents(T, 'r1', 1);
      expect(events.map((e) => [e.seq, e.event.kind, e.at])).toEqual([
        [2, 'timer.set', 7],
        [3, 'timer.set', 7],
      ]);
    });

    it('stores a blob once per tenant, however many times it is put', async () => {
      const { blobs } = encodeValue('x'.repeat(5_000), 'test value');
      await store.putBlobs(T, blobs);
      await store.putBlobs(T, blobs);
      const hash = blobs[0]!.hash;
      expect((await store.getBlobs(T, [hash])).get(hash)).toEqual({
        hash,
        encoding: 'text',
        data: 'x'.repeat(5_000),
      });
      expect((await store.getBlobs('tenant-b', [hash])).size).toBe(0);
    });

    it('records a final outcome, releases the lease, and wakes the waiting parent', async () => {
      await create('parent');
      const parent = await claimOne();
      await store.suspend({ ...lease(parent), status: 'waiting', seenWakeSeq: parent.wakeSeq, now: 1_001 });
      expect((await store.getRun(T, 'parent'))?.status).toBe('waiting');
      await create('child', { parentRunId: 'parent' });
      const child = await claimOne(1_002);
      expect(child.runId).toBe('child');
      await store.append({
        ...lease(child),
        expectedSeq: 1,
        events: [{ kind: 'run.completed', result: { inline: 42 } }],
        blobs: [],
        now: 1_003,
        outcome: { status: 'completed', result: { inline: 42 } },
      });
      expect(await store.getRun(T, 'child')).toMatchObject({ status: 'completed', result: { inline: 42 } });
      expect((await store.getRun(T, 'parent'))?.status).toBe('runnable');
      expect((await claimOne(1_004)).runId).toBe('parent');
    });

    it('suspends a run until its wake time, then lets it be claimed', async () => {
      await create('r1');
      const claimed = await claimOne();
      const result = await store.suspend({
        ...lease(claimed),
        status: 'waiting',
        wakeAt: 5_000,
        seenWakeSeq: claimed.wakeSeq,
        now: 1_001,
      });
      expect(result.woken).toBe(false);
      expect(await store.getRun(T, 'r1')).toMatchObject({
        status: 'waiting',
        wakeAt: 5_000,
        leaseOwner: undefined,
      });
      expect(await store.claim({ workerId: 'w', leaseMs: 1_000, limit: 1, now: 4_999 })).toEqual([]);
      expect((await claimOne(5_000)).runId).toBe('r1');
    });

    it('does not sleep through a signal that arrived after the claim', async () => {
      await create('r1');
      const claimed = await claimOne();
      await store.sendSignal({
        tenantId: T,
        runId: 'r1',
        name: 'go',
        payload: { inline: true },
        blobs: [],
        now: 1_001,
      });
      const result = await store.suspend({
        ...lease(claimed),
        status: 'waiting',
        seenWakeSeq: claimed.wakeSeq,
        now: 1_002,
      });
      expect(result.woken).toBe(true);
      expect((await store.getRun(T, 'r1'))?.status).toBe('runnable');
    });

    it('keeps signals in the inbox in order, and a signal wakes a waiting run', async () => {
      await create('r1');
      const claimed = await claimOne();
      await store.suspend({ ...lease(claimed), status: 'waiting', seenWakeSeq: claimed.wakeSeq, now: 1_001 });
      const a = await store.sendSignal({
        tenantId: T,
        runId: 'r1',
        name: 'a',
        payload: { inline: 1 },
        blobs: [],
        now: 1_002,
      });
      const b = await store.sendSignal({
        tenantId: T,
        runId: 'r1',
        name: 'b',
        payload: { inline: 2 },
        blobs: [],
        now: 1_003,
      });
      expect(b.signalId).toBeGreaterThan(a.signalId);
      expect((await store.readSignals(T, 'r1')).map((s) => [s.name, s.payload])).toEqual([
        ['a', { inline: 1 }],
        ['b', { inline: 2 }],
      ]);
      expect((await store.readSignals(T, 'r1', a.signalId)).map((s) => s.name)).toEqual(['b']);
      expect((await claimOne(1_004)).runId).toBe('r1');
    });

    it('refuses a signal to a run that does not exist', async () => {
      const send = store.sendSignal({
        tenantId: T,
        runId: 'nope',
        name: 'a',
        payload: { inline: 1 },
        blobs: [],
        now: 1,
      });
      await expect(send).rejects.toSatisfy((error) => isCairnError(error, 'run_not_found'));
    });

    it('renews held leases and reports lost ones and cancel requests', async () => {
      await create('r1');
      await create('r2');
      const [one, two] = await store.claim({ workerId: 'w1', leaseMs: 1_000, limit: 2, now: 1_000 });
      await store.requestCancel(T, 'r2', 1_100);
      const states = await store.renewLeases({
        workerId: 'w1',
        leases: [lease(one!), lease(two!)],
        leaseMs: 1_000,
        now: 1_200,
      });
      expect(states.map((s) => [s.runId, s.held, s.cancelRequested])).toEqual([
        ['r1', true, false],
        ['r2', true, true],
      ]);
      // Renewed until 2_200, so not yet claimable at 2_100.
      expect(await store.claim({ workerId: 'w2', leaseMs: 1_000, limit: 2, now: 2_100 })).toEqual([]);
      const taken = await store.claim({ workerId: 'w2', leaseMs: 1_000, limit: 2, now: 2_300 });
      expect(taken).toHaveLength(2);
      const lost = await store.renewLeases({
        workerId: 'w1',
        leases: [lease(one!)],
        leaseMs: 1_000,
        now: 2_400,
      });
      expect(lost[0]?.held).toBe(false);
    });

    it('makes a cancelled waiting run claimable at once, marked for cancellation', async () => {
      await create('r1');
      const claimed = await claimOne();
      await store.suspend({ ...lease(claimed), status: 'waiting', seenWakeSeq: claimed.wakeSeq, now: 1_001 });
      const run = await store.requestCancel(T, 'r1', 1_002);
      expect(run?.cancelRequested).toBe(true);
      const again = await store.claim({
        workerId: 'w',
        leaseMs: 1_000,
        limit: 1,
        now: 1_003,
        only: { tenantId: T, runId: 'r1' },
      });
      expect(again[0]?.cancelRequested).toBe(true);
    });

    it('releases a lease so another worker can take the run at once', async () => {
      await create('r1');
      const claimed = await claimOne(1_000, 'w1');
      await store.release({ ...lease(claimed), now: 1_001 });
      expect((await claimOne(1_002, 'w2')).runId).toBe('r1');
    });

    it("expires a dead worker's leases early, and names the workers holding leases", async () => {
      await create('r1');
      await claimOne(1_000, 'dead-worker');
      expect(await store.leaseOwners()).toEqual(['dead-worker']);
      expect(await store.expireLeases(['dead-worker'], 1_001)).toBe(1);
      expect((await claimOne(1_001, 'w2')).runId).toBe('r1');
    });

    it('counts the runs waiting to be claimed (the queue depth), across tenants', async () => {
      await create('a', { workflow: 'x' });
      await create('b', { workflow: 'y' });
      await store.createRun({
        tenantId: 'tenant-b',
        runId: 'c',
        workflow: 'x',
        events: [started('x')],
        blobs: [],
        now: 1_000,
      });
      expect(await store.countClaimable(1_000)).toBe(3);
      expect(await store.countClaimable(1_000, ['x'])).toBe(2);
      await claimOne(1_000);
      expect(await store.countClaimable(1_000)).toBe(2);
      expect(await store.countClaimable(999)).toBe(0);
      // A run whose worker's lease expired is claimable again, so it is in the queue again.
      expect(await store.countClaimable(2_000)).toBe(3);
    });

    it('lists runs newest first, filtered by status, workflow and parent, with paging', async () => {
      await create('a', { now: 1 });
      await create('b', { now: 2, workflow: 'other' });
      await create('c', { now: 3, parentRunId: 'a' });
      expect((await store.listRuns({ tenantId: T })).map((r) => r.runId)).toEqual(['c', 'b', 'a']);
      expect((await store.listRuns({ tenantId: T, workflow: 'other' })).map((r) => r.runId)).toEqual(['b']);
      expect((await store.listRuns({ tenantId: T, parentRunId: 'a' })).map((r) => r.runId)).toEqual(['c']);
      expect((await store.listRuns({ tenantId: T, status: ['completed'] })).length).toBe(0);
      const page = await store.listRuns({ tenantId: T, limit: 1, before: { createdAt: 3, runId: 'c' } });
      expect(page.map((r) => r.runId)).toEqual(['b']);
    });

    it('records an approval request once, lists pending ones, and decides it once, waking the run', async () => {
      await create('r1');
      const claimed = await claimOne();
      await store.suspend({ ...lease(claimed), status: 'waiting', seenWakeSeq: claimed.wakeSeq, now: 1_001 });
      const ask = {
        tenantId: T,
        approvalId: 'r1:3',
        runId: 'r1',
        request: { title: 'Refund 40 EUR' },
        now: 1_002,
      };
      const first = await store.requestApproval({ ...ask, expiresAt: 9_000 });
      const again = await store.requestApproval({ ...ask, request: { title: 'something else' }, now: 1_003 });
      expect(again).toEqual(first);
      expect(first).toMatchObject({ status: 'pending', runId: 'r1', expiresAt: 9_000, decision: undefined });
      expect(
        (await store.listApprovals({ tenantId: T, status: ['pending'] })).map((a) => a.approvalId),
      ).toEqual(['r1:3']);
      expect(await store.listApprovals({ tenantId: 'tenant-b' })).toEqual([]);

      const decision = { approved: false, by: 'ada', reason: 'too much', at: 1_004 };
      const decided = await store.decideApproval({
        tenantId: T,
        approvalId: 'r1:3',
        status: 'rejected',
        decision,
        now: 1_004,
      });
      expect(decided).toMatchObject({ decided: true, approval: { status: 'rejected', decision } });
      const late = await store.decideApproval({
        tenantId: T,
        approvalId: 'r1:3',
        status: 'approved',
        decision: { approved: true, by: 'bob', at: 1_005 },
        now: 1_005,
      });
      expect(late).toMatchObject({ decided: false, approval: { status: 'rejected' } });
      // The decision is in the run's inbox, and the run is claimable again.
      expect((await store.readSignals(T, 'r1')).map((signal) => [signal.name, signal.payload])).toEqual([
        ['$approval:r1:3', { inline: decision }],
      ]);
      expect((await claimOne(1_006)).runId).toBe('r1');
    });

    describe('rate buckets', () => {
      // 10 a second: a bucket of 10 that refills one token every 100 ms.
      const bucket = { tenantId: '*', key: 'tool:search', capacity: 10, refillPerMs: 0.01 };
      const take = (now: number, extra: Partial<RateRequest> = {}) =>
        store.takeRate({ ...bucket, cost: 1, now, ...extra });
      const takeTimes = async (times: number, now: number) => {
        const grants: RateGrant[] = [];
        for (let i = 0; i < times; i++) grants.push(await take(now));
        return grants;
      };

      it('grants a new bucket its whole capacity at once, then refuses, saying when it will cover the cost', async () => {
        const grants = await takeTimes(10, 1_000);
        expect(grants.every((grant) => grant.granted)).toBe(true);
        expect(await take(1_000)).toEqual({ granted: false, retryAt: 1_100 });
      });

      it('refills evenly over time, never above its capacity', async () => {
        await takeTimes(10, 1_000);
        expect(await take(1_100)).toEqual({ granted: true });
        expect(await take(1_150)).toEqual({ granted: false, retryAt: 1_200 });
        // An hour later the bucket holds its capacity, not an hour's worth.
        const later = await takeTimes(11, 3_601_000);
        expect(later.filter((grant) => grant.granted)).toHaveLength(10);
        expect(later.at(-1)).toEqual({ granted: false, retryAt: 3_601_100 });
      });

      it('gives an exact retryAt: refused a millisecond before it, granted at it', async () => {
        const small = { key: 'five-a-second', capacity: 5, refillPerMs: 0.005 };
        expect(await take(0, { ...small, cost: 5 })).toEqual({ granted: true });
        // 0.5 tokens at 100 ms; 3 are there 500 ms later.
        expect(await take(100, { ...small, cost: 3 })).toEqual({ granted: false, retryAt: 600 });
        expect(await take(599, { ...small, cost: 3 })).toEqual({ granted: false, retryAt: 600 });
        expect(await take(600, { ...small, cost: 3 })).toEqual({ granted: true });
      });

      it('lets a debit put the bucket in debt; cost 0 is granted only once it is out of debt', async () => {
        const tokens = { key: 'tokens:model', capacity: 100, refillPerMs: 0.1 };
        expect(await take(0, { ...tokens, cost: 0 })).toEqual({ granted: true });
        await store.debitRate({ ...bucket, ...tokens, cost: 250, now: 0 }); // balance -150
        expect(await take(0, { ...tokens, cost: 0 })).toEqual({ granted: false, retryAt: 1_500 });
        expect(await take(1_499, { ...tokens, cost: 0 })).toEqual({ granted: false, retryAt: 1_500 });
        expect(await take(1_500, { ...tokens, cost: 0 })).toEqual({ granted: true });
        // Out of debt but empty: a take of 1 waits for one token.
        expect(await take(1_500, { ...tokens, cost: 1 })).toEqual({ granted: false, retryAt: 1_510 });
      });

      it('keeps the buckets of each tenant, and each key, apart', async () => {
        const one = { capacity: 1, refillPerMs: 0.001 };
        for (const where of [
          { tenantId: T, key: 'k' },
          { tenantId: 'tenant-b', key: 'k' },
          { tenantId: '*', key: 'k' },
          { tenantId: T, key: 'other' },
        ]) {
          expect(await take(0, { ...one, ...where })).toEqual({ granted: true });
          expect(await take(0, { ...one, ...where })).toEqual({ granted: false, retryAt: 1_000 });
        }
      });

      it('never over-grants to concurrent takers: 50 at once on a bucket of 10 get exactly 10', async () => {
        const grants = await Promise.all(Array.from({ length: 50 }, () => take(5_000)));
        expect(grants.filter((grant) => grant.granted)).toHaveLength(10);
        expect(grants.filter((grant) => !grant.granted).every((grant) => grant.retryAt === 5_100)).toBe(true);
      });

      it('refuses a take that costs more than the bucket can ever hold', async () => {
        await expect(take(0, { cost: 11 })).rejects.toSatisfy((error) =>
          isCairnError(error, 'invalid_argument'),
        );
      });
    });
  });
}

function lease(run: ClaimedRun) {
  return { tenantId: run.tenantId, runId: run.runId, fence: run.fence };
}
