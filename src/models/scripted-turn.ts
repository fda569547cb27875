import type {
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3Prompt,
  LanguageModelV3ToolCall,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { TokenUsage } from './token-usage.js';

/** A tool call a scripted turn makes. Without `id`, the call gets a stable one from its position. */
export interface ScriptedToolCall {
  readonly name: string;
  readonly input: unknown;
  readonly id?: string;
}

/** One answer of a scripted model: text, tool calls, or both. */
export interface ScriptedTurn {
  readonly text?: string;
  readonly toolCalls?: readonly ScriptedToolCall[];
  /** Reported usage; numbers left out are estimated from the characters of the prompt and answer. */
  readonly usage?: Partial<TokenUsage>;
  /** Defaults to `tool-calls` when the turn calls a tool, else `stop`. */
  readonly finishReason?: LanguageModelV3FinishReason['unified'];
}

/** What a function script is told about the call it answers. */
export interface ScriptedCall {
  /** 0 for the first call to the model. */
  readonly index: number;
  readonly prompt: LanguageModelV3Prompt;
}

/** A scripted turn turned into what a V3 model returns. */
export interface ScriptedReply {
  readonly text: string;
  readonly toolCalls: readonly LanguageModelV3ToolCall[];
  readonly content: LanguageModelV3Content[];
  readonly finishReason: LanguageModelV3FinishReason;
  readonly usage: LanguageModelV3Usage;
}

// A rough rule of thumb for English text and JSON; enough to make estimated costs non-zero and plausible.
const CHARS_PER_TOKEN = 4;

/** Builds the V3 reply for `turn`, the answer to call number `index` with `prompt`. */
export function replyFor(turn: ScriptedTurn, index: number, prompt: LanguageModelV3Prompt): ScriptedReply {
  const text = turn.text ?? '';
  const toolCalls = (turn.toolCalls ?? []).map(
    (call, n): LanguageModelV3ToolCall => ({
      type: 'tool-call',
      // Deterministic ids: a replayed run must see the same ids it saw live.
      toolCallId: call.id ?? `call_${index}_${n}`,
      toolName: call.name,
      input: JSON.stringify(call.input ?? {}),
    }),
  );
  const content: LanguageModelV3Content[] = text === '' ? [] : [{ type: 'text', text }];
  content.push(...toolCalls);
  const unified = turn.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop');
  const answerChars = text.length + toolCalls.reduce((sum, call) => sum + call.input.length, 0);
  const usage = {
    input: turn.usage?.input ?? estimate(promptChars(prompt)),
    output: turn.usage?.output ?? estimate(answerChars),
    cachedInput: turn.usage?.cachedInput ?? 0,
    reasoning: turn.usage?.reasoning ?? 0,
  };
  return { text, toolCalls, content, finishReason: { unified, raw: unified }, usage: toV3Usage(usage) };
}

function estimate(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

function toV3Usage(usage: TokenUsage): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: usage.input,
      noCache: usage.input - usage.cachedInput,
      cacheRead: usage.cachedInput,
      cacheWrite: 0,
    },
    outputTokens: { total: usage.output, text: usage.output - usage.reasoning, reasoning: usage.reasoning },
  };
}

/** The number of characters of text a prompt carries, counting tool inputs and results as JSON. */
function promptChars(prompt: LanguageModelV3Prompt): number {
  let chars = 0;
  for (const message of prompt) {
    if (typeof message.content === 'string') {
      chars += message.content.length;
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') chars += part.text.length;
      else if (part.type === 'tool-call') chars += JSON.stringify(part.input ?? null).length;
      else if (part.type === 'tool-result') chars += JSON.stringify(part.output).length;
    }
  }
  return chars;
}
