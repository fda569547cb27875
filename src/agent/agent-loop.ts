import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { ModelMessage, ToolResultPart } from 'ai';
import { toMillis } from '../core/duration.js';
import type { RateLimit } from '../core/rate-limit.js';
import type { WorkflowContext } from '../runtime/workflow.js';
import { listMcpTools, type McpServers, mcpTool } from '../tools/mcp-tools.js';
import { readOutputInput, readOutputTool } from '../tools/read-output-tool.js';
import { outputPage, READ_OUTPUT_TOOL } from '../tools/tool-result-view.js';
import type { AgentDefinition, AgentInput } from './agent-definition.js';
import {
  type AgentCheckpoint,
  type AgentState,
  initialState,
  nextCheckpoint,
  OUTPUTS_KEPT,
  outputOf,
  recordOutput,
  recordSubAgent,
  recordUsage,
  type StopReason,
  stateFromCheckpoints,
} from './agent-state.js';
import { type AgentResult, summarize } from './agent-summary.js';
import type { Tool } from './agent-tool.js';
import { assistantMessage, callModel, type ModelToolCall, type ModelTurn } from './model-call.js';
import { textListener } from './text-stream.js';
import { runToolCall, type ToolCallResult, type ToolCallSettings } from './tool-call.js';

/** A tool call's time limit when neither the tool nor the agent sets one. */
const DEFAULT_TOOL_TIMEOUT = '60s';
/** The most characters of one tool result the model sees at once, by default. */
const DEFAULT_MAX_OUTPUT_CHARS = 8_000;

/**
 * Lists the MCP servers' tools as a journaled step (so a replay sees the same tools), and puts them in
 * `tools` in place of the previous listing's. An agent's own tools win over a server's of the same name.
 */
async function refreshMcpTools(
  ctx: WorkflowContext,
  servers: McpServers,
  tools: Map<string, Tool>,
): Promise<void> {
  const listing = await ctx.step('mcp-tools', () => listMcpTools(servers), { effect: 'pure' });
  for (const [name, tool] of tools) if (tool.source.startsWith('mcp:')) tools.delete(name);
  for (const listed of listing.tools) {
    const options = servers[listed.server];
    if (options === undefined) continue; // a server removed from the definition since the run started
    const tool = mcpTool(listed, options);
    if (!tools.has(tool.name)) tools.set(tool.name, tool);
  }
}

/**
 * The agent's model rate limit and its bucket key: `modelRateLimit.key`, else `model:<provider>` from
 * the model spec (`openai:gpt-4o` → `model:openai`), the same in every replay.
 */
function modelLimit(definition: AgentDefinition): { key: string; limit: RateLimit } | undefined {
  if (definition.modelRateLimit === undefined) return undefined;
  const { key, ...limit } = definition.modelRateLimit;
  const provider =
    typeof definition.model === 'string'
      ? (definition.model.split(':')[0] ?? 'model')
      : definition.model.provider;
  return { key: key ?? `model:${provider.replace(/[^A-Za-z0-9._:-]/g, '_')}`, limit };
}

/** Answers `read_tool_output` from the outputs the run keeps: deterministic, so no step is needed. */
function readToolOutput(state: AgentState, call: ModelToolCall, maxChars: number): ToolCallResult {
  const args = readOutputInput.safeParse(call.input);
  const text = args.success ? outputOf(state, args.data.toolCallId) : undefined;
  const output: ToolResultPart['output'] = !args.success
    ? {
        type: 'error-json',
        value: { error: { code: 'invalid_arguments', message: args.error.message, retryable: false } },
      }
    : text === undefined
      ? {
          type: 'error-json',
          value: {
            error: {
              code: 'output_not_kept',
              message: `No cut output of tool call '${args.data.toolCallId}' is kept (only the latest ${OUTPUTS_KEPT.count} are). Call the tool again if you need it.`,
              retryable: false,
            },
          },
        }
      : { type: 'text', value: outputPage(text, args.data.offset, maxChars) };
  return {
    part: { type: 'tool-result', toolCallId: call.id, toolName: call.name, output },
    status: output.type === 'text' ? 'ok' : 'error',
    approval: false,
  };
}

/** The task and the latest `max` messages, starting at an assistant turn so no tool result is orphaned. */
function window(messages: readonly ModelMessage[], max: number | undefined): readonly ModelMessage[] {
  if (max === undefined || messages.length <= max + 1) return messages;
  let start = messages.length - max;
  while (start < messages.length && messages[start]?.role !== 'assistant') start++;
  return [messages[0]!, ...messages.slice(start)];
}

const PLANNING_PROMPT =
  'Before acting, write a short numbered plan of how you will do this task. Do not call tools yet.';

/**
 * The think-act-observe loop, as workflow code: every model call is a journaled step (its request, the
 * history length it saw, recorded with its response), every tool call a journaled step or child run,
 * and the loop checkpoints its state every few steps so that a long run resumes from its last stretch.
 * Everything here is deterministic given the journal, as workflow code must be.
 */
export async function runAgentLoop(
  ctx: WorkflowContext,
  input: AgentInput,
  definition: AgentDefinition,
  model: () => LanguageModelV3,
): Promise<AgentResult> {
  const tools = new Map<string, Tool>((definition.tools ?? []).map((tool) => [tool.name, tool]));
  const settings: ToolCallSettings = {
    toolTimeoutMs: toMillis(definition.toolTimeout ?? DEFAULT_TOOL_TIMEOUT, 'toolTimeout'),
    maxOutputChars: definition.maxToolOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
  };
  const maxSteps = definition.maxSteps ?? 20;
  const checkpointEvery = definition.checkpointEvery ?? 25;
  const restored = ctx.restored<AgentCheckpoint>();
  const state =
    restored === undefined
      ? initialState([{ role: 'user', content: input.prompt }], ctx.now())
      : stateFromCheckpoints(restored);

  const limited = modelLimit(definition);
  const think = async (name: 'plan' | 'model', system: string, withTools: boolean): Promise<ModelTurn> => {
    if (limited !== undefined) {
      await ctx.rateLimit(limited.key, limited.limit);
      await ctx.rateLimit(limited.key, limited.limit, { tokens: true });
    }
    const turn = await callModelStep(name, system, withTools);
    if (limited !== undefined)
      await ctx.debitRate(limited.key, limited.limit, turn.usage.input + turn.usage.output);
    return turn;
  };
  const callModelStep = (name: 'plan' | 'model', system: string, withTools: boolean): Promise<ModelTurn> =>
    ctx.step(
      name,
      ({ signal }) =>
        callModel({
          model: model(),
          system,
          messages: window(state.messages, definition.maxMessages),
          tools: withTools ? [...tools.values()] : [],
          prices: definition.prices,
          signal,
          onText: textListener(ctx.tenantId, ctx.runId),
        }),
      {
        // A model call changes nothing outside the run, but it costs money: its response is committed
        // before the loop moves on, so that it is never requested twice.
        effect: 'pure',
        defer: false,
        retry: definition.modelRetry ?? { attempts: 3, initialDelay: '1s' },
        request: { messages: state.messages.length, tools: withTools ? [...tools.keys()] : [] },
      },
    );
  const finish = (stoppedBy: StopReason, output: string): AgentResult => ({
    output,
    summary: summarize(state, ctx.now(), stoppedBy),
  });

  if (restored === undefined && definition.plan !== undefined && definition.plan !== false) {
    const planning = typeof definition.plan === 'string' ? definition.plan : PLANNING_PROMPT;
    const plan = await think('plan', `${definition.instructions}\n\n${planning}`, false);
    recordUsage(state, plan.usage, plan.costUsd);
    state.messages.push({ role: 'assistant', content: `My plan:\n${plan.text}` });
  }

  let lastText = '';
  for (;;) {
    if (state.steps > state.checkpointedSteps && state.steps % checkpointEvery === 0) {
      await ctx.checkpoint(nextCheckpoint(state));
    }
    if (state.steps >= maxSteps) return finish('max_steps', lastText);
    if (definition.mcp !== undefined) await refreshMcpTools(ctx, definition.mcp, tools);
    // Offered once an output was cut, unless the agent has a tool of that name.
    if (state.outputs.length > 0 && !tools.has(READ_OUTPUT_TOOL)) tools.set(READ_OUTPUT_TOOL, readOutputTool);
    const turn = await think('model', definition.instructions, true);
    recordUsage(state, turn.usage, turn.costUsd);
    state.messages.push(assistantMessage(turn));
    state.steps += 1;
    lastText = turn.text;
    if (turn.toolCalls.length === 0) return finish('answer', turn.text);

    // Act: every call the model asked for, in parallel; observe: all results back in one message.
    const results = await Promise.all(
      turn.toolCalls.map((call) =>
        call.name === READ_OUTPUT_TOOL && tools.get(call.name) === readOutputTool
          ? readToolOutput(state, call, settings.maxOutputChars)
          : runToolCall(ctx, call, tools, settings),
      ),
    );
    turn.toolCalls.forEach((call, index) => {
      const truncated = results[index]?.truncatedText;
      if (truncated !== undefined) recordOutput(state, call.id, truncated);
      state.toolCalls[call.name] = (state.toolCalls[call.name] ?? 0) + 1;
      if (results[index]?.approval === true) state.approvals += 1;
      const subAgent = results[index]?.subAgent;
      if (subAgent !== undefined) recordSubAgent(state, subAgent);
    });
    state.messages.push({ role: 'tool', content: results.map((result) => result.part) });
    const progress = {
      steps: state.steps,
      toolCalls: state.toolCalls,
      usage: state.usage,
      costUsd: state.costUsd,
      lastText,
    };
    if (definition.stopWhen?.(progress) === true) return finish('stop_condition', lastText);
  }
}
