import { isFinalStatus, type RunRecord } from '../core/run.js';
import type { Store } from '../core/store.js';
import { type RunKey, runKey } from './worker.js';

/**
 * Waits for runs to finish. Runs this process executes announce their end at once; for runs executed
 * elsewhere (another process, another machine) the store is polled, backing off to once a second.
 */
export class FinalWatch {
  private readonly waiters = new Map<RunKey, Set<() => void>>();

  constructor(private readonly store: Store) {}

  /** Tells waiters that a run executed here has settled (it may have finished). */
  notify(tenantId: string, runId: string): void {
    const key = runKey(tenantId, runId);
    const waiters = this.waiters.get(key);
    if (waiters === undefined) return;
    this.waiters.delete(key);
    for (const wake of waiters) wake();
  }

  /** Resolves with the run once it is completed, failed or cancelled; undefined if it does not exist. */
  async untilFinal(tenantId: string, runId: string, signal?: AbortSignal): Promise<RunRecord | undefined> {
    const key = runKey(tenantId, runId);
    for (let pollMs = 25; ; pollMs = Math.min(1_000, pollMs * 2)) {
      let wake!: () => void;
      const notified = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const waiters = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, waiters);
      waiters.add(wake);
      try {
        const run = await this.store.getRun(tenantId, runId);
        if (run === undefined || isFinalStatus(run.status)) return run;
        let timer: NodeJS.Timeout | undefined;
        const polled = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, pollMs);
        });
        await Promise.race([notified, polled]);
        clearTimeout(timer);
        signal?.throwIfAborted();
      } finally {
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiters.get(key) === waiters) this.waiters.delete(key);
      }
    }
  }
}
