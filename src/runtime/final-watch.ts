import { type FinalRunStatus, isFinalStatus, type RunOutcome, type RunRecord } from '../core/run.js';
import type { Store } from '../core/store.js';
import { type RunKey, runKey } from './worker.js';

/**
 * Waits for runs to finish. Runs this process executes announce their outcome at once; for runs
 * executed elsewhere (another process, another machine) the store is polled, backing off to once a second.
 */
export class FinalWatch {
  private readonly waiters = new Map<RunKey, Set<(outcome: RunOutcome | undefined) => void>>();

  constructor(private readonly store: Store) {}

  /** Tells waiters that a run executed here has settled, with its outcome if it finished. */
  notify(tenantId: string, runId: string, outcome?: RunOutcome): void {
    const key = runKey(tenantId, runId);
    const waiters = this.waiters.get(key);
    if (waiters === undefined) return;
    this.waiters.delete(key);
    for (const wake of waiters) wake(outcome);
  }

  /** Resolves with the run's outcome once it is completed, failed or cancelled; undefined if there is no such run. */
  async untilFinal(
    tenantId: string,
    runId: string,
    options: { signal?: AbortSignal | undefined; runningHere?: () => boolean } = {},
  ): Promise<RunOutcome | undefined> {
    const key = runKey(tenantId, runId);
    for (let pollMs = 25; ; pollMs = Math.min(1_000, pollMs * 2)) {
      let wake!: (outcome: RunOutcome | undefined) => void;
      const notified = new Promise<RunOutcome | undefined>((resolve) => {
        wake = resolve;
      });
      const waiters = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, waiters);
      waiters.add(wake);
      let timer: NodeJS.Timeout | undefined;
      try {
        // A run this process is executing announces its end: no need to ask the store.
        if (options.runningHere?.() !== true) {
          const run = await this.store.getRun(tenantId, runId);
          if (run === undefined) return undefined;
          if (isFinalStatus(run.status)) return outcomeOf(run.status, run);
        }
        const polled = new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), pollMs);
        });
        const outcome = await Promise.race([notified, polled]);
        if (outcome !== undefined) return outcome;
        options.signal?.throwIfAborted();
      } finally {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiters.get(key) === waiters) this.waiters.delete(key);
      }
    }
  }
}

function outcomeOf(status: FinalRunStatus, run: RunRecord): RunOutcome {
  return status === 'completed'
    ? { status, result: run.result ?? { undefined: true } }
    : { status, error: run.error ?? { name: 'Error', message: `The run was ${status}.` } };
}
