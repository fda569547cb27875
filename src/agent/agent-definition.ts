import type { Duration } from '../core/duration.js';
import type { RateLimit } from '../core/rate-limit.js';
import type { PriceTable } from '../models/price-table.js';
import type { ModelSpec } from '../models/resolve-model.js';
import type { RetryPolicy } from '../runtime/workflow.js';
import type { McpServers } from '../tools/mcp-tools.js';
import type { AgentProgress } from './agent-progress.js';
import type { Tool } from './agent-tool.js';

/** What an agent run is started with. */
export interface AgentInput {
  readonly prompt: string;
}

export interface AgentDefinition {
  readonly name: string;
  /** An AI SDK language model, or a string such as `openai:gpt-4o-mini` (see resolveModel). */
  readonly model: ModelSpec;
  /** The system prompt. */
  readonly instructions: string;
  readonly tools?: readonly Tool[];
  /**
   * MCP servers to take tools from, by name: each tool appears as `<name>.<tool>`. A server is spawned
   * (`{ command, args }`, over stdio) or reached (`{ url }`, Streamable HTTP) once per process, its
   * tools listed at the start of each model turn (so a changed list is seen), and journaled.
   */
  readonly mcp?: McpServers;
  /** Model calls at most, planning aside. Default 20. */
  readonly maxSteps?: number;
  /** Ask the model for a plan before acting (journaled like any model call). A string replaces the planning prompt. */
  readonly plan?: boolean | string;
  /** Stops the loop after a step when it returns true (for example a budget of tool calls). */
  readonly stopWhen?: (progress: AgentProgress) => boolean;
  /**
   * Send the model the task and at most this many of the latest messages (older turns are left out,
   * never a tool result without the call it answers). Default: the whole conversation.
   */
  readonly maxMessages?: number;
  /** Checkpoint the loop every this many steps, so a long run resumes from its last stretch. Default 25. */
  readonly checkpointEvery?: number;
  /** Prices (USD per 1M tokens) by model id, over the built-in table. */
  readonly prices?: PriceTable;
  /** Retries of a failed model call. Default: 3 attempts, from 1 s. */
  readonly modelRetry?: RetryPolicy;
  /**
   * The model provider's limits (calls per interval, tokens per minute), shared with every agent that
   * names the same `key` (default `model:<provider>`, e.g. `model:openai`), across every worker on the
   * store. A run that reaches a limit waits for its turn, durably.
   */
  readonly modelRateLimit?: RateLimit & { readonly key?: string };
  /** How long a tool call may take when its tool sets no `timeout`. Default '60s'. */
  readonly toolTimeout?: Duration;
  /**
   * The most characters of one tool result the model sees at once (default 8,000): a longer output is
   * kept whole in the journal, and the model reads on with `read_tool_output`.
   */
  readonly maxToolOutputChars?: number;
}
