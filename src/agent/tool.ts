import type { ZodType } from 'zod';
import type { Duration } from '../core/duration.js';
import { CairnError } from '../core/errors.js';
import type { StepEffect } from '../core/journal-event.js';
import { assertName, type Reconciliation, type RetryPolicy, type Workflow } from '../runtime/workflow.js';
import type { AgentResult } from './agent-summary.js';

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext {
  /** Stable for this call in this run: the same on every retry and after every recovery. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** Aborted when the run is cancelled or this worker loses it. */
  readonly signal: AbortSignal;
  readonly runId: string;
  readonly tenantId: string;
  readonly toolCallId: string;
}

/** When a tool needs a person's approval: always, or depending on its arguments. */
export type ApprovalRule<I> = boolean | ((input: I) => boolean);

export interface ToolApprovalOptions {
  /** How long to wait for a decision. Default: no limit. */
  readonly timeout?: Duration;
  /** The decision taken when the timeout passes. Default `reject`. */
  readonly onTimeout?: 'approve' | 'reject';
}

interface ToolBase<I> {
  readonly name: string;
  readonly description: string;
  /** The arguments' schema: shown to the model, and checked before the tool runs. */
  readonly input: ZodType<I>;
  readonly needsApproval?: ApprovalRule<I>;
  readonly approval?: ToolApprovalOptions;
}

/** A tool that runs a function, as a durable step. */
export interface FunctionTool<I = unknown, O = unknown> extends ToolBase<I> {
  readonly kind: 'function';
  readonly execute: (input: I, ctx: ToolContext) => O | Promise<O>;
  /** What running it twice would do; see StepOptions.effect. Default `idempotent`. */
  readonly effect: StepEffect;
  readonly retry?: RetryPolicy;
  readonly reconcile?: (idempotencyKey: string) => Promise<Reconciliation<O>>;
}

/** A tool that hands work to another agent, as a child run. */
export interface AgentTool extends ToolBase<{ prompt: string }> {
  readonly kind: 'agent';
  readonly agent: Workflow<{ prompt: string }, AgentResult>;
}

/** A function tool of any argument and result types. */
// biome-ignore lint/suspicious/noExplicitAny: a tool list holds tools of every argument type.
export type AnyFunctionTool = FunctionTool<any, any>;

/** Anything an agent can be given to call. */
export type Tool = AnyFunctionTool | AgentTool;

export interface ToolDefinition<I, O> {
  readonly name: string;
  readonly description: string;
  readonly input: ZodType<I>;
  readonly execute: (input: I, ctx: ToolContext) => O | Promise<O>;
  readonly effect?: StepEffect;
  readonly retry?: RetryPolicy;
  readonly reconcile?: (idempotencyKey: string) => Promise<Reconciliation<O>>;
  readonly needsApproval?: ApprovalRule<I>;
  readonly approval?: ToolApprovalOptions;
}

/**
 * Defines a tool an agent can call. Its arguments are checked against `input` before it runs; a call
 * that fails the check, or a tool that throws, goes back to the model as a structured error.
 * @example
 * const weather = defineTool({
 *   name: 'weather',
 *   description: 'Current weather in a city',
 *   input: z.object({ city: z.string() }),
 *   execute: async ({ city }) => fetchWeather(city),
 * });
 */
export function defineTool<I, O>(definition: ToolDefinition<I, O>): FunctionTool<I, O> {
  assertName(definition.name, 'Tool name');
  if (typeof definition.execute !== 'function') {
    throw new CairnError(
      'invalid_argument',
      `Tool '${definition.name}': execute must be a function (input, ctx) => result.`,
    );
  }
  if (
    definition.input === undefined ||
    typeof (definition.input as { safeParse?: unknown }).safeParse !== 'function'
  ) {
    throw new CairnError(
      'invalid_argument',
      `Tool '${definition.name}': input must be a zod schema of its arguments.`,
    );
  }
  return Object.freeze({ ...definition, kind: 'function', effect: definition.effect ?? 'idempotent' });
}
