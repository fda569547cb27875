import type { Blob } from '../core/blob.js';
import type { JournalEvent } from '../core/journal-event.js';
import type { RunOutcome } from '../core/run.js';
import type { LeaseRef, Store } from '../core/store.js';

/**
 * The only path by which a run's journal grows while a worker holds it. Appends are chained, so they
 * reach the store one at a time and in the order they were asked for; each carries the expected sequence
 * number and the lease's fence. `after` callbacks run in the same order, right after their append
 * commits: that is how results reach the workflow in journal order.
 *
 * Deferred events are committed with the next append, or two event-loop turns later (once the
 * workflow has seen them and made its next write, if it had one to make), whichever comes first. They are the facts whose loss in a crash costs nothing but a repeat: values
 * recorded by `ctx.now()` / `ctx.random()`, results of steps that may safely run again (`pure`,
 * `idempotent`), fired timers, received signals, finished children. Every append that lets something
 * leave the process (a step's intent, a child run, a wait, the run's end) commits them first, so nothing
 * outside the run ever depends on a fact the journal could lose.
 */
export class JournalWriter {
  private lastSeq: number;
  private tail: Promise<unknown> = Promise.resolve();
  private deferred: JournalEvent[] = [];
  private deferredBlobs: Blob[] = [];
  private onDeferredCommit: (() => void)[] = [];
  private flushScheduled = false;
  private failure: unknown;

  constructor(
    private readonly store: Store,
    private readonly lease: LeaseRef,
    lastSeq: number,
    private readonly clock: () => number,
    private readonly onCancelRequested: () => void,
    private readonly onFailure: (error: unknown) => void,
  ) {
    this.lastSeq = lastSeq;
  }

  /** Defers an event (see the class comment); `onCommit` runs once it is committed. */
  defer(event: JournalEvent, blobs: readonly Blob[] = [], onCommit?: () => void): void {
    this.deferred.push(event);
    if (blobs.length > 0) this.deferredBlobs.push(...blobs);
    if (onCommit !== undefined) this.onDeferredCommit.push(onCommit);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Two turns later: the first lets the workflow see the result and make its next write, which
      // carries the deferred events with it; only if it made none is a commit of their own needed.
      setImmediate(() =>
        setImmediate(() => {
          this.flushScheduled = false;
          if (this.deferred.length > 0) this.flush().catch(this.onFailure);
        }),
      );
    }
  }

  /** Drops deferred events: used when the run stops because its code no longer matches the journal. */
  discardDeferred(): void {
    this.deferred = [];
    this.deferredBlobs = [];
    this.onDeferredCommit = [];
  }

  /** True while deferred events wait to be committed. */
  get hasDeferred(): boolean {
    return this.deferred.length > 0;
  }

  /** Commits deferred events, then `events`, then runs `after`. Rejects for good once any append failed. */
  append(
    events: readonly JournalEvent[],
    blobs: readonly Blob[] = [],
    options: { outcome?: RunOutcome; after?: () => void } = {},
  ): Promise<void> {
    const next = this.tail.then(() => this.commit(events, blobs, options));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Commits whatever is deferred. */
  flush(): Promise<void> {
    return this.append([]);
  }

  /** Resolves once every append asked for so far has settled. */
  settled(): Promise<unknown> {
    return this.tail;
  }

  private async commit(
    events: readonly JournalEvent[],
    blobs: readonly Blob[],
    options: { outcome?: RunOutcome; after?: () => void },
  ): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const batch = this.deferred.length === 0 ? events : [...this.deferred, ...events];
    const batchBlobs = this.deferredBlobs.length === 0 ? blobs : [...this.deferredBlobs, ...blobs];
    const committed = this.onDeferredCommit;
    this.deferred = [];
    this.deferredBlobs = [];
    this.onDeferredCommit = [];
    if (batch.length > 0 || options.outcome !== undefined) {
      try {
        const result = await this.store.append({
          tenantId: this.lease.tenantId,
          runId: this.lease.runId,
          fence: this.lease.fence,
          expectedSeq: this.lastSeq,
          events: batch,
          blobs: batchBlobs,
          now: this.clock(),
          outcome: options.outcome,
        });
        this.lastSeq = result.lastSeq;
        if (result.cancelRequested) this.onCancelRequested();
      } catch (error) {
        this.failure = error;
        throw error;
      }
    }
    for (const callback of committed) callback();
    options.after?.();
  }
}
