import type { CallToolResult, Progress, Tool } from '@modelcontextprotocol/sdk/types.js';

/** A JSON Schema for an object, as MCP tools describe their input (and output) with. */
export interface McpObjectSchema {
  readonly type: 'object';
  readonly properties?: Readonly<Record<string, object>>;
  readonly required?: readonly string[];
  readonly [keyword: string]: unknown;
}

/**
 * What a server says about a tool's behaviour. Hints only: a server may say anything, so treat them
 * as claims (e.g. to choose a default effect), never as guarantees.
 */
export interface McpToolAnnotations {
  readonly title?: string;
  /** It changes nothing in its environment. */
  readonly readOnlyHint?: boolean;
  /** It may destroy or overwrite something (meaningful when not read-only). */
  readonly destructiveHint?: boolean;
  /** Calling it again with the same arguments has no further effect. */
  readonly idempotentHint?: boolean;
  /** It reaches an open world (the web), not a closed one (a local store). */
  readonly openWorldHint?: boolean;
  readonly [hint: string]: unknown;
}

/** A tool an MCP server offers: its name, what it does, and the JSON Schema of its arguments. */
export interface McpToolInfo {
  readonly name: string;
  /** A human-readable name, when the server gives one. */
  readonly title?: string;
  /** What the tool does, for the model ('' when the server says nothing). */
  readonly description: string;
  readonly inputSchema: McpObjectSchema;
  /** The schema of `structuredContent` in its results, when the server declares one. */
  readonly outputSchema?: McpObjectSchema;
  readonly annotations?: McpToolAnnotations;
}

/**
 * A tool's result exactly as the server sent it: `content` blocks (text, image, audio, resource
 * links, embedded resources), optional `structuredContent`, and `isError` when the tool itself failed.
 */
export type McpCallToolResult = CallToolResult;

/** A progress report a server sent during a call: `progress` so far, of `total` when known. */
export type McpProgress = Progress;

/** The tool as Cairn describes it, from the server's listing. */
export function toToolInfo(tool: Tool): McpToolInfo {
  return {
    name: tool.name,
    ...(tool.title === undefined ? {} : { title: tool.title }),
    description: tool.description ?? '',
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
    ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
  };
}

/**
 * Whether a listed tool can be called with a plain `tools/call`: tools that require MCP's
 * (experimental) task-based execution cannot, and the SDK refuses to call them.
 */
export function isPlainlyCallable(tool: Tool): boolean {
  return tool.execution?.taskSupport !== 'required';
}
