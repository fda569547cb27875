import type { ToolResultPart } from 'ai';
import type { ZodType } from 'zod';
import { isCairnError } from '../core/errors.js';
import type { JsonValue } from '../core/value-ref.js';
import type { WorkflowContext } from '../runtime/workflow.js';
import type { AgentResult, AgentSummary } from './agent-summary.js';
import type { ModelToolCall } from './model-call.js';
import type { Tool } from './tool.js';

/** How a tool call ended, for the run's summary. */
export type ToolCallStatus = 'ok' | 'error' | 'rejected';

export interface ToolCallResult {
  readonly part: ToolResultPart;
  readonly status: ToolCallStatus;
  /** Set when a person was asked. */
  readonly approval: boolean;
  /** A sub-agent's summary, when the tool was an agent. */
  readonly subAgent?: AgentSummary;
}

/**
 * Carries out one tool call the model asked for: checks its arguments, asks a person when the tool
 * needs approval, then runs it as a durable step (or, for an agent tool, as a child run). Whatever goes
 * wrong comes back as a structured error the model can read and act on; nothing here throws.
 */
export async function runToolCall(
  ctx: WorkflowContext,
  call: ModelToolCall,
  tools: ReadonlyMap<string, Tool>,
): Promise<ToolCallResult> {
  const fail = (
    code: string,
    message: string,
    status: ToolCallStatus = 'error',
    approval = false,
  ): ToolCallResult => ({
    part: result(call, { type: 'error-json', value: { error: { code, message } } }),
    status,
    approval,
  });
  // A call refused before any step ran is journaled by a step of its own, so the journal says why.
  const refuse = async (code: string, message: string, approval = false): Promise<ToolCallResult> => {
    const refused = { toolCallId: call.id, tool: call.name, code, message };
    await ctx.step('tool-refused', () => refused, {
      effect: 'pure',
      defer: false,
      request: { args: call.input as JsonValue },
    });
    return fail(code, message, 'error', approval);
  };
  const tool = tools.get(call.name);
  if (tool === undefined) {
    return refuse(
      'unknown_tool',
      `There is no tool named '${call.name}'. Tools: ${[...tools.keys()].join(', ') || 'none'}.`,
    );
  }
  if (call.error !== undefined) return refuse('invalid_call', call.error);
  let args = check(tool.input, call.input);
  if (!args.ok) return refuse('invalid_arguments', args.message);

  let approval = false;
  if (needsApproval(tool, args.value)) {
    approval = true;
    const decision = await ctx.waitForApproval(
      {
        title: `Call tool '${tool.name}'`,
        details: { tool: tool.name, toolCallId: call.id, args: call.input as JsonValue },
      },
      { timeout: tool.approval?.timeout, onTimeout: tool.approval?.onTimeout },
    );
    if (!decision.approved) {
      const reason = decision.reason === undefined ? '' : `: ${decision.reason}`;
      return fail(
        'rejected',
        `A person (${decision.by}) rejected this call${reason}. Do not retry it as is.`,
        'rejected',
        true,
      );
    }
    if (decision.args !== undefined) {
      args = check(tool.input, decision.args);
      if (!args.ok)
        return refuse(
          'invalid_arguments',
          `The approver's edited arguments are invalid: ${args.message}`,
          true,
        );
    }
  }

  try {
    if (tool.kind === 'agent') {
      const child = await runAgentTool(ctx, tool, args.value as { prompt: string });
      return { part: result(call, outputOf(child.output)), status: 'ok', approval, subAgent: child.summary };
    }
    const output = await runFunctionTool(ctx, call, tool, args.value);
    return { part: result(call, outputOf(output)), status: 'ok', approval };
  } catch (error) {
    const cause = isCairnError(error) && error.cause !== undefined ? error.cause : error;
    const code = (cause as { code?: unknown }).code;
    return fail(
      typeof code === 'string' ? code : 'tool_failed',
      (cause as Error).message ?? String(cause),
      'error',
      approval,
    );
  }
}

async function runAgentTool(
  ctx: WorkflowContext,
  tool: Extract<Tool, { kind: 'agent' }>,
  args: { prompt: string },
): Promise<AgentResult> {
  return ctx.child(tool.agent, { prompt: args.prompt });
}

function runFunctionTool(
  ctx: WorkflowContext,
  call: ModelToolCall,
  tool: Extract<Tool, { kind: 'function' }>,
  args: unknown,
): Promise<unknown> {
  return ctx.step(
    `tool:${tool.name}`,
    (step) => tool.execute(args as never, { ...step, toolCallId: call.id }),
    {
      effect: tool.effect,
      // A tool's result is journaled before the loop moves on, whatever the tool's effect.
      defer: false,
      retry: tool.retry,
      reconcile: tool.reconcile,
      request: { toolCallId: call.id, args: args as JsonValue },
    },
  );
}

function check<I>(
  schema: ZodType<I>,
  input: unknown,
): { ok: true; value: I } | { ok: false; message: string } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.length === 0 ? '(arguments)' : issue.path.join('.')}: ${issue.message}`,
  );
  return { ok: false, message: `The arguments do not match the tool's schema. ${issues.join('; ')}.` };
}

function needsApproval(tool: Tool, args: unknown): boolean {
  const rule = tool.needsApproval as boolean | ((input: unknown) => boolean) | undefined;
  return typeof rule === 'function' ? rule(args) : rule === true;
}

function outputOf(output: unknown): ToolResultPart['output'] {
  if (typeof output === 'string') return { type: 'text', value: output };
  return { type: 'json', value: (output ?? null) as JsonValue };
}

function result(call: ModelToolCall, output: ToolResultPart['output']): ToolResultPart {
  return { type: 'tool-result', toolCallId: call.id, toolName: call.name, output };
}
