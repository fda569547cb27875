import type { ApprovalDecision, ApprovalRecord, ApprovalStatus } from './approval.js';
import type { Blob } from './blob.js';
import type { JournalEvent, JournalEventKind, StoredEvent } from './journal-event.js';
import type { RunOutcome, RunRecord, RunStatus } from './run.js';
import type { ValueRef } from './value-ref.js';

/**
 * The persistence port. One implementation per database (SQLite, PostgreSQL), each passing the same
 * conformance suite (`test/store/run-store-conformance.ts`). All times are epoch milliseconds passed in
 * by the caller, so the store never reads a clock and tests control time.
 *
 * Single-writer rule: only the holder of a run's lease appends to its journal. A claim increments the
 * run's `fence`; `append` and every lease operation name the fence they hold and are refused with
 * `stale_writer` once someone else has claimed the run. Signals, cancel requests and child completions
 * come from outside the lease: they go to the run's inbox and bump its `wakeSeq`, which a lease holder
 * compares when it suspends so that nothing that arrived meanwhile is slept through.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;

  /**
   * Creates a run with its first events, or returns the existing run with that id (`created: false`).
   * With `leaseTo`, a run it creates is already claimed by that worker (saving a claim round trip).
   */
  createRun(request: CreateRunRequest): Promise<CreateRunResult>;
  getRun(tenantId: string, runId: string): Promise<RunRecord | undefined>;
  listRuns(query: RunQuery): Promise<RunRecord[]>;
  /** Events with `seq > afterSeq`, in order; only those of the given kinds, and at most `limit`, if asked. */
  readEvents(
    tenantId: string,
    runId: string,
    afterSeq?: number,
    options?: ReadEventsOptions,
  ): Promise<StoredEvent[]>;

  /**
   * Appends events at `expectedSeq + 1...` in one transaction, with the blobs they refer to.
   * Refused with `stale_writer` if `fence` is no longer the run's, and `sequence_conflict` if the
   * journal has moved past `expectedSeq`. With `outcome`, the run ends: its lease is released and its
   * parent, if any, is woken.
   */
  append(request: AppendRequest): Promise<AppendResult>;

  putBlobs(tenantId: string, blobs: readonly Blob[]): Promise<void>;
  getBlobs(tenantId: string, hashes: readonly string[]): Promise<Map<string, Blob>>;

  /** Leases up to `limit` runs whose time has come (runnable, woken, due, or with an expired lease). */
  claim(request: ClaimRequest): Promise<ClaimedRun[]>;
  /** Extends leases still held; reports for each whether it is held and whether a cancel was asked. */
  renewLeases(request: RenewLeasesRequest): Promise<LeaseState[]>;
  /** Gives up a lease and leaves the run waiting; if it was woken since the claim, makes it runnable. */
  suspend(request: SuspendRequest): Promise<SuspendResult>;
  /** Gives up a lease and leaves the run runnable for any worker (used when a worker drains). */
  release(request: LeaseRef & { readonly now: number }): Promise<void>;
  /** Makes the runs leased by these (dead) workers claimable now instead of when their leases expire. */
  expireLeases(owners: readonly string[], now: number): Promise<number>;
  /** Workers that hold at least one lease. */
  leaseOwners(): Promise<string[]>;
  /**
   * Queue depth: runs a claim would take now (of these workflows, if given), across tenants: runnable
   * runs, due timers, and runs whose worker's lease has expired.
   */
  countClaimable(now: number, workflows?: readonly string[]): Promise<number>;

  /** Puts a signal in the run's inbox and wakes the run. */
  sendSignal(request: SendSignalRequest): Promise<{ readonly signalId: number }>;
  /** Signals in the run's inbox with `signalId > afterId`, oldest first. */
  readSignals(tenantId: string, runId: string, afterId?: number): Promise<StoredSignal[]>;
  /** Records a request for a person's decision; asking again with the same id returns the first one. */
  requestApproval(request: RequestApprovalRequest): Promise<ApprovalRecord>;
  getApproval(tenantId: string, approvalId: string): Promise<ApprovalRecord | undefined>;
  listApprovals(query: ApprovalQuery): Promise<ApprovalRecord[]>;
  /**
   * Records a decision on a pending approval and, in the same transaction, sends it to the run's inbox
   * (see `approvalSignalName`) and wakes the run. Returns the approval as it now stands; if it was no
   * longer pending, returns it unchanged (`decided: false`).
   */
  decideApproval(
    request: DecideApprovalRequest,
  ): Promise<{ readonly approval: ApprovalRecord; readonly decided: boolean }>;

  /** Marks a live run to be cancelled and wakes it. Returns the run, or undefined if there is none. */
  requestCancel(
    tenantId: string,
    runId: string,
    now: number,
    reason?: string,
  ): Promise<RunRecord | undefined>;

  /**
   * Takes `cost` from the token bucket `key` if it holds that much; else says when it will. A bucket
   * starts full. Atomic across every process sharing the store: concurrent takers never over-draw it.
   */
  takeRate(request: RateRequest): Promise<RateGrant>;
  /** Takes `cost` whatever the balance: the bucket may go negative, and later takers wait until it refills. */
  debitRate(request: RateRequest): Promise<void>;

  /**
   * Calls `listener` whenever some run may have become claimable (stores with `pushWakeups`); stores
   * without it never call it, and workers poll. Resolves to a function that stops listening.
   */
  watchWakeups(listener: () => void): Promise<() => Promise<void>>;

  close(): Promise<void>;
}

/** What differs between stores, as facts rather than optional methods. */
export interface StoreCapabilities {
  /** Several processes can write at the same time (PostgreSQL) rather than one at a time (SQLite). */
  readonly concurrentWriters: boolean;
  /** The store tells workers when a run becomes claimable, so they need not poll quickly. */
  readonly pushWakeups: boolean;
}

export interface CreateRunRequest {
  readonly tenantId: string;
  readonly runId: string;
  readonly workflow: string;
  readonly parentRunId?: string | undefined;
  readonly events: readonly JournalEvent[];
  readonly blobs: readonly Blob[];
  readonly now: number;
  readonly leaseTo?: { readonly workerId: string; readonly leaseMs: number } | undefined;
}

export interface ReadEventsOptions {
  readonly kinds?: readonly JournalEventKind[] | undefined;
  readonly limit?: number | undefined;
}

export interface CreateRunResult {
  readonly created: boolean;
  readonly run: RunRecord;
  /** The lease, when the run was created with `leaseTo`. */
  readonly claimed?: ClaimedRun | undefined;
}

export interface RunQuery {
  readonly tenantId: string;
  readonly status?: readonly RunStatus[] | undefined;
  readonly workflow?: string | undefined;
  readonly parentRunId?: string | undefined;
  /** Runs created before this run's creation (paging, newest first). */
  readonly before?: { readonly createdAt: number; readonly runId: string } | undefined;
  readonly limit?: number | undefined;
}

export interface LeaseRef {
  readonly tenantId: string;
  readonly runId: string;
  readonly fence: number;
}

export interface AppendRequest extends LeaseRef {
  readonly expectedSeq: number;
  readonly events: readonly JournalEvent[];
  readonly blobs: readonly Blob[];
  readonly now: number;
  readonly outcome?: RunOutcome | undefined;
}

export interface AppendResult {
  readonly lastSeq: number;
  readonly cancelRequested: boolean;
}

export interface ClaimRequest {
  readonly workerId: string;
  readonly leaseMs: number;
  readonly limit: number;
  readonly now: number;
  /** Only runs of these workflows (the ones this worker can execute). Undefined: any workflow. */
  readonly workflows?: readonly string[] | undefined;
  /** Only this run (used to cancel a run that no worker holds). */
  readonly only?: { readonly tenantId: string; readonly runId: string } | undefined;
}

export interface ClaimedRun extends LeaseRef {
  readonly workflow: string;
  readonly parentRunId: string | undefined;
  readonly lastSeq: number;
  /** The inbox counter at claim time; pass it back to `suspend`. */
  readonly wakeSeq: number;
  readonly cancelRequested: boolean;
}

export interface RenewLeasesRequest {
  readonly workerId: string;
  readonly leases: readonly LeaseRef[];
  readonly leaseMs: number;
  readonly now: number;
}

export interface LeaseState {
  readonly tenantId: string;
  readonly runId: string;
  readonly held: boolean;
  readonly cancelRequested: boolean;
}

export interface SuspendRequest extends LeaseRef {
  readonly status: Extract<RunStatus, 'waiting' | 'needs_attention'>;
  readonly wakeAt?: number | undefined;
  readonly attention?: string | undefined;
  readonly seenWakeSeq: number;
  readonly now: number;
}

export interface SuspendResult {
  /** Something arrived after the claim: the run was left runnable rather than waiting. */
  readonly woken: boolean;
}

export interface SendSignalRequest {
  readonly tenantId: string;
  readonly runId: string;
  readonly name: string;
  readonly payload: ValueRef;
  readonly blobs: readonly Blob[];
  readonly now: number;
}

export interface RequestApprovalRequest {
  readonly tenantId: string;
  readonly approvalId: string;
  readonly runId: string;
  readonly request: ApprovalRecord['request'];
  readonly expiresAt?: number | undefined;
  readonly now: number;
}

export interface ApprovalQuery {
  readonly tenantId: string;
  readonly status?: readonly ApprovalStatus[] | undefined;
  readonly runId?: string | undefined;
  readonly limit?: number | undefined;
}

export interface DecideApprovalRequest {
  readonly tenantId: string;
  readonly approvalId: string;
  /** `expired` when a timeout takes the default decision. */
  readonly status: Exclude<ApprovalStatus, 'pending'>;
  readonly decision: ApprovalDecision;
  readonly now: number;
}

export interface StoredSignal {
  readonly signalId: number;
  readonly name: string;
  readonly payload: ValueRef;
  readonly at: number;
}

/**
 * A draw on a token bucket shared by every worker on the store (see `takeRate`, `debitRate`). The
 * bucket holds at most `capacity` and refills `refillPerMs` per millisecond; its size is given with
 * every request, so a changed limit applies from the next one.
 */
export interface RateRequest {
  /** The tenant whose bucket it is, or `'*'` for one bucket shared by all tenants. */
  readonly tenantId: string;
  readonly key: string;
  readonly capacity: number;
  readonly refillPerMs: number;
  /** What to take. 0 takes nothing but is granted only while the bucket is not in debt. */
  readonly cost: number;
  readonly now: number;
}

/** The answer of `takeRate`: taken, or not yet, with the time from which the bucket will cover the cost. */
export type RateGrant = { readonly granted: true } | { readonly granted: false; readonly retryAt: number };
