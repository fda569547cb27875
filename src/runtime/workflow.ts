import type { ZodType } from 'zod';
import type { ApprovalDecision } from '../core/approval.js';
import type { Duration } from '../core/duration.js';
import { CairnError } from '../core/errors.js';
import type { StepEffect } from '../core/journal-event.js';
import type { RateLimit } from '../core/rate-limit.js';
import type { JsonValue } from '../core/value-ref.js';

/**
 * What a workflow's code sees. Every method is journaled: on replay after a crash, recorded results
 * come back without running anything again. Workflow code must be deterministic apart from these
 * methods: do I/O inside `step`, read time with `now()`, draw randomness with `random()`.
 */
export interface WorkflowContext {
  readonly runId: string;
  readonly tenantId: string;
  readonly workflow: string;
  /** Aborted when the run is cancelled or this worker loses the run. */
  readonly signal: AbortSignal;

  /** Runs `fn` once and records its result; on replay returns the recorded result without calling it. */
  step<T>(name: string, fn: (step: StepContext) => T | Promise<T>, options?: StepOptions<T>): Promise<T>;
  /** A durable timer: the run waits without holding a worker or memory, even across restarts. */
  sleep(duration: Duration): Promise<void>;
  /**
   * Waits for a signal sent with `runtime.signal(runId, name, payload)`. Signals sent before the wait
   * are kept in the run's inbox and delivered in order. With `timeout`, resolves to `default` when it
   * passes (or rejects with `signal_timeout` when no default is given).
   */
  waitForSignal<T = unknown>(name: string, options?: SignalWaitOptions<T>): Promise<T>;
  /**
   * Asks a person for a decision and waits for it durably (no worker, no memory), however long it takes.
   * The request is listed by `runtime.listApprovals()` / `cairn approvals list`, and decided by
   * `runtime.approve` / `reject`. With `timeout`, `onTimeout` (default `reject`) is taken when it passes.
   */
  waitForApproval(request: ApprovalRequest, options?: ApprovalWaitOptions): Promise<ApprovalDecision>;
  /**
   * Waits, durably, until the bucket `key` grants `cost` (default 1); `limit` gives its size. The bucket
   * is in the store, shared by every worker on it (and by every tenant, unless `limit.perTenant`). While
   * the run waits it holds no worker and no memory, and its trace shows the wait. Journaled: a replay
   * takes no token. With `tokens`, waits instead while the limit's tokens-per-minute bucket is in debt
   * (see `debitRate`). Resolves at once if the limit has no bucket of that kind.
   * @example
   * const search: RateLimit = { calls: 5, per: '1s' };
   * await ctx.rateLimit('tool:search', search);
   * const hits = await ctx.step('search', () => api.search(query));
   */
  rateLimit(key: string, limit: RateLimit, options?: RateLimitOptions): Promise<void>;
  /**
   * Debits `tokens` from the tokens-per-minute bucket of `key` (after a model call), which may leave it
   * in debt: the next `rateLimit(key, limit, { tokens: true })` then waits until it has refilled.
   * Journaled. Does nothing if the limit sets no `tokensPerMinute`.
   */
  debitRate(key: string, limit: RateLimit, tokens: number): Promise<void>;
  /** Starts another workflow as a child run, and waits durably for its result. */
  child<I, O>(workflow: Workflow<I, O>, input: I, options?: ChildOptions): Promise<O>;
  /**
   * Records an incremental checkpoint, for loop-shaped workflows whose journal grows long (an agent).
   * A later execution replays only what came after the latest checkpoint: the code must then carry on
   * from the states `restored()` returns instead of from the start. Call it where nothing is pending.
   */
  checkpoint(state: unknown): Promise<void>;
  /** The states of every checkpoint so far, oldest first, when this execution resumed from one; else undefined. */
  restored<T>(): readonly T[] | undefined;
  /** The current time in epoch milliseconds, recorded so that replay sees the same value. */
  now(): number;
  /** A random number in [0, 1), recorded so that replay sees the same value. */
  random(): number;
}

/** What a step's function receives. */
export interface StepContext {
  /** Stable for this step in this run: the same on every retry and after every recovery. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** Aborted when the run is cancelled or this worker loses the run. */
  readonly signal: AbortSignal;
  readonly runId: string;
  readonly tenantId: string;
}

export interface StepOptions<T> {
  /**
   * What running the step twice would do, which decides what happens when a crash leaves its outcome
   * unknown. `pure` and `idempotent` steps (the default) are run again with the same idempotency key;
   * a `side-effect` step is reconciled with `reconcile`, or else the run waits for a person.
   */
  readonly effect?: StepEffect;
  readonly retry?: RetryPolicy;
  /**
   * Commit the result with the run's next journal write (or two event-loop turns later) instead of
   * before the workflow sees it. Safe only for results that are free to compute again: the default is
   * true for `pure` steps and false otherwise. Give `false` for a pure step that costs money to repeat
   * (a model call).
   */
  readonly defer?: boolean;
  /**
   * What the step is asked to do (a model request, tool arguments), journaled with it for inspection
   * and accounting: with its intent, or with its result for a `pure` step. Never used on replay.
   */
  readonly request?: unknown;
  /** Asks the outside world whether a side effect with this key already happened, and with what result. */
  readonly reconcile?: (idempotencyKey: string) => Promise<Reconciliation<T>>;
}

/** The answer of a step's `reconcile`: whether the effect happened, and its result if it did. */
export type Reconciliation<T> = { readonly applied: true; readonly result: T } | { readonly applied: false };

export interface RetryPolicy {
  /** Total attempts, the first included. Default 3 for `pure` and `idempotent` steps, 1 for `side-effect`. */
  readonly attempts?: number;
  /** Delay before the second attempt; doubles (by `factor`) each time, up to `maxDelay`. Default 100 ms. */
  readonly initialDelay?: Duration;
  readonly factor?: number;
  readonly maxDelay?: Duration;
  /** Spread delays randomly between half and all of their value, so retries do not stampede. Default true. */
  readonly jitter?: boolean;
  /**
   * Which errors are worth another attempt. Default: all, except errors with `retryable === false`
   * (see `NonRetryableError`).
   */
  readonly retryIf?: (error: unknown) => boolean;
}

export interface SignalWaitOptions<T> {
  readonly timeout?: Duration;
  readonly default?: T;
}

/** What a person is asked to decide. */
export interface ApprovalRequest {
  readonly title: string;
  /** Anything that helps decide: the tool, its arguments, an amount. */
  readonly details?: JsonValue;
  /** The approval's id. Default: the run id and the call's position. */
  readonly id?: string;
}

export interface ApprovalWaitOptions {
  readonly timeout?: Duration;
  readonly onTimeout?: 'approve' | 'reject';
}

export interface RateLimitOptions {
  /** What to take from the bucket. Default 1 call (0 with `tokens`: only wait while in debt). */
  readonly cost?: number;
  /** Use the limit's tokens-per-minute bucket instead of its calls bucket. */
  readonly tokens?: boolean;
}

export interface ChildOptions {
  /** The child's run id. Default: derived from the parent's run id and the call's position. */
  readonly runId?: string;
}

/** A step error that retrying cannot fix (bad input, a refusal). Fails the step at once. */
export class NonRetryableError extends Error {
  readonly retryable = false;
  readonly code: string | undefined;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NonRetryableError';
    this.code = options.code;
  }
}

export type WorkflowFunction<I, O> = (ctx: WorkflowContext, input: I) => Promise<O>;

/** A named, durable function. Create with `defineWorkflow`; register with `createRuntime({ workflows })`. */
export interface Workflow<I = unknown, O = unknown> {
  readonly name: string;
  readonly run: WorkflowFunction<I, O>;
  /** Validates input at `start`, when given. */
  readonly input: ZodType | undefined;
  /** Workflows this one starts as children; a runtime given this one registers them too. */
  readonly children: readonly Workflow<never, unknown>[];
  /** Releases what the workflow's code holds in the process (server connections); see WorkflowOptions. */
  readonly release: (() => Promise<void>) | undefined;
}

export interface WorkflowOptions<I> {
  /** A zod schema checked against the input when a run is started. */
  readonly input?: ZodType<I>;
  /** Workflows this one starts as children, so that registering this one registers them too. */
  readonly children?: readonly Workflow<never, unknown>[];
  /**
   * Releases what the workflow's code holds in the process (an agent's MCP server processes): called
   * when a runtime that executes it closes. Whatever it releases must come back on next use.
   */
  readonly release?: () => Promise<void>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Defines a durable workflow.
 * @example
 * const order = defineWorkflow('order', async (ctx, input: { id: string }) => {
 *   const quote = await ctx.step('quote', () => fetchQuote(input.id));
 *   await ctx.sleep('30s');
 *   return quote;
 * });
 */
export function defineWorkflow<I, O>(
  name: string,
  run: WorkflowFunction<I, O>,
  options: WorkflowOptions<I> = {},
): Workflow<I, O> {
  assertName(name, 'Workflow name');
  if (typeof run !== 'function') {
    throw new CairnError(
      'invalid_argument',
      `defineWorkflow('${name}', fn): fn must be an async function (ctx, input) => result.`,
    );
  }
  return Object.freeze({
    name,
    run,
    input: options.input,
    children: options.children ?? [],
    release: options.release,
  });
}

/** Checks a name used in the journal (workflow, step, signal): short, printable, no spaces. */
export function assertName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new CairnError(
      'invalid_argument',
      `${what} ${JSON.stringify(name)} is not valid: use 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.`,
    );
  }
}
