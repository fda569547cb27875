import type { LanguageModelV3 } from '@ai-sdk/provider';
import { z } from 'zod';
import { toMillis } from '../core/duration.js';
import { CairnError } from '../core/errors.js';
import { assertRateLimit } from '../core/rate-limit.js';
import { resolveModel } from '../models/resolve-model.js';
import { assertName, defineWorkflow, NonRetryableError, type Workflow } from '../runtime/workflow.js';
import { closeMcpServers, validateMcpServers } from '../tools/mcp-tools.js';
import { toolInput } from '../tools/tool-input.js';
import type { AgentDefinition, AgentInput } from './agent-definition.js';
import { runAgentLoop } from './agent-loop.js';
import type { AgentResult } from './agent-summary.js';
import type { AgentTool } from './agent-tool.js';

/** An agent: a durable workflow (start it with `runtime.start`), and a tool other agents can call. */
export interface Agent extends Workflow<AgentInput, AgentResult> {
  readonly definition: AgentDefinition;
  /** This agent as a tool: another agent hands it a task, and it runs as a child run. */
  asTool(options?: { name?: string; description?: string }): AgentTool;
}

const inputSchema = z.object({ prompt: z.string().min(1, 'the prompt must not be empty') });

/**
 * Defines an agent: a think-act-observe loop that runs as a durable workflow. Every model response and
 * tool result is journaled before the run moves on, so a run killed at any moment carries on where it
 * was without paying for a model call twice.
 * @example
 * const assistant = defineAgent({
 *   name: 'assistant',
 *   model: 'openai:gpt-4o-mini',
 *   instructions: 'You answer questions about the weather.',
 *   tools: [weather],
 * });
 * const handle = await runtime.start(assistant, { prompt: 'Is it snowing in Oslo?' });
 * const { output, summary } = await handle.result();
 */
export function defineAgent(definition: AgentDefinition): Agent {
  validate(definition);
  let model: LanguageModelV3 | undefined;
  const resolve = (): LanguageModelV3 => {
    try {
      model ??= resolveModel(definition.model);
      return model;
    } catch (error) {
      // A missing key or a bad model name will not fix itself on retry.
      throw new NonRetryableError((error as Error).message, {
        code: (error as { code?: string }).code,
        cause: error,
      });
    }
  };
  const agentTools = (definition.tools ?? []).filter((tool): tool is AgentTool => tool.kind === 'agent');
  const workflow = defineWorkflow<AgentInput, AgentResult>(
    definition.name,
    (ctx, input) => runAgentLoop(ctx, input, definition, resolve),
    {
      input: inputSchema,
      children: agentTools.map((tool) => tool.agent),
      ...(definition.mcp === undefined ? {} : { release: () => closeMcpServers(definition.mcp!) }),
    },
  );
  const agent: Agent = {
    ...workflow,
    definition,
    asTool: (options = {}) => ({
      kind: 'agent',
      name: options.name ?? definition.name,
      description:
        options.description ??
        `Hands a task to the '${definition.name}' agent and returns its answer. ${firstLine(definition.instructions)}`,
      input: toolInput(
        z.object({ prompt: z.string().describe('The task, stated in full: the agent sees nothing else.') }),
        `Agent tool '${definition.name}'`,
      ),
      source: `agent:${definition.name}`,
      agent,
    }),
  };
  return Object.freeze(agent);
}

/** True for an agent made by defineAgent (as opposed to a plain workflow). */
export function isAgent(workflow: unknown): workflow is Agent {
  const candidate = workflow as Partial<Agent> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.asTool === 'function' &&
    candidate.definition !== undefined
  );
}

function validate(definition: AgentDefinition): void {
  const problems: string[] = [];
  if (typeof definition.instructions !== 'string' || definition.instructions.trim() === '')
    problems.push('instructions must be a non-empty string');
  if (definition.model === undefined)
    problems.push("model is required (an AI SDK model, or a string like 'openai:gpt-4o-mini')");
  if (
    definition.maxSteps !== undefined &&
    !(Number.isInteger(definition.maxSteps) && definition.maxSteps > 0)
  )
    problems.push('maxSteps must be a positive integer');
  const positive = (value: number | undefined) =>
    value === undefined || (Number.isInteger(value) && value > 0);
  if (!positive(definition.maxMessages)) problems.push('maxMessages must be a positive integer');
  if (
    definition.checkpointEvery !== undefined &&
    !(Number.isInteger(definition.checkpointEvery) && definition.checkpointEvery > 0)
  )
    problems.push('checkpointEvery must be a positive integer');
  if (definition.toolTimeout !== undefined) {
    try {
      if (!(toMillis(definition.toolTimeout, 'toolTimeout') > 0))
        problems.push('toolTimeout must be longer than 0 ms');
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (
    definition.maxToolOutputChars !== undefined &&
    !(Number.isInteger(definition.maxToolOutputChars) && definition.maxToolOutputChars >= 200)
  )
    problems.push('maxToolOutputChars must be an integer of at least 200');
  if (definition.modelRateLimit !== undefined) {
    try {
      const { key, ...limit } = definition.modelRateLimit;
      assertRateLimit(limit, 'modelRateLimit');
      if (key !== undefined) assertName(key, 'modelRateLimit.key');
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (definition.mcp !== undefined) {
    try {
      validateMcpServers(definition.mcp, `defineAgent('${String(definition.name)}')`);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const names = new Set<string>();
  for (const tool of definition.tools ?? []) {
    if (names.has(tool.name)) problems.push(`two tools are named '${tool.name}'`);
    names.add(tool.name);
  }
  if (problems.length > 0)
    throw new CairnError(
      'invalid_argument',
      `defineAgent('${String(definition.name)}'): ${problems.join('; ')}.`,
    );
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
