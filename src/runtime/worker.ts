import { CairnError } from '../core/errors.js';
import type { StoredEvent } from '../core/journal-event.js';
import type { ClaimedRun, Store } from '../core/store.js';
import { type ExecutionOutcome, RunExecution } from './run-execution.js';
import { WakeSchedule } from './wake-schedule.js';
import { deadLocalWorkers } from './worker-identity.js';
import type { WorkflowRegistry } from './workflow-registry.js';

export interface WorkerOptions {
  readonly workerId: string;
  /** Runs executed at once. Default 32. */
  readonly concurrency: number;
  /** How long a claim lasts without a heartbeat. Default 30 s; heartbeats every third of it. */
  readonly leaseMs: number;
  /** How often to look for runnable runs when nothing tells us sooner. Default 250 ms. */
  readonly pollMs: number;
  /** How long a cancelled run's running steps get to return before it is recorded as cancelled. */
  readonly cancelGraceMs: number;
  readonly clock: () => number;
}

export type RunKey = `${string}/${string}`;

export function runKey(tenantId: string, runId: string): RunKey {
  return `${tenantId}/${runId}`;
}

/**
 * Claims runnable runs from the store and executes them, up to `concurrency` at a time, renewing their
 * leases while they run. A run that blocks is suspended and forgotten; the worker remembers only when
 * to look again (its wake time), and the store remembers everything else.
 */
export class Worker {
  private readonly active = new Map<RunKey, RunExecution>();
  /** For each active execution, settles once it has finished and left `active`. */
  private readonly settled = new Map<RunKey, Promise<void>>();
  /** Set while a claim is in flight; settles once the runs it claimed are launched. */
  private claiming: Promise<void> | undefined;
  private readonly wakes: WakeSchedule;
  private running = false;
  private poked = false;
  private wakeLoop: (() => void) | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopWatching: (() => Promise<void>) | undefined;
  /** The last claim filled every free slot, so more runs may be waiting. */
  private wasFull = false;

  constructor(
    private readonly store: Store,
    private readonly registry: WorkflowRegistry,
    private readonly options: WorkerOptions,
    private readonly onSettled: (run: ClaimedRun, outcome: ExecutionOutcome) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.wakes = new WakeSchedule(options.clock, () => this.poke());
  }

  get activeRuns(): number {
    return this.active.size;
  }

  /** Starts claiming, after making the runs of dead local workers claimable at once. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const dead = deadLocalWorkers(await this.store.leaseOwners());
    if (dead.length > 0) await this.store.expireLeases(dead, this.options.clock());
    // Renew at a third of the lease, and at least every 5 s so that a cancel asked from another process
    // is seen soon.
    const every = Math.max(50, Math.min(5_000, this.options.leaseMs / 3));
    this.heartbeat = setInterval(() => void this.renewLeases(), every);
    // Stores that can tell when a run becomes claimable (PostgreSQL) wake the worker at once.
    this.stopWatching = await this.store.watchWakeups(() => this.poke());
    this.heartbeat.unref();
    this.loopDone = this.loop();
  }

  /** Asks the worker to look for runnable runs now rather than at its next poll. */
  poke(): void {
    this.poked = true;
    this.wakeLoop?.();
  }

  /**
   * Stops claiming, then gives running executions `graceMs` to suspend or finish; those still running
   * are dropped and their leases released, so another worker takes them over at once.
   */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loopDone;
    await this.stopWatching?.();
    this.wakes.clear();
    const executions = [...this.active.values()];
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    // Leases are still renewed while running executions drain (and a cancel asked meanwhile is seen):
    // a lapsed lease would let another worker run a step that is still running here.
    await Promise.race([Promise.allSettled(executions.map((execution) => execution.outcome)), grace]);
    clearTimeout(timer);
    clearInterval(this.heartbeat);
    for (const execution of this.active.values()) {
      execution.lose(
        new CairnError(
          'runtime_closed',
          `The worker stopped while run ${execution.run.runId} was running; it is released for another worker.`,
        ),
      );
      await this.store.release({ ...execution.run, now: this.options.clock() }).catch(this.onError);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.poked = false;
      const free = this.options.concurrency - this.active.size;
      let claimed: ClaimedRun[] = [];
      if (free > 0) {
        let launched!: () => void;
        this.claiming = new Promise((resolve) => {
          launched = resolve;
        });
        try {
          claimed = await this.store.claim({
            workerId: this.options.workerId,
            leaseMs: this.options.leaseMs,
            limit: free,
            now: this.options.clock(),
            workflows: this.registry.names,
          });
        } catch (error) {
          this.onError(error);
        }
        for (const run of claimed) this.launch(run);
        this.claiming = undefined;
        launched();
      }
      this.wasFull = free <= 0 || claimed.length === free;
      if (this.running && !this.poked && (claimed.length < free || free <= 0)) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wakeLoop = undefined;
        resolve();
      }
      this.wakeLoop = done;
    });
  }

  /**
   * Cancels a run this worker is executing (or has just claimed), at once, and resolves true when the
   * execution has stopped and recorded the cancellation; false if this worker does not hold the run.
   */
  async cancelHere(tenantId: string, runId: string, reason: string): Promise<boolean> {
    await this.claiming; // a claim in flight may be taking this very run
    const key = runKey(tenantId, runId);
    const execution = this.active.get(key);
    if (execution === undefined) return false;
    execution.cancel(reason);
    await this.settled.get(key);
    return true;
  }

  /** True while this worker is executing the run. */
  isRunning(tenantId: string, runId: string): boolean {
    return this.active.has(runKey(tenantId, runId));
  }

  /** True if this worker executes `workflow` and has a free slot: `start` may then hand it a new run. */
  canAdopt(workflow: string): boolean {
    return (
      this.running && this.active.size < this.options.concurrency && this.registry.get(workflow) !== undefined
    );
  }

  /** Executes a run this worker already holds (created with `leaseTo`), with the journal it was created with. */
  adopt(run: ClaimedRun, events: readonly StoredEvent[]): void {
    this.launch(run, events);
  }

  private launch(run: ClaimedRun, events?: readonly StoredEvent[]): void {
    const workflow = this.registry.get(run.workflow);
    if (workflow === undefined) return; // unreachable: claims are filtered by workflow name
    const execution = new RunExecution({
      store: this.store,
      run,
      workflow,
      clock: this.options.clock,
      workerId: this.options.workerId,
      cancelGraceMs: this.options.cancelGraceMs,
      onChildCreated: () => this.poke(),
      cancelHere: (tenantId, runId, reason) => this.cancelHere(tenantId, runId, reason),
      events,
    });
    const key = runKey(run.tenantId, run.runId);
    this.active.set(key, execution);
    const settled = execution.execute().then((outcome) => {
      this.active.delete(key);
      this.settled.delete(key);
      if (outcome.kind === 'suspended' && outcome.wakeAt !== undefined) this.wakes.at(outcome.wakeAt);
      if (outcome.kind === 'lost') this.onError(outcome.error);
      this.onSettled(run, outcome);
      // Look again at once if this run may be runnable again, may have woken its parent, or if the
      // worker was full (runs may be waiting for the freed slot); otherwise the next poll will do.
      const rewoken = outcome.kind === 'suspended' && outcome.woken;
      const finished = outcome.kind === 'finished';
      if (rewoken || (finished && run.parentRunId !== undefined) || this.wasFull) this.poke();
    });
    this.settled.set(key, settled);
  }

  private async renewLeases(): Promise<void> {
    if (this.active.size === 0) return;
    const executions = [...this.active.values()];
    try {
      const states = await this.store.renewLeases({
        workerId: this.options.workerId,
        leases: executions.map((execution) => execution.run),
        leaseMs: this.options.leaseMs,
        now: this.options.clock(),
      });
      for (const state of states) {
        const execution = this.active.get(runKey(state.tenantId, state.runId));
        if (execution === undefined) continue;
        if (!state.held) {
          execution.lose(
            new CairnError('lease_lost', `Another worker claimed run ${state.runId}; this one stops.`),
          );
        } else if (state.cancelRequested) execution.cancel();
      }
    } catch (error) {
      this.onError(error);
    }
  }
}
