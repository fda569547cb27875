import { CairnError } from '../core/errors.js';
import { isFinalStatus, type RunOutcome } from '../core/run.js';
import { serializeError } from '../core/serialized-error.js';
import type { ClaimedRun, Store } from '../core/store.js';
import { JournalWriter } from './journal-writer.js';

export interface CancelDeps {
  readonly store: Store;
  readonly clock: () => number;
  /** Who claims children that no worker holds, to cancel them here. */
  readonly workerId: string;
  /**
   * Cancels a run this process's worker holds and resolves true once it is recorded as cancelled;
   * false if the worker does not hold it (a worker elsewhere then sees the request on its own).
   */
  readonly cancelHere?: (tenantId: string, runId: string, reason: string) => Promise<boolean>;
}

const LIVE_STATUSES = ['runnable', 'running', 'waiting', 'needs_attention'] as const;

/**
 * Records a claimed run as cancelled, after asking each of its live children to cancel too; with no
 * `reason`, the one stored with the cancel request (which may have come from another process). A child
 * that no worker holds is claimed and cancelled here (with its own children), so cancelling works even
 * where no worker runs the child's workflow; a child held by a worker is cancelled by that worker,
 * which sees the request at its next journal write or heartbeat.
 */
export async function cancelClaimedRun(
  deps: CancelDeps,
  run: ClaimedRun,
  requestedReason: string | undefined,
  journal = new JournalWriter(
    deps.store,
    run,
    run.lastSeq,
    deps.clock,
    () => undefined,
    () => undefined,
  ),
): Promise<RunOutcome> {
  const reason =
    requestedReason ??
    (await deps.store.getRun(run.tenantId, run.runId))?.cancelReason ??
    'cancelled by request';
  const children = await deps.store.listRuns({
    tenantId: run.tenantId,
    parentRunId: run.runId,
    status: LIVE_STATUSES,
    limit: 10_000,
  });
  for (const child of children)
    await cancelRun(deps, run.tenantId, child.runId, `parent run ${run.runId} was cancelled`);
  const error = serializeError(new CairnError('run_cancelled', `Run ${run.runId} was cancelled: ${reason}.`));
  const outcome: RunOutcome = { status: 'cancelled', error };
  await journal.append([{ kind: 'run.cancelled', reason }], [], { outcome });
  return outcome;
}

/**
 * Asks a run to cancel, and cancels it at once if no worker holds it or this process's worker does.
 * Returns false if there is no such live run.
 */
export async function cancelRun(
  deps: CancelDeps,
  tenantId: string,
  runId: string,
  reason: string,
): Promise<boolean> {
  const requested = await deps.store.requestCancel(tenantId, runId, deps.clock(), reason);
  if (requested === undefined || isFinalStatus(requested.status)) return false;
  const [claimed] = await deps.store.claim({
    workerId: deps.workerId,
    leaseMs: 30_000,
    limit: 1,
    now: deps.clock(),
    only: { tenantId, runId },
  });
  if (claimed !== undefined) await cancelClaimedRun(deps, claimed, reason);
  else await deps.cancelHere?.(tenantId, runId, reason);
  return true;
}
