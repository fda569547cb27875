import type { ModelMessage } from 'ai';
import { addUsage, type TokenUsage, ZERO_USAGE } from '../models/token-usage.js';

/** What sub-agents (child runs, and theirs) used, as their results reported it. */
export interface SubAgentTotals {
  readonly runs: number;
  readonly usage: TokenUsage;
  readonly costUsd: number;
}

export const NO_SUB_AGENTS: SubAgentTotals = { runs: 0, usage: ZERO_USAGE, costUsd: 0 };

/** Why the loop stopped. */
export type StopReason = 'answer' | 'max_steps' | 'stop_condition';

/** An agent run's state, as the loop carries it from step to step. */
export interface AgentState {
  readonly messages: ModelMessage[];
  steps: number;
  usage: TokenUsage;
  costUsd: number;
  readonly toolCalls: Record<string, number>;
  approvals: number;
  subAgents: SubAgentTotals;
  readonly startedAt: number;
  /**
   * Whole outputs of recent tool calls whose results the model saw cut (tool call id, text), oldest
   * first, for `read_tool_output`: the latest few only (see OUTPUTS_KEPT).
   */
  outputs: [string, string][];
  /** How many messages the last checkpoint had recorded. */
  checkpointedMessages: number;
  checkpointedSteps: number;
  /** How many of `outputs` the checkpoints hold. */
  checkpointedOutputs: number;
}

/** How many cut outputs stay readable, and how many characters they may hold together. */
export const OUTPUTS_KEPT = { count: 32, chars: 4_000_000 } as const;

/** One checkpoint: the messages added since the previous one, and the counters as they stood. */
export interface AgentCheckpoint {
  readonly messages: ModelMessage[];
  readonly steps: number;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly toolCalls: Record<string, number>;
  readonly approvals: number;
  readonly subAgents?: SubAgentTotals;
  readonly startedAt: number;
  /** Cut outputs recorded since the previous checkpoint. */
  readonly outputs?: [string, string][];
}

export function initialState(messages: ModelMessage[], startedAt: number): AgentState {
  return {
    messages,
    steps: 0,
    usage: ZERO_USAGE,
    costUsd: 0,
    toolCalls: {},
    approvals: 0,
    subAgents: NO_SUB_AGENTS,
    startedAt,
    outputs: [],
    checkpointedMessages: 0,
    checkpointedSteps: 0,
    checkpointedOutputs: 0,
  };
}

/** The state that a run's checkpoints (oldest first) add up to. */
export function stateFromCheckpoints(checkpoints: readonly AgentCheckpoint[]): AgentState {
  const last = checkpoints.at(-1)!;
  const messages = checkpoints.flatMap((checkpoint) => checkpoint.messages);
  const outputs = keepRecent(checkpoints.flatMap((checkpoint) => checkpoint.outputs ?? []));
  return {
    messages,
    steps: last.steps,
    usage: last.usage,
    costUsd: last.costUsd,
    toolCalls: { ...last.toolCalls },
    approvals: last.approvals,
    subAgents: last.subAgents ?? NO_SUB_AGENTS,
    startedAt: last.startedAt,
    outputs,
    checkpointedMessages: messages.length,
    checkpointedSteps: last.steps,
    checkpointedOutputs: outputs.length,
  };
}

/** The next checkpoint: only the messages since the last one. */
export function nextCheckpoint(state: AgentState): AgentCheckpoint {
  const checkpoint = {
    messages: state.messages.slice(state.checkpointedMessages),
    steps: state.steps,
    usage: state.usage,
    costUsd: state.costUsd,
    toolCalls: state.toolCalls,
    approvals: state.approvals,
    subAgents: state.subAgents,
    startedAt: state.startedAt,
    outputs: state.outputs.slice(state.checkpointedOutputs),
  };
  state.checkpointedMessages = state.messages.length;
  state.checkpointedSteps = state.steps;
  state.checkpointedOutputs = state.outputs.length;
  return checkpoint;
}

/** Keeps a cut output readable (dropping the oldest beyond OUTPUTS_KEPT). */
export function recordOutput(state: AgentState, toolCallId: string, text: string): void {
  state.outputs.push([toolCallId, text]);
  const kept = keepRecent(state.outputs);
  state.checkpointedOutputs = Math.max(0, state.checkpointedOutputs - (state.outputs.length - kept.length));
  state.outputs = kept;
}

/** The whole output of a cut tool result, while it is kept. */
export function outputOf(state: AgentState, toolCallId: string): string | undefined {
  return state.outputs.find(([id]) => id === toolCallId)?.[1];
}

function keepRecent(outputs: [string, string][]): [string, string][] {
  const kept: [string, string][] = [];
  let chars = 0;
  for (let i = outputs.length - 1; i >= 0 && kept.length < OUTPUTS_KEPT.count; i--) {
    const entry = outputs[i]!;
    chars += entry[1].length;
    if (chars > OUTPUTS_KEPT.chars && kept.length > 0) break;
    kept.unshift(entry);
  }
  return kept;
}

/** Adds what a finished sub-agent run used (with its own sub-agents) to the state. */
export function recordSubAgent(
  state: AgentState,
  summary: { usage: TokenUsage; costUsd: number; subAgents?: SubAgentTotals },
): void {
  const nested = summary.subAgents ?? NO_SUB_AGENTS;
  state.subAgents = {
    runs: state.subAgents.runs + 1 + nested.runs,
    usage: addUsage(state.subAgents.usage, addUsage(summary.usage, nested.usage)),
    costUsd: state.subAgents.costUsd + summary.costUsd + nested.costUsd,
  };
}

export function recordUsage(state: AgentState, usage: TokenUsage, costUsd: number): void {
  state.usage = addUsage(state.usage, usage);
  state.costUsd += costUsd;
}
