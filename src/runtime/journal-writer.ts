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
 * Values recorded synchronously (`ctx.now()`, `ctx.random()`) are buffered and committed with the next
 * append. That is safe: until something is committed, nothing outside the run can have seen them.
 */
export class JournalWriter {
  private lastSeq: number;
  private tail: Promise<unknown> = Promise.resolve();
  private buffered: JournalEvent[] = [];
  private failure: unknown;

  constructor(
    private readonly store: Store,
    private readonly lease: LeaseRef,
    lastSeq: number,
    private readonly clock: () => number,
    private readonly onCancelRequested: () => void,
  ) {
    this.lastSeq = lastSeq;
  }

  /** Buffers an event to be committed with the next append. */
  buffer(event: JournalEvent): void {
    this.buffered.push(event);
  }

  /** Commits `events` (after any buffered ones), then runs `after`. Rejects for good once any append failed. */
  append(
    events: readonly JournalEvent[],
    blobs: readonly Blob[] = [],
    options: { outcome?: RunOutcome; after?: () => void } = {},
  ): Promise<void> {
    const next = this.tail.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      const batch = this.buffered.length === 0 ? events : [...this.buffered, ...events];
      this.buffered = [];
      if (batch.length === 0 && options.outcome === undefined) return options.after?.();
      try {
        const result = await this.store.append({
          ...this.lease,
          expectedSeq: this.lastSeq,
          events: batch,
          blobs,
          now: this.clock(),
          outcome: options.outcome,
        });
        this.lastSeq = result.lastSeq;
        if (result.cancelRequested) this.onCancelRequested();
      } catch (error) {
        this.failure = error;
        throw error;
      }
      options.after?.();
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Commits whatever is buffered. */
  flush(): Promise<void> {
    return this.append([]);
  }

  /** Resolves once every append asked for so far has settled. */
  settled(): Promise<unknown> {
    return this.tail;
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }
}
