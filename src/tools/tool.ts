import type { ZodType } from 'zod';
import { type Duration, toMillis } from '../core/duration.js';
import { CairnError } from '../core/errors.js';
import type { StepEffect } from '../core/journal-event.js';
import { assertRateLimit, type RateLimit } from '../core/rate-limit.js';
import { assertName, type Reconciliation, type RetryPolicy } from '../runtime/workflow.js';
import { type JsonSchemaObject, type ToolInput, toolInput } from './tool-input.js';
import type { ToolLogger } from './tool-logger.js';

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext {
  /** Stable for this call in this run: the same on every retry and after every recovery. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** Aborted when the call times out, the run is cancelled, or this worker loses the run. */
  readonly signal: AbortSignal;
  readonly runId: string;
  readonly tenantId: string;
  readonly toolCallId: string;
  /** How long this call may take (the tool's `timeout`, else the agent's `toolTimeout`). */
  readonly timeoutMs: number;
  readonly logger: ToolLogger;
}

/** When a tool needs a person's approval: always, or depending on its arguments. */
export type ApprovalRule<I> = boolean | ((input: I) => boolean);

export interface ToolApprovalOptions {
  /** How long to wait for a decision. Default: no limit. */
  readonly timeout?: Duration;
  /** The decision taken when the timeout passes. Default `reject`. */
  readonly onTimeout?: 'approve' | 'reject';
}

/** A tool that runs a function, as a durable step. Make one with `defineTool`. */
export interface FunctionTool<I = unknown, O = unknown> {
  readonly kind: 'function';
  readonly name: string;
  readonly description: string;
  /** The arguments' schema: shown to the model, and checked before the tool runs. */
  readonly input: ToolInput<I>;
  readonly execute: (input: I, ctx: ToolContext) => O | Promise<O>;
  /** What running it twice would do; see StepOptions.effect. Default `idempotent`. */
  readonly effect: StepEffect;
  /** Retries of errors the tool marks retryable (`ToolError`, `retryable: true`). */
  readonly retry?: RetryPolicy;
  readonly reconcile?: (idempotencyKey: string) => Promise<Reconciliation<O>>;
  /** How long one call may take, in milliseconds; undefined: the agent's `toolTimeout`. */
  readonly timeoutMs?: number;
  /**
   * The tool enforces `ctx.timeoutMs` itself (an MCP call whose deadline moves while the server reports
   * progress) instead of being cut off after it.
   */
  readonly ownTimeout?: boolean;
  /** Where the tool comes from, for `cairn tools list` (`function`, `mcp:<server>`, ...). */
  readonly source: string;
  /** The rate limits a call waits for, durably, before it runs (its own, its MCP server's). */
  readonly rateLimits: readonly ToolRateLimit[];
  readonly needsApproval?: ApprovalRule<I>;
  readonly approval?: ToolApprovalOptions;
}

/** A rate limit a tool's calls share with everything limited under the same key. */
export interface ToolRateLimit {
  /** The bucket: `tool:<name>`, `mcp:<server>`, ... */
  readonly key: string;
  readonly limit: RateLimit;
}

/** A function tool of any argument and result types. */
// biome-ignore lint/suspicious/noExplicitAny: a tool list holds tools of every argument type.
export type AnyFunctionTool = FunctionTool<any, any>;

export interface ToolDefinition<I, O> {
  readonly name: string;
  readonly description: string;
  /** A zod schema, or a JSON Schema object (for tools described elsewhere: an MCP server, an API). */
  readonly input: ZodType<I> | JsonSchemaObject;
  /**
   * Runs the tool. Return anything: a string, an object, MCP content blocks, or a ToolResult; throw a
   * `ToolError` to tell the model what went wrong (with `retryable: true`, it is retried first).
   */
  readonly execute: (input: I, ctx: ToolContext) => O | Promise<O>;
  readonly effect?: StepEffect;
  readonly retry?: RetryPolicy;
  readonly reconcile?: (idempotencyKey: string) => Promise<Reconciliation<O>>;
  /** How long one call may take before it is aborted. Default: the agent's `toolTimeout` (60 s). */
  readonly timeout?: Duration;
  readonly ownTimeout?: boolean;
  /**
   * Calls allowed per interval (and, optionally, per tenant), across every worker sharing the store.
   * A run that reaches the limit waits for its turn, durably.
   */
  readonly rateLimit?: RateLimit;
  /** Further limits, as an MCP server's tools share their server's. */
  readonly rateLimits?: readonly ToolRateLimit[];
  readonly source?: string;
  readonly needsApproval?: ApprovalRule<I>;
  readonly approval?: ToolApprovalOptions;
}

/**
 * Defines a tool an agent can call. Its arguments are checked against `input` before it runs; a call
 * that fails the check, or a tool that fails, goes back to the model as a structured error.
 * @example
 * const weather = defineTool({
 *   name: 'weather',
 *   description: 'Current weather in a city',
 *   input: z.object({ city: z.string() }),
 *   timeout: '10s',
 *   execute: async ({ city }, { signal }) => fetchWeather(city, { signal }),
 * });
 */
export function defineTool<I, O>(definition: ToolDefinition<I, O>): FunctionTool<I, O> {
  assertToolName(definition.name);
  const what = `Tool '${definition.name}'`;
  if (typeof definition.execute !== 'function') {
    throw new CairnError('invalid_argument', `${what}: execute must be a function (input, ctx) => result.`);
  }
  if (typeof definition.description !== 'string' || definition.description.trim() === '') {
    throw new CairnError(
      'invalid_argument',
      `${what}: description must say what the tool does (the model reads it).`,
    );
  }
  if (definition.input === undefined) {
    throw new CairnError(
      'invalid_argument',
      `${what}: input must be a zod schema or a JSON Schema of its arguments.`,
    );
  }
  const { input, timeout, rateLimit, rateLimits = [], ...rest } = definition;
  if (rateLimit !== undefined) assertRateLimit(rateLimit, `${what}: rateLimit`);
  for (const { key, limit } of rateLimits) assertRateLimit(limit, `${what}: the rate limit '${key}'`);
  return Object.freeze({
    ...rest,
    kind: 'function' as const,
    input: toolInput(input, what),
    effect: definition.effect ?? 'idempotent',
    source: definition.source ?? 'function',
    rateLimits: [
      ...(rateLimit === undefined ? [] : [{ key: `tool:${definition.name}`, limit: rateLimit }]),
      ...rateLimits,
    ],
    ...(timeout === undefined ? {} : { timeoutMs: positiveDuration(timeout, `${what}: timeout`) }),
  });
}

/** Tool names: what models accept (letters, digits, `_`, `-`, `.`), at most 64 characters. */
export function assertToolName(name: unknown): asserts name is string {
  assertName(name, 'Tool name');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
    throw new CairnError(
      'invalid_argument',
      `Tool name '${name}' is not one models accept: use letters, digits, '_', '-' and '.', at most 64 characters.`,
    );
  }
}

function positiveDuration(duration: Duration, what: string): number {
  const ms = toMillis(duration, what);
  if (!(ms > 0)) throw new CairnError('invalid_argument', `${what} must be longer than 0 ms.`);
  return ms;
}
