import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { testRuntime, testStoreAddress } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const refund = defineWorkflow('refund', async (ctx, input: { amount: number; timeout?: number }) => {
  const decision = await ctx.waitForApproval(
    { title: `Refund ${input.amount} EUR`, details: { amount: input.amount } },
    input.timeout === undefined ? {} : { timeout: input.timeout },
  );
  return decision;
});

describe('approvals', () => {
  it('waits durably for a decision, listed in the store, and survives a restart', async () => {
    const store = testStoreAddress();
    const first = await testRuntime([refund], { store });
    await first.start(refund, { amount: 40 }, { runId: 'refund-1' });
    await waitFor(async () => (await first.listApprovals()).length === 1);
    const [pending] = await first.listApprovals();
    expect(pending).toMatchObject({ approvalId: 'refund-1:0', runId: 'refund-1', status: 'pending' });
    expect(pending?.request).toEqual({ title: 'Refund 40 EUR', details: { amount: 40 } });
    expect((await first.getRun('refund-1'))?.status).toBe('waiting');
    await first.close();

    const second = await testRuntime([refund], { store });
    await second.approve('refund-1:0', { by: 'ada', args: { amount: 35 } });
    expect(await second.handle('refund-1').result()).toMatchObject({
      approved: true,
      by: 'ada',
      args: { amount: 35 },
    });
    expect(await second.listApprovals()).toEqual([]);
    expect((await second.listApprovals({ status: 'approved' }))[0]?.decision?.by).toBe('ada');
    const error = await second.reject('refund-1:0', { reason: 'late' }).catch((e: unknown) => e);
    expect(isCairnError(error, 'approval_decided')).toBe(true);
    expect((error as Error).message).toMatch(/already approved by ada/);
  });

  it('passes a rejection and its reason to the run', async () => {
    const rt = await testRuntime([refund]);
    await rt.start(refund, { amount: 900 }, { runId: 'refund-2' });
    await waitFor(async () => (await rt.listApprovals()).length === 1);
    await rt.reject('refund-2:0', { by: 'bob', reason: 'over the limit' });
    expect(await rt.handle('refund-2').result()).toMatchObject({
      approved: false,
      by: 'bob',
      reason: 'over the limit',
    });
  });

  it('takes the default decision when the timeout passes', async () => {
    const rt = await testRuntime([refund]);
    const handle = await rt.start(refund, { amount: 5, timeout: 100 }, { runId: 'refund-3' });
    expect(await handle.result()).toMatchObject({ approved: false, by: 'timeout' });
    expect((await rt.listApprovals({ status: 'expired' }))[0]?.approvalId).toBe('refund-3:0');
    const kinds = (await rt.inspect('refund-3')).events.map(({ event }) => event.kind);
    expect(kinds).toEqual(['run.started', 'approval.requested', 'approval.decided', 'run.completed']);
  });

  it('refuses to decide an approval that does not exist', async () => {
    const rt = await testRuntime([refund]);
    await expect(rt.approve('nope')).rejects.toThrow(/No approval with id "nope"/);
  });
});
