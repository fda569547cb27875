import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamResult,
} from '@ai-sdk/provider';
import { CairnError } from '../core/errors.js';
import { streamOf, streamPartsFor } from './scripted-stream.js';
import { replyFor, type ScriptedCall, type ScriptedReply, type ScriptedTurn } from './scripted-turn.js';

export type { ScriptedCall, ScriptedToolCall, ScriptedTurn } from './scripted-turn.js';

/** The turns a scripted model plays in order, or a function that picks the turn for each call. */
export type Script =
  | readonly ScriptedTurn[]
  | ((call: ScriptedCall) => ScriptedTurn | PromiseLike<ScriptedTurn>);

/** Options of {@link scriptedModel}. */
export interface ScriptedModelOptions {
  /** Defaults to `scripted`, which the default price table prices. */
  readonly modelId?: string;
  /** Defaults to `cairn`. */
  readonly provider?: string;
}

/** A scripted model: an AI SDK v6 language model that also counts the calls made to it. */
export interface ScriptedModel extends LanguageModelV3 {
  /** How many calls (generate or stream) were made, including one that ran past the script. */
  readonly calls: number;
}

/**
 * An offline language model that answers from a script, for tests, demos and examples: the prompt with
 * n assistant messages in it gets turn n (or whatever `script` returns for it). Works with `generateText` and `streamText` like any
 * provider's model, tool calls included, and reports usage (estimated when the turn gives none).
 */
export function scriptedModel(script: Script, options: ScriptedModelOptions = {}): ScriptedModel {
  return new ScriptedLanguageModel(script, options.modelId ?? 'scripted', options.provider ?? 'cairn');
}

class ScriptedLanguageModel implements ScriptedModel {
  readonly specificationVersion = 'v3';
  readonly supportedUrls = {};
  private callCount = 0;

  constructor(
    private readonly script: Script,
    readonly modelId: string,
    readonly provider: string,
  ) {}

  get calls(): number {
    return this.callCount;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { reply, index } = await this.play(options);
    return {
      content: reply.content,
      finishReason: reply.finishReason,
      usage: reply.usage,
      warnings: [],
      response: { id: `${this.modelId}-${index}`, modelId: this.modelId },
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { reply } = await this.play(options);
    return { stream: streamOf(streamPartsFor(reply)) };
  }

  private async play(options: LanguageModelV3CallOptions): Promise<{ reply: ScriptedReply; index: number }> {
    options.abortSignal?.throwIfAborted();
    this.callCount++;
    // The turn is picked by the conversation, not by a counter: the prompt with n assistant messages
    // gets turn n. So a run resumed in another process (a fresh model object) gets the same answers.
    const index = options.prompt.filter((message) => message.role === 'assistant').length;
    const turn = await this.turnAt(index, options);
    return { reply: replyFor(turn, index, options.prompt), index };
  }

  private async turnAt(index: number, options: LanguageModelV3CallOptions): Promise<ScriptedTurn> {
    if (typeof this.script === 'function') return this.script({ index, prompt: options.prompt });
    const turn = this.script[index];
    if (turn === undefined) {
      const turns = this.script.length;
      throw new CairnError(
        'invalid_argument',
        `The scripted model '${this.modelId}' has a script of ${turns} turn${turns === 1 ? '' : 's'} and ` +
          `was asked for turn ${index + 1} (a prompt with ${index} assistant message${index === 1 ? '' : 's'}): ` +
          'add a turn for every model call the conversation makes, or pass a function script to answer any number of calls.',
        { details: { modelId: this.modelId, turns, turn: index + 1 } },
      );
    }
    return turn;
  }
}
