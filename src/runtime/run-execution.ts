import type { Blob } from '../core/blob.js';
import { CairnError, isCairnError } from '../core/errors.js';
import type { JournalEvent, StoredEvent } from '../core/journal-event.js';
import { decodeValue, encodeValue } from '../core/payload-codec.js';
import type { RunOutcome } from '../core/run.js';
import { serializeError } from '../core/serialized-error.js';
import type { ClaimedRun, Store, StoredSignal } from '../core/store.js';
import type { ValueRef } from '../core/value-ref.js';
import { type CancelDeps, cancelClaimedRun } from './cancel-run.js';
import { CheckpointOperation } from './checkpoint-operation.js';
import { DeliveryQueue } from './delivery-queue.js';
import { loadJournal } from './journal-loader.js';
import { JournalWriter } from './journal-writer.js';
import type { Operation } from './operation.js';
import type { ContextHost, WaitCondition } from './operation-host.js';
import {
  type CompletionEvent,
  type OperationKind,
  ReplayHistory,
  recordedIdentity,
} from './replay-history.js';
import type { Workflow } from './workflow.js';
import { createWorkflowContext } from './workflow-context.js';

/** How one execution of a run ended, from the worker's point of view. */
export type ExecutionOutcome =
  | { readonly kind: 'finished'; readonly outcome: RunOutcome }
  | { readonly kind: 'suspended'; readonly wakeAt: number | undefined; readonly woken: boolean }
  | { readonly kind: 'needs_attention'; readonly reason: string }
  | { readonly kind: 'lost'; readonly error: unknown };

export interface RunExecutionDeps extends CancelDeps {
  readonly run: ClaimedRun;
  readonly workflow: Workflow<unknown, unknown>;
  /** How long a cancelled run waits for its running steps to return before it is recorded as cancelled. */
  readonly cancelGraceMs: number;
  readonly onChildCreated: () => void;
  /** The run's journal, when the caller already has it (a run it just created). */
  readonly events?: readonly StoredEvent[] | undefined;
}

type Settlement =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/**
 * One execution of a claimed run: replays its journal into the workflow code, then carries on live
 * until the workflow returns, throws, or blocks (then the run is suspended and leaves memory).
 *
 * Replay delivers recorded completions in journal order through the DeliveryQueue; operations the code
 * calls that the journal has not finished go live only once replay is done, so a live result is never
 * interleaved with replayed ones. The run is "blocked" when nothing is running, nothing is being
 * delivered, and some operation waits: that is when it suspends.
 */
export class RunExecution implements ContextHost {
  readonly run: ClaimedRun;
  readonly store: Store;
  readonly journal: JournalWriter;
  private readonly controller = new AbortController();
  private readonly deliveries: DeliveryQueue;
  private readonly operations = new Map<number, Operation>();
  private readonly waits = new Map<Operation, WaitCondition>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly consumedSignals = new Set<number>();
  private history!: ReplayHistory;
  private restoredStates: readonly unknown[] | undefined;
  private nextPosition = 0;
  private live = false;
  private halted = false;
  private settlement: Settlement | undefined;
  private quiescenceCheck: NodeJS.Immediate | undefined;
  private lastSignalId = 0;
  private inbox: StoredSignal[] = [];
  private finish!: (outcome: ExecutionOutcome) => void;
  readonly outcome: Promise<ExecutionOutcome>;

  constructor(private readonly deps: RunExecutionDeps) {
    this.run = deps.run;
    this.store = deps.store;
    this.outcome = new Promise((resolve) => {
      this.finish = resolve;
    });
    this.journal = new JournalWriter(
      deps.store,
      deps.run,
      deps.run.lastSeq,
      deps.clock,
      () => this.cancel(),
      (error) => this.fail(error),
    );
    this.deliveries = new DeliveryQueue(
      (error) => this.fail(error),
      () => this.scheduleQuiescenceCheck(),
    );
  }

  get abortSignal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.halted;
  }

  /** Runs the execution to its outcome. Never rejects. */
  async execute(): Promise<ExecutionOutcome> {
    try {
      if (this.run.cancelRequested) {
        this.cancel();
        return this.outcome;
      }
      const journal = await loadJournal(this.store, this.run, this.deps.events);
      const latest = journal.checkpoints.at(-1);
      this.history = new ReplayHistory(journal.started, journal.tail, latest?.consumedSignals);
      for (const id of this.history.consumedSignals) this.consumedSignals.add(id);
      if (latest !== undefined) {
        this.nextPosition = latest.position + 1;
        this.restoredStates = await Promise.all(
          journal.checkpoints.map((checkpoint) => this.decode(checkpoint.state)),
        );
      }
      const input = await this.decode(this.history.started.input);
      const ctx = createWorkflowContext(this, this.deps.workflow.name);
      Promise.resolve()
        .then(() => this.deps.workflow.run(ctx, input))
        .then(
          (value) => this.onWorkflowSettled({ ok: true, value }),
          (error: unknown) => this.onWorkflowSettled({ ok: false, error }),
        );
      for (const completion of this.history.completions)
        this.deliveries.push(() => this.replayCompletion(completion));
      this.deliveries.push(() => this.goLive());
    } catch (error) {
      this.fail(error);
    }
    return this.outcome;
  }

  // ---- Called by the workflow context ----

  /** Assigns the next position; checks it against the journal. */
  takePosition(kind: OperationKind, name: string): number | undefined {
    const position = this.nextPosition++;
    const recorded = this.history.at(position);
    if (recorded !== undefined) {
      const identity = recordedIdentity(recorded);
      if (identity.kind !== kind || identity.name !== name) {
        this.nonDeterminism(
          position,
          `the journal has ${identity.kind} '${identity.name}' there, but the code called ${kind} '${name}'`,
        );
        return undefined;
      }
    }
    return position;
  }

  /** Registers an operation the code called; it settles from the journal or goes live. */
  register(operation: Operation): Promise<unknown> {
    this.operations.set(operation.position, operation);
    if (this.live && !this.halted && !operation.settled) this.startLive(operation);
    return operation.promise;
  }

  /** The states of the run's checkpoints, oldest first, when this execution resumed from one. */
  restored(): readonly unknown[] | undefined {
    return this.restoredStates;
  }

  /** `ctx.checkpoint(state)`: only where nothing else is pending, so that replay can start right after. */
  checkpoint(state: unknown): Promise<void> {
    const pending = [...this.operations.values()].find((operation) => !operation.settled);
    if (pending !== undefined) {
      throw new CairnError(
        'invalid_argument',
        `ctx.checkpoint() was called while ${pending.kind} '${pending.name}' (position ${pending.position}) is still pending. Checkpoint between operations, when everything called so far has settled.`,
      );
    }
    const position = this.takePosition('checkpoint', 'checkpoint');
    if (position === undefined) return new Promise(() => undefined);
    const operation = new CheckpointOperation(position, this, state, () => [...this.consumedSignals]);
    if (this.history.at(position) !== undefined) void operation.replay();
    return this.register(operation) as Promise<void>;
  }

  /** `ctx.now()` and `ctx.random()`: the recorded value on replay, else a fresh one, recorded. */
  recordedValue(name: 'now' | 'random', fresh: () => number): number {
    const position = this.takePosition('value', name);
    if (position === undefined) return fresh();
    const recorded = this.history.at(position)?.[0];
    if (recorded?.kind === 'value.recorded') return recorded.value;
    const value = fresh();
    this.journal.defer({ kind: 'value.recorded', position, name, value });
    return value;
  }

  // ---- OperationHost ----

  now(): number {
    return this.deps.clock();
  }

  decode(ref: ValueRef): Promise<unknown> {
    return decodeValue(ref, (hashes) => this.store.getBlobs(this.run.tenantId, hashes));
  }

  deliver(settle: () => void | Promise<void>): void {
    if (!this.halted) this.deliveries.push(() => (this.halted ? undefined : settle()));
  }

  settle(
    events: readonly JournalEvent[],
    blobs: readonly Blob[],
    settle: () => void | Promise<void>,
  ): Promise<void> {
    return this.journal.append(events, blobs, { after: () => this.deliver(settle) });
  }

  wait(operation: Operation, condition: WaitCondition, onDue?: () => Promise<void>): void {
    this.waits.set(operation, condition);
    if (onDue !== undefined && condition.wakeAt !== undefined) {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          if (this.halted || !this.waits.has(operation)) return;
          this.waits.delete(operation);
          this.track(onDue());
        },
        Math.max(0, condition.wakeAt - this.now()),
      );
      this.timers.add(timer);
    }
    this.scheduleQuiescenceCheck();
  }

  async takeSignal(
    name: string,
    accept?: (signal: StoredSignal) => Promise<boolean>,
  ): Promise<StoredSignal | undefined> {
    const fresh = await this.store.readSignals(this.run.tenantId, this.run.runId, this.lastSignalId);
    for (const signal of fresh) {
      this.inbox.push(signal);
      this.lastSignalId = signal.signalId;
    }
    for (const signal of this.inbox) {
      if (signal.name !== name || this.consumedSignals.has(signal.signalId)) continue;
      if (accept !== undefined && !(await accept(signal))) continue;
      this.consumedSignals.add(signal.signalId);
      return signal;
    }
    return undefined;
  }

  childCreated(): void {
    this.deps.onChildCreated();
  }

  // ---- Control from the worker ----

  /**
   * Stops the run and records it as cancelled (children too), after running steps return. Without a
   * `reason`, the one stored with the cancel request is recorded.
   */
  cancel(reason?: string): void {
    if (this.halted) return;
    const why = reason === undefined ? '' : `: ${reason}`;
    this.halt(new CairnError('run_cancelled', `Run ${this.run.runId} was cancelled${why}.`));
    void this.settleInflight(this.deps.cancelGraceMs)
      .then(() => cancelClaimedRun(this.deps, this.run, reason, this.journal))
      .then(
        (outcome) => this.finish({ kind: 'finished', outcome }),
        (error: unknown) => this.finish({ kind: 'lost', error }),
      );
  }

  /** The lease is gone (or the store failed): stop at once and write nothing more. */
  lose(error: unknown): void {
    if (this.halted) return;
    this.halt(
      new CairnError('lease_lost', `Run ${this.run.runId} is no longer held by this worker.`, {
        cause: error,
      }),
    );
    this.finish({ kind: 'lost', error });
  }

  // ---- Internals ----

  private async replayCompletion(completion: CompletionEvent): Promise<void> {
    if (this.halted) return;
    const operation = this.operations.get(completion.position);
    if (operation === undefined) {
      const { kind, name } = recordedIdentity(this.history.at(completion.position)!);
      this.nonDeterminism(
        completion.position,
        `the journal has ${kind} '${name}' there, but the code has not called it`,
      );
      return;
    }
    await operation.replay(completion);
  }

  private goLive(): void {
    if (this.halted) return;
    this.live = true;
    const pending = [...this.operations.values()].filter((operation) => !operation.settled);
    for (const operation of pending.sort((a, b) => a.position - b.position)) this.startLive(operation);
    this.scheduleQuiescenceCheck();
  }

  private startLive(operation: Operation): void {
    this.track(operation.live(this.history.at(operation.position) ?? []));
  }

  private track(work: Promise<void>): void {
    const tracked: Promise<void> = work.then(
      () => {
        this.inflight.delete(tracked);
        this.scheduleQuiescenceCheck();
      },
      (error: unknown) => {
        this.inflight.delete(tracked);
        this.fail(error);
      },
    );
    this.inflight.add(tracked);
  }

  private onWorkflowSettled(settlement: Settlement): void {
    this.settlement = settlement;
    this.scheduleQuiescenceCheck();
  }

  /** After everything pending has had its turn: finish, suspend, or keep going. */
  private scheduleQuiescenceCheck(): void {
    // Every way to become quiescent (last operation done, deliveries drained, workflow settled, a
    // wait registered) calls this again, so there is no need to schedule while work is pending.
    if (this.quiescenceCheck !== undefined || this.halted || this.inflight.size > 0 || !this.deliveries.idle)
      return;
    this.quiescenceCheck = setImmediate(() => {
      this.quiescenceCheck = undefined;
      if (this.halted || !this.live || this.inflight.size > 0 || !this.deliveries.idle) return;
      if (this.settlement !== undefined) void this.complete(this.settlement);
      else if (this.waits.size > 0) void this.suspend();
    });
  }

  private async complete(settlement: Settlement): Promise<void> {
    if (this.history.lastPosition >= this.nextPosition) {
      const { kind, name } = recordedIdentity(this.history.at(this.history.lastPosition)!);
      this.nonDeterminism(
        this.history.lastPosition,
        `the journal has ${kind} '${name}' there, but the code finished after ${this.nextPosition} operation(s)`,
      );
      return;
    }
    this.halt(undefined);
    const ending = this.ending(settlement);
    try {
      await this.journal.append([ending.event], ending.blobs, { outcome: ending.outcome });
      this.finish({ kind: 'finished', outcome: ending.outcome });
    } catch (error) {
      this.finish({ kind: 'lost', error });
    }
  }

  /** The run's last event: its result, or its error (also when the result cannot be stored). */
  private ending(settlement: Settlement): { event: JournalEvent; blobs: Blob[]; outcome: RunOutcome } {
    if (settlement.ok) {
      try {
        const { ref: result, blobs } = encodeValue(
          settlement.value,
          `The result of workflow '${this.deps.workflow.name}'`,
        );
        return { event: { kind: 'run.completed', result }, blobs, outcome: { status: 'completed', result } };
      } catch (error) {
        return this.ending({ ok: false, error });
      }
    }
    const error = serializeError(settlement.error);
    return { event: { kind: 'run.failed', error }, blobs: [], outcome: { status: 'failed', error } };
  }

  private async suspend(): Promise<void> {
    this.halt(undefined);
    const conditions = [...this.waits.values()];
    const attention = conditions.find((condition) => condition.attention !== undefined)?.attention;
    const wakeTimes = conditions.flatMap((condition) =>
      condition.wakeAt === undefined ? [] : [condition.wakeAt],
    );
    const wakeAt = wakeTimes.length === 0 ? undefined : Math.min(...wakeTimes);
    try {
      await this.journal.flush();
      const { woken } = await this.store.suspend({
        ...this.run,
        status: attention === undefined ? 'waiting' : 'needs_attention',
        wakeAt,
        attention,
        seenWakeSeq: this.run.wakeSeq,
        now: this.now(),
      });
      this.finish(
        attention === undefined || woken
          ? { kind: 'suspended', wakeAt, woken }
          : { kind: 'needs_attention', reason: attention },
      );
    } catch (error) {
      this.finish({ kind: 'lost', error });
    }
  }

  /** The code no longer matches the journal: stop, leave the journal as it is, and ask for a person. */
  private nonDeterminism(position: number, mismatch: string): void {
    const reason =
      `Workflow '${this.deps.workflow.name}' does not match the journal of run ${this.run.runId} at position ${position}: ` +
      `${mismatch}. Deploy code that matches the journal, or fork the run before that position ` +
      `(cairn runs fork ${this.run.runId} --at ${position}). The journal is unchanged.`;
    this.stopForAttention(new CairnError('non_determinism', reason, { details: { position } }));
  }

  /**
   * Something failed that retrying will not fix (a defect, a conflicting id): a Cairn error that is not
   * an interruption stops the run for a person; anything else (a lost lease, a store outage) drops it,
   * and another claim retries once the lease expires.
   */
  private fail(error: unknown): void {
    if (isCairnError(error) && error.kind !== 'interruption') this.stopForAttention(error);
    else this.lose(error);
  }

  private stopForAttention(error: CairnError): void {
    if (this.halted) return;
    this.halt(error);
    this.journal.discardDeferred();
    void this.settleInflight(this.deps.cancelGraceMs)
      .then(() =>
        this.store.suspend({
          ...this.run,
          status: 'needs_attention',
          attention: error.message,
          seenWakeSeq: this.run.wakeSeq,
          now: this.now(),
        }),
      )
      .then(
        () => this.finish({ kind: 'needs_attention', reason: error.message }),
        (cause: unknown) => this.finish({ kind: 'lost', error: cause }),
      );
  }

  private halt(reason: CairnError | undefined): void {
    this.halted = true;
    if (reason !== undefined) this.controller.abort(reason);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.quiescenceCheck !== undefined) clearImmediate(this.quiescenceCheck);
  }

  /** Waits for running operations to return, at most `graceMs`. */
  private async settleInflight(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.inflight]), grace]);
    clearTimeout(timer);
  }
}
