import type { ApprovalRecord, ApprovalStatus } from '../core/approval.js';
import { CairnError, isCairnError } from '../core/errors.js';
import type { JournalEvent, StoredEvent } from '../core/journal-event.js';
import { decodeValue, encodeValue } from '../core/payload-codec.js';
import { DEFAULT_TENANT, isFinalStatus, type RunRecord, type RunStatus } from '../core/run.js';
import { deserializeError } from '../core/serialized-error.js';
import type { Store } from '../core/store.js';
import type { JsonValue } from '../core/value-ref.js';
import { DEFAULT_STORE_URL, openStore } from '../store/open-store.js';
import { cancelRun } from './cancel-run.js';
import { FinalWatch } from './final-watch.js';
import { forkEvents } from './fork-events.js';
import { pendingResolutions } from './pending-resolutions.js';
import { parseResolution, RESOLVE_SIGNAL, type StepResolution } from './step-resolution.js';
import { Worker } from './worker.js';
import { newWorkerId } from './worker-identity.js';
import { assertName, type Workflow } from './workflow.js';
import { WorkflowRegistry } from './workflow-registry.js';

/** Any workflow, whatever its input and output types. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds workflows of every input type.
export type AnyWorkflow = Workflow<any, unknown>;

export interface RuntimeOptions {
  /** A store URL (`sqlite:<path>`) or a Store. Default: `CAIRN_STORE`, else `sqlite:.cairn/cairn.db`. */
  readonly store?: string | Store;
  /** The workflows this runtime executes. Runs of other workflows are left for other processes. */
  readonly workflows?: readonly AnyWorkflow[];
  /** The tenant used when a call names none. Default `default`. */
  readonly tenant?: string;
  /** Worker settings, or `false` for a runtime that starts and inspects runs but executes none. */
  readonly worker?: false | WorkerSettings;
  /** Where errors that no caller can receive go (a store outage in the background). Default: stderr. */
  readonly onError?: (error: unknown) => void;
  /** Create the store when it does not exist (default true; tools that only inspect pass false). */
  readonly createStore?: boolean;
  /** The clock, for tests. Default `Date.now`. */
  readonly clock?: () => number;
}

export interface WorkerSettings {
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly cancelGraceMs?: number;
  readonly workerId?: string;
}

/** Where a runtime's worker is: not started (or none), executing runs, finishing them in `close()`, stopped. */
export type WorkerPhase = 'idle' | 'running' | 'draining' | 'stopped';

/** A runtime's worker as health checks and metrics see it (`Runtime.workerStatus()`). */
export interface WorkerStatus {
  readonly workerId: string;
  /** The workflows it executes, children (sub-agents) included. */
  readonly workflows: readonly string[];
  /** Runs it executes at once, at most; 0 for a runtime without a worker. */
  readonly concurrency: number;
  /** Runs it is executing now. */
  readonly activeRuns: number;
  readonly phase: WorkerPhase;
}

export interface CallOptions {
  readonly tenant?: string;
}

export interface StartOptions extends CallOptions {
  /** Makes `start` idempotent: starting the same run id again returns the existing run. */
  readonly runId?: string;
}

/** A started run: its id, and a way to wait for its result. */
export interface RunHandle<O> {
  readonly runId: string;
  readonly tenantId: string;
  /** Resolves with the run's result once it completes; rejects if it fails or is cancelled. */
  result(options?: { signal?: AbortSignal }): Promise<O>;
  /** The run as the store has it now. */
  status(): Promise<RunRecord>;
}

export interface RunInspection {
  readonly run: RunRecord;
  readonly events: StoredEvent[];
}

export interface DecisionOptions extends CallOptions {
  /** Who decides (recorded with the decision). */
  readonly by?: string;
  readonly reason?: string;
}

export interface ListRunsOptions extends CallOptions {
  readonly status?: RunStatus | readonly RunStatus[];
  readonly workflow?: string;
  readonly parentRunId?: string;
  readonly limit?: number;
  /** Paging: only runs created before this one (runs come newest first). */
  readonly before?: { readonly createdAt: number; readonly runId: string };
}

/**
 * Creates a runtime: opens the store (creating `.cairn/cairn.db` on first use), and starts a worker
 * that resumes every unfinished run of the given workflows, without being asked.
 */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const ownsStore = typeof options.store !== 'object';
  const store =
    typeof options.store === 'object'
      ? options.store
      : await openStore(options.store ?? process.env.CAIRN_STORE ?? DEFAULT_STORE_URL, {
          createIfMissing: options.createStore ?? true,
        });
  const runtime = new Runtime(store, ownsStore, options);
  await runtime.startWorker();
  return runtime;
}

/** The library's entry point to durable runs: start, signal, cancel, resolve, fork and inspect them. */
export class Runtime {
  readonly workerId: string;
  private readonly registry: WorkflowRegistry;
  private readonly tenant: string;
  private readonly clock: () => number;
  private readonly worker: Worker | undefined;
  private readonly leaseMs: number;
  private readonly finals: FinalWatch;
  private closed = false;
  private readonly concurrency: number;
  private phase: WorkerPhase = 'idle';

  constructor(
    readonly store: Store,
    private readonly ownsStore: boolean,
    options: RuntimeOptions,
  ) {
    this.registry = new WorkflowRegistry(options.workflows ?? []);
    this.tenant = options.tenant ?? DEFAULT_TENANT;
    this.clock = options.clock ?? Date.now;
    this.finals = new FinalWatch(store);
    const settings = options.worker === false ? undefined : (options.worker ?? {});
    this.workerId = settings?.workerId ?? newWorkerId();
    this.leaseMs = positive(settings?.leaseMs ?? 30_000, 'worker.leaseMs');
    this.concurrency = positive(settings?.concurrency ?? 32, 'worker.concurrency');
    const onError = options.onError ?? reportError;
    this.worker =
      settings === undefined
        ? undefined
        : new Worker(
            store,
            this.registry,
            {
              workerId: this.workerId,
              concurrency: this.concurrency,
              leaseMs: this.leaseMs,
              // With push wakeups, polling is only the fallback for timers of other workers' runs.
              pollMs: positive(
                settings.pollMs ?? (store.capabilities.pushWakeups ? 1_000 : 250),
                'worker.pollMs',
              ),
              cancelGraceMs: settings.cancelGraceMs ?? 10_000,
              clock: this.clock,
            },
            (run, outcome) =>
              this.finals.notify(
                run.tenantId,
                run.runId,
                outcome.kind === 'finished' ? outcome.outcome : undefined,
              ),
            (error) => {
              if (!isCairnError(error) || error.kind !== 'interruption') onError(error);
            },
          );
  }

  /** @internal Called by createRuntime. */
  async startWorker(): Promise<void> {
    await this.worker?.start();
    if (this.worker !== undefined) this.phase = 'running';
  }

  /** Starts a run of `workflow`, or returns the existing run when `runId` is already taken by it. */
  async start<I, O>(workflow: Workflow<I, O>, input: I, options: StartOptions = {}): Promise<RunHandle<O>> {
    this.assertOpen();
    if (workflow?.name === undefined || typeof workflow.run !== 'function') {
      throw new CairnError(
        'invalid_argument',
        'runtime.start(workflow, input): workflow must come from defineWorkflow().',
      );
    }
    const tenantId = this.tenantOf(options);
    const runId =
      options.runId ??
      `${workflow.name}-${this.clock().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    assertRunId(runId);
    const checked = this.validateInput(workflow, input);
    const encoded = encodeValue(checked, `The input of workflow '${workflow.name}'`);
    const now = this.clock();
    const started: JournalEvent = { kind: 'run.started', workflow: workflow.name, input: encoded.ref };
    // When this runtime's worker can run it now, create the run already claimed and hand it over.
    const adopt = this.worker?.canAdopt(workflow.name) === true;
    const { run, claimed } = await this.store.createRun({
      tenantId,
      runId,
      workflow: workflow.name,
      events: [started],
      blobs: encoded.blobs,
      now,
      leaseTo: adopt ? { workerId: this.workerId, leaseMs: this.leaseMs } : undefined,
    });
    if (run.workflow !== workflow.name) {
      throw new CairnError(
        'run_exists',
        `Run ${runId} already exists for workflow '${run.workflow}', not '${workflow.name}'. Choose another run id.`,
      );
    }
    if (claimed !== undefined) this.worker?.adopt(claimed, [{ seq: 1, at: now, event: started }]);
    else this.worker?.poke();
    return this.handle<O>(runId, options);
  }

  /** A handle on an existing run, by id. */
  handle<O = unknown>(runId: string, options: CallOptions = {}): RunHandle<O> {
    const tenantId = this.tenantOf(options);
    return {
      runId,
      tenantId,
      result: (resultOptions = {}) => this.result<O>(tenantId, runId, resultOptions.signal),
      status: () => this.mustGetRun(tenantId, runId),
    };
  }

  /** Sends a signal to a run: kept in its inbox until a `ctx.waitForSignal(name)` takes it. */
  async signal(runId: string, name: string, payload?: unknown, options: CallOptions = {}): Promise<void> {
    this.assertOpen();
    assertName(name, 'Signal name');
    const tenantId = this.tenantOf(options);
    const run = await this.mustGetRun(tenantId, runId);
    if (isFinalStatus(run.status)) {
      throw new CairnError('run_finished', `Run ${runId} is ${run.status}; it takes no more signals.`);
    }
    await this.sendSignal(tenantId, runId, name, payload);
  }

  /** Cancels a run and its children. A run that already finished is left as it is. */
  async cancel(runId: string, options: CallOptions & { reason?: string } = {}): Promise<RunRecord> {
    this.assertOpen();
    const tenantId = this.tenantOf(options);
    await this.mustGetRun(tenantId, runId);
    const worker = this.worker;
    const cancelHere = worker && ((t: string, r: string, why: string) => worker.cancelHere(t, r, why));
    // A run this process holds is cancelled before this returns, so the record says so; one held by a
    // worker elsewhere sees the request at its next journal write or heartbeat.
    await cancelRun(
      { store: this.store, clock: this.clock, workerId: this.workerId, cancelHere },
      tenantId,
      runId,
      options.reason ?? 'cancelled by request',
    );
    worker?.poke(); // a parent waiting on the cancelled run may now go on
    return this.mustGetRun(tenantId, runId);
  }

  /**
   * Settles a side-effect step that a crash left in doubt (the run is in `needs_attention`): `retry`
   * runs it again, `complete` records `result` as if it had run, `fail` fails it with `message`.
   */
  async resolve(runId: string, resolution: StepResolution, options: CallOptions = {}): Promise<number> {
    const parsed = parseResolution(resolution);
    const tenantId = this.tenantOf(options);
    await this.mustGetRun(tenantId, runId);
    const pending = pendingResolutions(await this.store.readEvents(tenantId, runId));
    const target = parsed.position ?? pending[0];
    if (target === undefined || !pending.includes(target)) {
      throw new CairnError(
        'nothing_to_resolve',
        parsed.position === undefined
          ? `Run ${runId} has no step waiting to be resolved. If it needs attention for another reason, its 'attention' says why.`
          : `Run ${runId} has no step waiting to be resolved at position ${parsed.position}; waiting: [${pending.join(', ')}].`,
      );
    }
    await this.sendSignal(tenantId, runId, RESOLVE_SIGNAL, { ...parsed, position: target });
    return target;
  }

  /** Approvals waiting for a decision (or, with `status`, decided ones), oldest first. */
  async listApprovals(
    options: CallOptions & {
      status?: ApprovalStatus | readonly ApprovalStatus[];
      runId?: string;
      limit?: number;
    } = {},
  ): Promise<ApprovalRecord[]> {
    const status = options.status ?? 'pending';
    return this.store.listApprovals({
      tenantId: this.tenantOf(options),
      status: typeof status === 'string' ? [status] : status,
      runId: options.runId,
      limit: options.limit,
    });
  }

  /** Approves a pending approval, optionally with edited arguments; the waiting run carries on. */
  approve(approvalId: string, options: DecisionOptions & { args?: JsonValue } = {}): Promise<ApprovalRecord> {
    return this.decide(approvalId, true, options);
  }

  /** Rejects a pending approval; the reason reaches the run (an agent's model sees it). */
  reject(approvalId: string, options: DecisionOptions = {}): Promise<ApprovalRecord> {
    return this.decide(approvalId, false, options);
  }

  private async decide(
    approvalId: string,
    approved: boolean,
    options: DecisionOptions & { args?: JsonValue },
  ): Promise<ApprovalRecord> {
    const tenantId = this.tenantOf(options);
    const existing = await this.store.getApproval(tenantId, approvalId);
    if (existing === undefined) {
      throw new CairnError(
        'approval_not_found',
        `No approval with id ${JSON.stringify(approvalId)}. List them with: cairn approvals list`,
      );
    }
    const now = this.clock();
    const decision = {
      approved,
      by: options.by ?? 'unknown',
      reason: options.reason,
      args: options.args,
      at: now,
    };
    const { approval, decided } = await this.store.decideApproval({
      tenantId,
      approvalId,
      status: approved ? 'approved' : 'rejected',
      decision,
      now,
    });
    if (!decided) {
      const by = approval.decision === undefined ? '' : ` by ${approval.decision.by}`;
      throw new CairnError('approval_decided', `Approval ${approvalId} was already ${approval.status}${by}.`);
    }
    this.worker?.poke();
    return approval;
  }

  /**
   * Runs again a run that stopped for attention for a reason other than a step in doubt (its code no
   * longer matched its journal, say), typically after deploying code that matches.
   */
  async resume(runId: string, options: CallOptions = {}): Promise<void> {
    const tenantId = this.tenantOf(options);
    const run = await this.mustGetRun(tenantId, runId);
    if (run.status !== 'needs_attention') {
      throw new CairnError(
        'nothing_to_resume',
        `Run ${runId} is ${run.status}, not needs_attention: there is nothing to resume.`,
      );
    }
    await this.sendSignal(tenantId, runId, '$cairn.wake', null);
  }

  /**
   * Starts a new run that reuses the source run's recorded results before position `at`, and runs live
   * from there. Returns its handle.
   */
  async fork<O = unknown>(
    runId: string,
    options: CallOptions & { at: number; runId?: string },
  ): Promise<RunHandle<O>> {
    this.assertOpen();
    if (!Number.isInteger(options.at) || options.at < 0) {
      throw new CairnError(
        'invalid_argument',
        `fork: 'at' must be a position (an integer >= 0), got ${options.at}.`,
      );
    }
    const tenantId = this.tenantOf(options);
    const source = await this.mustGetRun(tenantId, runId);
    const forkId = options.runId ?? `${runId}~fork-${this.clock().toString(36)}`;
    assertRunId(forkId);
    const events = forkEvents(runId, await this.store.readEvents(tenantId, runId), options.at);
    const { created } = await this.store.createRun({
      tenantId,
      runId: forkId,
      workflow: source.workflow,
      events,
      blobs: [],
      now: this.clock(),
    });
    if (!created)
      throw new CairnError('run_exists', `Run ${forkId} already exists. Choose another id for the fork.`);
    this.worker?.poke();
    return this.handle<O>(forkId, options);
  }

  async getRun(runId: string, options: CallOptions = {}): Promise<RunRecord | undefined> {
    return this.store.getRun(this.tenantOf(options), runId);
  }

  /** A run with its whole journal. */
  async inspect(runId: string, options: CallOptions = {}): Promise<RunInspection> {
    const tenantId = this.tenantOf(options);
    const run = await this.mustGetRun(tenantId, runId);
    return { run, events: await this.store.readEvents(tenantId, runId) };
  }

  async listRuns(options: ListRunsOptions = {}): Promise<RunRecord[]> {
    const status =
      options.status === undefined
        ? undefined
        : typeof options.status === 'string'
          ? [options.status]
          : options.status;
    return this.store.listRuns({
      tenantId: this.tenantOf(options),
      status: status as readonly RunStatus[] | undefined,
      workflow: options.workflow,
      parentRunId: options.parentRunId,
      before: options.before,
      limit: options.limit,
    });
  }

  /** Reads a value the journal refers to (a step result, a run's input or output). */
  decode(ref: Parameters<typeof decodeValue>[0], options: CallOptions = {}): Promise<unknown> {
    const tenantId = this.tenantOf(options);
    return decodeValue(ref, (hashes) => this.store.getBlobs(tenantId, hashes));
  }

  /** This runtime's worker, for health checks and metrics: what it executes, how busy it is, its phase. */
  workerStatus(): WorkerStatus {
    return {
      workerId: this.workerId,
      workflows: this.registry.names,
      concurrency: this.worker === undefined ? 0 : this.concurrency,
      activeRuns: this.worker?.activeRuns ?? 0,
      phase: this.phase,
    };
  }

  /**
   * Queue depth: runs of this runtime's workflows that are claimable now and that no worker holds, across
   * tenants (what an autoscaler adds workers on). It asks the store, so it also tells that the store answers.
   */
  queueDepth(): Promise<number> {
    return this.store.countClaimable(this.clock(), this.registry.names);
  }

  /**
   * Stops the worker (running executions get `graceMs` to reach a wait or finish; the rest are released
   * for another worker) and closes the store if this runtime opened it.
   */
  async close(graceMs = 5_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.worker !== undefined) this.phase = 'draining';
    await this.worker?.stop(graceMs);
    this.phase = 'stopped';
    if (this.worker !== undefined) await this.registry.release();
    if (this.ownsStore) await this.store.close();
  }

  private async result<O>(tenantId: string, runId: string, signal: AbortSignal | undefined): Promise<O> {
    const outcome = await this.finals.untilFinal(tenantId, runId, {
      signal,
      runningHere: () => this.worker?.isRunning(tenantId, runId) === true,
    });
    if (outcome === undefined) throw notFound(runId);
    if (outcome.status === 'completed') return (await this.decode(outcome.result, { tenant: tenantId })) as O;
    const cause = deserializeError(outcome.error);
    if (outcome.status === 'cancelled')
      throw new CairnError('run_cancelled', `Run ${runId} was cancelled.`, { cause });
    throw new CairnError('run_failed', `Run ${runId} failed: ${outcome.error.message}`, { cause });
  }

  private async sendSignal(tenantId: string, runId: string, name: string, payload: unknown): Promise<void> {
    const encoded = encodeValue(payload, `The payload of signal '${name}'`);
    await this.store.sendSignal({
      tenantId,
      runId,
      name,
      payload: encoded.ref,
      blobs: encoded.blobs,
      now: this.clock(),
    });
    this.worker?.poke();
  }

  private validateInput<I>(workflow: Workflow<I, unknown>, input: I): unknown {
    if (workflow.input === undefined) return input;
    const parsed = workflow.input.safeParse(input);
    if (!parsed.success) {
      throw new CairnError(
        'invalid_argument',
        `Invalid input for workflow '${workflow.name}': ${parsed.error.message}`,
        {
          cause: parsed.error,
        },
      );
    }
    return parsed.data;
  }

  private async mustGetRun(tenantId: string, runId: string): Promise<RunRecord> {
    this.assertOpen();
    const run = await this.store.getRun(tenantId, runId);
    if (run === undefined) throw notFound(runId);
    return run;
  }

  /** The tenant a call is for; every public method goes through here, so it also refuses a closed runtime. */
  private tenantOf(options: CallOptions): string {
    this.assertOpen();
    const tenant = options.tenant ?? this.tenant;
    assertName(tenant, 'Tenant id');
    return tenant;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new CairnError(
        'runtime_closed',
        'This runtime is closed. Create a new one with createRuntime().',
      );
  }
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$/;

function assertRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new CairnError(
      'invalid_argument',
      `Run id ${JSON.stringify(runId)} is not valid: use 1 to 200 letters, digits, '.', '_', ':', '~' or '-', starting with a letter or digit.`,
    );
  }
}

function notFound(runId: string): CairnError {
  return new CairnError(
    'run_not_found',
    `No run with id ${JSON.stringify(runId)}. List runs with: cairn runs list`,
    {
      details: { runId },
    },
  );
}

function positive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new CairnError('invalid_argument', `${what} must be a positive number, got ${value}.`);
  }
  return value;
}

function reportError(error: unknown): void {
  console.error('[cairn]', error);
}
