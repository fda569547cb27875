import type { JsonValue } from '../core/value-ref.js';

/** One piece of what a tool returned. Media (images, audio, files) is kept whole, base64-encoded. */
export type ToolContent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'json'; readonly value: JsonValue }
  | {
      readonly type: 'media';
      readonly mediaType: string;
      /** Base64. */
      readonly data: string;
      readonly name?: string;
    };

/** What went wrong, in terms the model can act on. */
export interface ToolFailure {
  readonly code: string;
  readonly message: string;
  /** True when calling again may succeed (a timeout, a server that was restarting). */
  readonly retryable: boolean;
}

/**
 * Every tool call's result in one shape, whatever the tool returned (a string, an object, MCP content
 * blocks, an error): this is what the journal keeps, whole. The model sees a bounded view of it
 * (tool-result-view.ts).
 */
export interface ToolResult {
  readonly content: readonly ToolContent[];
  readonly error?: ToolFailure;
}

/** An MCP `tools/call` result, as servers send it (only the fields Cairn reads). */
interface McpCallResult {
  readonly content?: readonly McpContentBlock[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
}

type McpContentBlock = { readonly type: string; readonly [key: string]: unknown };

/** The normalized result of a tool that returned `output`. */
export function toolResultOf(output: unknown): ToolResult {
  if (isToolResult(output)) return output;
  if (isMcpCallResult(output)) return fromMcp(output);
  if (output === undefined || output === null) return { content: [] };
  if (typeof output === 'string') return { content: [{ type: 'text', text: output }] };
  return { content: [{ type: 'json', value: toJson(output) }] };
}

/** A failed call's result. */
export function toolFailure(failure: ToolFailure): ToolResult {
  return { content: [], error: failure };
}

function fromMcp(result: McpCallResult): ToolResult {
  const content: ToolContent[] = (result.content ?? []).map(fromMcpBlock);
  if (result.structuredContent !== undefined && content.length === 0) {
    content.push({ type: 'json', value: toJson(result.structuredContent) });
  }
  if (result.isError !== true) return { content };
  const message = content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n')
    .trim();
  return {
    content: [],
    error: {
      code: 'tool_error',
      message: message === '' ? 'The tool reported an error.' : message,
      retryable: false,
    },
  };
}

function fromMcpBlock(block: McpContentBlock): ToolContent {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(block.text ?? '') };
    case 'image':
    case 'audio':
      return {
        type: 'media',
        mediaType: String(block.mimeType ?? 'application/octet-stream'),
        data: String(block.data ?? ''),
      };
    case 'resource': {
      const resource = (block.resource ?? {}) as {
        uri?: string;
        mimeType?: string;
        text?: string;
        blob?: string;
      };
      if (typeof resource.text === 'string') return { type: 'text', text: resource.text };
      return {
        type: 'media',
        mediaType: resource.mimeType ?? 'application/octet-stream',
        data: resource.blob ?? '',
        ...(resource.uri === undefined ? {} : { name: resource.uri }),
      };
    }
    default: {
      // resource_link and anything newer: keep what the server sent, as data.
      return { type: 'json', value: toJson(block) };
    }
  }
}

/** True for a value in the ToolResult shape (as the journal keeps tool results). */
export function isToolResult(value: unknown): value is ToolResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { content?: unknown; error?: unknown; isError?: unknown };
  if (!Array.isArray(candidate.content) || 'isError' in candidate) return false;
  return (
    candidate.content.every(
      (part) =>
        typeof part === 'object' &&
        part !== null &&
        ['text', 'json', 'media'].includes((part as { type?: string }).type ?? '') &&
        ((part as { type: string }).type !== 'text' ||
          typeof (part as { text?: unknown }).text === 'string') &&
        ((part as { type: string }).type !== 'media' ||
          typeof (part as { data?: unknown }).data === 'string'),
    ) && Object.keys(value).every((key) => key === 'content' || key === 'error')
  );
}

function isMcpCallResult(value: unknown): value is McpCallResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { content?: unknown; isError?: unknown };
  return (
    Array.isArray(candidate.content) &&
    candidate.content.every(
      (block) =>
        typeof block === 'object' && block !== null && typeof (block as { type?: unknown }).type === 'string',
    ) &&
    Object.keys(value).every((key) => ['content', 'structuredContent', 'isError', '_meta'].includes(key))
  );
}

/** `value` as JSON data: what JSON.stringify keeps (dates as strings, undefined fields dropped). */
function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value) ?? 'null') as JsonValue;
}
