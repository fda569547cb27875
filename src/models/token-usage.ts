import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { LanguageModelUsage } from 'ai';

/**
 * Tokens one model call (or a sum of calls) used, in the four numbers cost and budgets need.
 * `cachedInput` is part of `input` and `reasoning` is part of `output`, the way providers bill them.
 */
export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly cachedInput: number;
  readonly reasoning: number;
}

/** No tokens at all: the start of a running sum. */
export const ZERO_USAGE: TokenUsage = Object.freeze({ input: 0, output: 0, cachedInput: 0, reasoning: 0 });

/**
 * The usage shapes the AI SDK hands out: the nested `LanguageModelV3Usage` that a model's
 * `doGenerate`/`doStream` return, and the flat `LanguageModelUsage` of `generateText`/`streamText`.
 */
export type SdkUsage = LanguageModelV3Usage | LanguageModelUsage;

/**
 * Turns either AI SDK usage shape into a {@link TokenUsage}. Numbers a provider did not report count
 * as 0; `undefined` (no usage at all, e.g. a stream that ended early) is {@link ZERO_USAGE}.
 */
export function usageFromV3(usage: SdkUsage | undefined): TokenUsage {
  if (usage === undefined || usage === null) return ZERO_USAGE;
  // The two shapes share field names; only the V3 one nests objects under them.
  if (typeof usage.inputTokens === 'object' && usage.inputTokens !== null) {
    return fromModelUsage(usage as LanguageModelV3Usage);
  }
  return fromCallUsage(usage as LanguageModelUsage);
}

function fromModelUsage(usage: LanguageModelV3Usage): TokenUsage {
  const { inputTokens: input, outputTokens: output } = usage;
  // Some providers give only the parts; the total is their sum (Anthropic: noCache + read + write).
  const inputTotal =
    input?.total ?? count(input?.noCache) + count(input?.cacheRead) + count(input?.cacheWrite);
  const outputTotal = output?.total ?? count(output?.text) + count(output?.reasoning);
  return {
    input: inputTotal,
    output: outputTotal,
    cachedInput: count(input?.cacheRead),
    reasoning: count(output?.reasoning),
  };
}

function fromCallUsage(usage: LanguageModelUsage): TokenUsage {
  return {
    input: count(usage.inputTokens),
    output: count(usage.outputTokens),
    // The detail objects are the current fields; the flat ones are deprecated but still filled in.
    cachedInput: count(usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens),
    reasoning: count(usage.outputTokenDetails?.reasoningTokens ?? usage.reasoningTokens),
  };
}

function count(value: number | undefined | null): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The sum of two usages, for totals across the calls of a run. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cachedInput: a.cachedInput + b.cachedInput,
    reasoning: a.reasoning + b.reasoning,
  };
}
