import type { SerializedError } from './serialized-error.js';
import type { ValueRef } from './value-ref.js';

/**
 * Where a run is in its life. `runnable`, `running`, `waiting` and `needs_attention` are live;
 * `completed`, `failed` and `cancelled` are final.
 * - `waiting`: blocked on a timer, a signal or a child run; held by no worker and in no memory.
 * - `needs_attention`: stopped until a person acts (a side effect left in doubt, or workflow code that
 *   no longer matches its journal); the reason is in `attention`.
 */
export type RunStatus =
  | 'runnable'
  | 'running'
  | 'waiting'
  | 'needs_attention'
  | 'completed'
  | 'failed'
  | 'cancelled';

export type FinalRunStatus = Extract<RunStatus, 'completed' | 'failed' | 'cancelled'>;

export const RUN_STATUSES: readonly RunStatus[] = [
  'runnable',
  'running',
  'waiting',
  'needs_attention',
  'completed',
  'failed',
  'cancelled',
];

export function isFinalStatus(status: RunStatus): status is FinalRunStatus {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** The tenant every row belongs to when none is named. */
export const DEFAULT_TENANT = 'default';

/** A run as the store keeps it: its identity, status, outcome and scheduling facts. */
export interface RunRecord {
  readonly tenantId: string;
  readonly runId: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly parentRunId: string | undefined;
  readonly lastSeq: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When a waiting run will be woken by a timer or a timeout, if it will. */
  readonly wakeAt: number | undefined;
  readonly leaseOwner: string | undefined;
  readonly cancelRequested: boolean;
  /** Why cancelling was requested, as given with the first request. */
  readonly cancelReason?: string;
  readonly result: ValueRef | undefined;
  readonly error: SerializedError | undefined;
  /** Why a run in `needs_attention` stopped, and what a person can do. */
  readonly attention: string | undefined;
}

/** A run's final outcome, recorded together with its last journal event. */
export type RunOutcome =
  | { readonly status: 'completed'; readonly result: ValueRef }
  | { readonly status: 'failed' | 'cancelled'; readonly error: SerializedError };
