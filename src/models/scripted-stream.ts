import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { ScriptedReply } from './scripted-turn.js';

// Enough pieces that a consumer sees text arrive in several deltas, as from a real model.
const TEXT_CHUNKS = 3;

/**
 * The stream parts a V3 model emits for `reply`, in the order real providers use: stream start,
 * the text in a few deltas, each tool call's input (streamed, then the whole call), and the finish
 * with usage.
 */
export function streamPartsFor(reply: ScriptedReply): LanguageModelV3StreamPart[] {
  const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
  if (reply.text !== '') {
    parts.push({ type: 'text-start', id: 'text-0' });
    for (const delta of split(reply.text, TEXT_CHUNKS))
      parts.push({ type: 'text-delta', id: 'text-0', delta });
    parts.push({ type: 'text-end', id: 'text-0' });
  }
  for (const call of reply.toolCalls) {
    parts.push({ type: 'tool-input-start', id: call.toolCallId, toolName: call.toolName });
    for (const delta of split(call.input, 2))
      parts.push({ type: 'tool-input-delta', id: call.toolCallId, delta });
    parts.push({ type: 'tool-input-end', id: call.toolCallId });
    parts.push(call);
  }
  parts.push({ type: 'finish', finishReason: reply.finishReason, usage: reply.usage });
  return parts;
}

/** A readable stream that yields `parts`, one per pull, so that consumers see them arrive in turn. */
export function streamOf(
  parts: readonly LanguageModelV3StreamPart[],
): ReadableStream<LanguageModelV3StreamPart> {
  let next = 0;
  return new ReadableStream<LanguageModelV3StreamPart>({
    pull(controller) {
      const part = parts[next++];
      if (part === undefined) controller.close();
      else controller.enqueue(part);
    },
  });
}

/** Splits `text` into at most `pieces` non-empty pieces of about equal length. */
function split(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}
