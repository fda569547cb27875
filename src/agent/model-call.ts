import type { LanguageModelV3 } from '@ai-sdk/provider';
import { generateText, jsonSchema, type ModelMessage, streamText, type ToolSet, tool } from 'ai';
import { costOf, type PriceTable } from '../models/price-table.js';
import { type TokenUsage, usageFromV3 } from '../models/token-usage.js';
import type { Tool } from './agent-tool.js';

/** What one model call answered, as the journal keeps it. */
export interface ModelTurn {
  readonly model: string;
  readonly text: string;
  readonly toolCalls: readonly ModelToolCall[];
  readonly finishReason: string;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  /** False when the price table does not know the model (its cost then counts as 0). */
  readonly priced: boolean;
  /** How long the call took. */
  readonly latencyMs: number;
}

export interface ModelToolCall {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  /** Set when the call could not be read (unknown tool, arguments that are not JSON). */
  readonly error?: string;
}

export interface ModelCallOptions {
  readonly model: LanguageModelV3;
  readonly system: string;
  readonly messages: readonly ModelMessage[];
  readonly tools: readonly Tool[];
  readonly prices?: PriceTable | undefined;
  readonly signal: AbortSignal;
  /** When given, the answer is streamed and each piece of text handed here as it comes. */
  readonly onText?: ((delta: string) => void) | undefined;
}

/**
 * One call to the model through the AI SDK. Tools are declared by their JSON Schema only (no
 * `execute`, no validation): the agent loop checks arguments itself and runs tools as durable steps.
 * Retries are the step's business, so the SDK's own are off.
 */
export async function callModel(options: ModelCallOptions): Promise<ModelTurn> {
  const started = performance.now();
  const request = {
    model: options.model,
    system: options.system,
    messages: [...options.messages],
    tools: toolSet(options.tools),
    maxRetries: 0,
    abortSignal: options.signal,
  };
  if (options.onText === undefined) {
    const result = await generateText(request);
    return turnOf(
      options,
      result.text,
      result.toolCalls,
      result.finishReason,
      usageFromV3(result.usage),
      started,
    );
  }
  const result = streamText({ ...request, onError: () => undefined });
  for await (const delta of result.textStream) options.onText(delta);
  return turnOf(
    options,
    await result.text,
    await result.toolCalls,
    await result.finishReason,
    usageFromV3(await result.usage),
    started,
  );
}

function turnOf(
  options: ModelCallOptions,
  text: string,
  calls: readonly {
    toolCallId: string;
    toolName: string;
    input: unknown;
    invalid?: boolean;
    error?: unknown;
  }[],
  finishReason: string,
  usage: TokenUsage,
  started: number,
): ModelTurn {
  const cost = costOf(usage, options.model.modelId, options.prices);
  return {
    model: `${options.model.provider}:${options.model.modelId}`,
    text,
    toolCalls: calls.map((call) => ({
      id: call.toolCallId,
      name: call.toolName,
      input: call.input ?? null,
      ...(call.invalid === true ? { error: describe(call.error) } : {}),
    })),
    finishReason,
    usage,
    costUsd: cost.usd,
    priced: cost.priced,
    latencyMs: Math.round(performance.now() - started),
  };
}

function toolSet(tools: readonly Tool[]): ToolSet {
  return Object.fromEntries(
    tools.map((definition) => [
      definition.name,
      tool({
        description: definition.description,
        inputSchema: jsonSchema(definition.input.jsonSchema as Parameters<typeof jsonSchema>[0]),
      }),
    ]),
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error ?? 'the call could not be read');
}

/** The assistant message a turn adds to the conversation. */
export function assistantMessage(turn: ModelTurn): ModelMessage {
  return {
    role: 'assistant',
    content: [
      ...(turn.text === '' ? [] : [{ type: 'text' as const, text: turn.text }]),
      ...turn.toolCalls.map((call) => ({
        type: 'tool-call' as const,
        toolCallId: call.id,
        toolName: call.name,
        input: call.input,
      })),
    ],
  };
}
