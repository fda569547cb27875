import { CairnError } from '../../core/errors.js';
import type { AppendRequest, LeaseRef } from '../../core/store.js';

export function runNotFound(runId: string): CairnError {
  return new CairnError('run_not_found', `No run with id ${JSON.stringify(runId)} in this tenant.`, {
    details: { runId },
  });
}

export function staleWriter(lease: LeaseRef): CairnError {
  return new CairnError(
    'stale_writer',
    `The lease on run ${lease.runId} (fence ${lease.fence}) is no longer held: another worker claimed the run. This writer must stop.`,
    { details: { runId: lease.runId, fence: lease.fence } },
  );
}

/**
 * The CairnError for a refusal code of the append functions: `run_not_found`, `stale_writer` or
 * `sequence_conflict:<the run's event count>`.
 */
export function appendRefusal(code: string, request: AppendRequest): CairnError {
  const [kind, actual] = code.split(':');
  if (kind === 'run_not_found') return runNotFound(request.runId);
  if (kind === 'stale_writer') return staleWriter(request);
  return new CairnError(
    'sequence_conflict',
    `Run ${request.runId} has ${actual} events, but the writer expected ${request.expectedSeq}; another writer got there first.`,
  );
}
