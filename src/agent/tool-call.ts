import type { ToolResultPart } from 'ai';
import { isCairnError } from '../core/errors.js';
import type { JsonValue } from '../core/value-ref.js';
import type { RetryPolicy, WorkflowContext } from '../runtime/workflow.js';
import { executeTool } from '../tools/execute-tool.js';
import type { AnyFunctionTool } from '../tools/tool.js';
import { classifyToolError } from '../tools/tool-error.js';
import type { InputCheck, ToolInput } from '../tools/tool-input.js';
import { type ToolResult, toolFailure, toolResultOf } from '../tools/tool-result.js';
import { toolResultView } from '../tools/tool-result-view.js';
import type { AgentResult, AgentSummary } from './agent-summary.js';
import type { Tool } from './agent-tool.js';
import type { ModelToolCall } from './model-call.js';

/** How a tool call ended, for the run's summary. */
export type ToolCallStatus = 'ok' | 'error' | 'rejected';

export interface ToolCallResult {
  readonly part: ToolResultPart;
  readonly status: ToolCallStatus;
  /** Set when a person was asked. */
  readonly approval: boolean;
  /** A sub-agent's summary, when the tool was an agent. */
  readonly subAgent?: AgentSummary;
  /** The whole output, when the model was shown only the start of it. */
  readonly truncatedText?: string;
}

export interface ToolCallSettings {
  /** A call's time limit when its tool sets none. */
  readonly toolTimeoutMs: number;
  /** The most characters of a result the model sees at once. */
  readonly maxOutputChars: number;
}

/** Retries of a tool's retryable errors when it sets no policy: none for side effects. */
const DEFAULT_TOOL_RETRY: RetryPolicy = { attempts: 3, initialDelay: '200ms' };

/**
 * Carries out one tool call the model asked for: checks its arguments, asks a person when the tool
 * needs approval, then runs it as a durable step (or, for an agent tool, as a child run). Whatever goes
 * wrong comes back as a structured error the model can read and act on; nothing here throws.
 */
export async function runToolCall(
  ctx: WorkflowContext,
  call: ModelToolCall,
  tools: ReadonlyMap<string, Tool>,
  settings: ToolCallSettings,
): Promise<ToolCallResult> {
  const done = (result: ToolResult, approval: boolean, status?: ToolCallStatus): ToolCallResult => {
    const view = toolResultView(result, call.id, settings.maxOutputChars);
    return {
      part: { type: 'tool-result', toolCallId: call.id, toolName: call.name, output: view.output },
      status: status ?? (result.error === undefined ? 'ok' : 'error'),
      approval,
      ...(view.truncatedText === undefined ? {} : { truncatedText: view.truncatedText }),
    };
  };
  const fail = (code: string, message: string, approval = false, status?: ToolCallStatus) =>
    done(toolFailure({ code, message, retryable: false }), approval, status);
  // A call refused before any step ran is journaled by a step of its own, so the journal says why.
  const refuse = async (code: string, message: string, approval = false): Promise<ToolCallResult> => {
    const refused = { toolCallId: call.id, tool: call.name, code, message };
    await ctx.step('tool-refused', () => refused, {
      effect: 'pure',
      defer: false,
      request: { args: call.input as JsonValue },
    });
    return fail(code, message, approval);
  };
  const tool = tools.get(call.name);
  if (tool === undefined) {
    return refuse(
      'unknown_tool',
      `There is no tool named '${call.name}'. Tools: ${[...tools.keys()].join(', ') || 'none'}.`,
    );
  }
  if (call.error !== undefined) return refuse('invalid_call', call.error);
  let args: InputCheck<unknown> = (tool.input as ToolInput<unknown>).check(call.input);
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
        true,
        'rejected',
      );
    }
    if (decision.args !== undefined) {
      args = (tool.input as ToolInput<unknown>).check(decision.args);
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
      const child: AgentResult = await ctx.child(tool.agent, args.value as { prompt: string });
      return { ...done(toolResultOf(child.output), approval), subAgent: child.summary };
    }
    // Normalized again: a person settling an in-doubt call records whatever value they give.
    return done(toolResultOf(await runFunctionTool(ctx, call, tool, args.value, settings)), approval);
  } catch (error) {
    // A step that failed for good: its last error, as the tool (or Cairn) described it.
    const cause = isCairnError(error) && error.cause !== undefined ? error.cause : error;
    return done(toolFailure(classifyToolError(cause)), approval);
  }
}

async function runFunctionTool(
  ctx: WorkflowContext,
  call: ModelToolCall,
  tool: AnyFunctionTool,
  args: unknown,
  settings: ToolCallSettings,
): Promise<ToolResult> {
  const timeoutMs = tool.timeoutMs ?? settings.toolTimeoutMs;
  const reconcile = tool.reconcile;
  // Each limit is waited for in turn; a wait is a durable timer, visible in the trace.
  for (const { key, limit } of tool.rateLimits) await ctx.rateLimit(key, limit);
  return ctx.step(
    `tool:${tool.name}`,
    (step) => executeTool(tool, args, step, { toolCallId: call.id, timeoutMs }),
    {
      effect: tool.effect,
      // A tool's result is journaled before the loop moves on, whatever the tool's effect.
      defer: false,
      retry: tool.retry ?? (tool.effect === 'side-effect' ? undefined : DEFAULT_TOOL_RETRY),
      ...(reconcile === undefined
        ? {}
        : {
            reconcile: async (key: string) => {
              const found = await reconcile(key);
              return found.applied ? { applied: true as const, result: toolResultOf(found.result) } : found;
            },
          }),
      request: { toolCallId: call.id, args: args as JsonValue },
    },
  );
}

function needsApproval(tool: Tool, args: unknown): boolean {
  const rule = tool.needsApproval as boolean | ((input: unknown) => boolean) | undefined;
  return typeof rule === 'function' ? rule(args) : rule === true;
}
