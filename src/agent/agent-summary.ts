import type { TokenUsage } from '../models/token-usage.js';
import type { AgentState, StopReason, SubAgentTotals } from './agent-state.js';

/** What a finished agent run did: what `cairn runs show` leads with. */
export interface AgentSummary {
  readonly steps: number;
  readonly toolCalls: Readonly<Record<string, number>>;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly durationMs: number;
  /** Times the run waited for a person's approval. */
  readonly approvals: number;
  /** What its sub-agents used (their child runs, and theirs): add it to `usage`/`costUsd` for the whole tree. */
  readonly subAgents: SubAgentTotals;
  readonly stoppedBy: StopReason;
}

/** An agent run's result: its final answer and how it got there. */
export interface AgentResult {
  readonly output: string;
  readonly summary: AgentSummary;
}

export function summarize(state: AgentState, now: number, stoppedBy: StopReason): AgentSummary {
  return {
    steps: state.steps,
    toolCalls: { ...state.toolCalls },
    usage: state.usage,
    costUsd: state.costUsd,
    durationMs: now - state.startedAt,
    approvals: state.approvals,
    subAgents: state.subAgents,
    stoppedBy,
  };
}

/** True for a run result that an agent produced (it carries a summary). */
export function isAgentResult(value: unknown): value is AgentResult {
  const candidate = value as Partial<AgentResult> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.output === 'string' &&
    typeof candidate.summary === 'object'
  );
}
