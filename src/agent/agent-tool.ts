import type { Workflow } from '../runtime/workflow.js';
import type { AnyFunctionTool, ApprovalRule, ToolApprovalOptions } from '../tools/tool.js';
import type { ToolInput } from '../tools/tool-input.js';
import type { AgentResult } from './agent-summary.js';

/** A tool that hands work to another agent, as a child run (made by `agent.asTool()`). */
export interface AgentTool {
  readonly kind: 'agent';
  readonly name: string;
  readonly description: string;
  readonly input: ToolInput<{ prompt: string }>;
  readonly agent: Workflow<{ prompt: string }, AgentResult>;
  readonly source: string;
  readonly needsApproval?: ApprovalRule<{ prompt: string }>;
  readonly approval?: ToolApprovalOptions;
}

/** Anything an agent can be given to call. */
export type Tool = AnyFunctionTool | AgentTool;
