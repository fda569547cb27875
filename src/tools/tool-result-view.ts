import type { ToolResultPart } from 'ai';
import type { JsonValue } from '../core/value-ref.js';
import type { ToolContent, ToolResult } from './tool-result.js';

/** The built-in tool that pages through an output too large to show at once. */
export const READ_OUTPUT_TOOL = 'read_tool_output';

/** What the model sees of one tool result, and the whole text behind it when it was cut. */
export interface ToolResultView {
  readonly output: ToolResultPart['output'];
  /** The whole text, when the model was shown only its first `maxChars` characters. */
  readonly truncatedText?: string;
}

/**
 * The model's view of a tool result: the content as text or JSON, at most `maxChars` characters of it
 * (the rest is read with `read_tool_output`), media as a one-line description, an error as
 * `{ error: { code, message, retryable } }`.
 */
export function toolResultView(result: ToolResult, toolCallId: string, maxChars: number): ToolResultView {
  if (result.error !== undefined) {
    const { code, message, retryable } = result.error;
    return {
      output: {
        type: 'error-json',
        value: { error: { code, message: bounded(message, maxChars), retryable } },
      },
    };
  }
  const [only] = result.content;
  if (result.content.length === 1 && only?.type === 'json') {
    const text = JSON.stringify(only.value);
    if (text.length <= maxChars) return { output: { type: 'json', value: only.value as JsonValue } };
  }
  const text = result.content.map(asText).join('\n');
  if (text.length <= maxChars) return { output: { type: 'text', value: text } };
  const note =
    `\n[Cut at ${maxChars} of ${text.length} characters. Read on with ${READ_OUTPUT_TOOL} ` +
    `{"toolCallId": ${JSON.stringify(toolCallId)}, "offset": ${maxChars}}.]`;
  return { output: { type: 'text', value: text.slice(0, maxChars) + note }, truncatedText: text };
}

/** A tool result as one line of text (for logs and the CLI): its content, or its error. */
export function toolResultText(result: ToolResult): string {
  if (result.error !== undefined) return `${result.error.code}: ${result.error.message}`;
  return result.content.map(asText).join(' ');
}

/** A page of a cut output, for `read_tool_output`. */
export function outputPage(text: string, offset: number, maxChars: number): string {
  if (offset >= text.length)
    return `[The output has ${text.length} characters; there is nothing after ${offset}.]`;
  const end = Math.min(text.length, offset + maxChars);
  const page = text.slice(offset, end);
  return end < text.length
    ? `${page}\n[Characters ${offset} to ${end} of ${text.length}. Read on with offset ${end}.]`
    : `${page}\n[Characters ${offset} to ${end} of ${text.length}: the end.]`;
}

function asText(content: ToolContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'json':
      return JSON.stringify(content.value);
    case 'media': {
      const bytes = Math.floor((content.data.length * 3) / 4);
      const name = content.name === undefined ? '' : ` ${content.name}`;
      return `[${content.mediaType}${name}, ${formatBytes(bytes)}: kept in the run's journal, not shown]`;
    }
  }
}

function bounded(text: string, maxChars: number): string {
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars)} [cut at ${maxChars} of ${text.length} characters]`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1_024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1_024).toFixed(1)} KB`;
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
