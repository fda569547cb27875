import { type Duration, toMillis } from '../core/duration.js';
import { CairnError } from '../core/errors.js';
import type { StepEffect } from '../core/journal-event.js';
import { assertRateLimit, type RateLimit } from '../core/rate-limit.js';
import type { McpConnection } from '../mcp/mcp-connection.js';
import type { McpServerConfig } from '../mcp/mcp-server-config.js';
import { validateMcpServerConfig } from '../mcp/mcp-server-config.js';
import { type McpServerPool, mcpServerPool } from '../mcp/mcp-server-pool.js';
import type { McpToolInfo } from '../mcp/mcp-tool.js';
import { type AnyFunctionTool, defineTool } from './tool.js';

/** One MCP server an agent takes tools from: where it is, and how Cairn treats its tools. */
export type McpServerOptions = McpServerConfig & {
  /**
   * How long a call may wait for an answer; each progress report from the server restarts the clock.
   * Default: the agent's `toolTimeout`.
   */
  readonly timeout?: Duration;
  /**
   * What calling its tools twice would do. Default, per tool, from the server's hints: read-only →
   * `pure`, idempotent → `idempotent`, else `side-effect` (hints are claims: set this to overrule them).
   */
  readonly effect?: StepEffect;
  /** Offer only these of its tools (their names on the server). Default: all. */
  readonly include?: readonly string[];
  /** Calls to all its tools together, per interval: a bucket shared by every worker on the store. */
  readonly rateLimit?: RateLimit;
};

/** The MCP servers of an agent, by the name its tools are prefixed with (`<server>.<tool>`). */
export type McpServers = Readonly<Record<string, McpServerOptions>>;

/** A server's tool as the run journals it when it lists tools: enough to rebuild the same tool on replay. */
export interface ListedMcpTool extends McpToolInfo {
  readonly server: string;
}

/** What listing an agent's MCP servers found: their tools, and the servers that could not be reached. */
export interface McpListing {
  readonly tools: readonly ListedMcpTool[];
  readonly unavailable: readonly { readonly server: string; readonly error: string }[];
}

/** Checks an agent's `mcp` option; returns its servers' connection configs by name. */
export function validateMcpServers(servers: unknown, what: string): Map<string, McpServerConfig> {
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new CairnError(
      'invalid_argument',
      `${what}: mcp must be an object of servers by name, e.g. { files: { command: 'npx', args: [...] } }.`,
    );
  }
  const configs = new Map<string, McpServerConfig>();
  for (const [name, options] of Object.entries(servers as Record<string, McpServerOptions>)) {
    const { timeout, effect, include, rateLimit, ...config } = (options ?? {}) as McpServerOptions;
    if (rateLimit !== undefined) assertRateLimit(rateLimit, `${what}: mcp.${name}.rateLimit`);
    configs.set(name, validateMcpServerConfig(name, config));
    if (timeout !== undefined && !(toMillis(timeout, `${what}: mcp.${name}.timeout`) > 0))
      throw new CairnError('invalid_argument', `${what}: mcp.${name}.timeout must be longer than 0 ms.`);
    if (effect !== undefined && !['pure', 'idempotent', 'side-effect'].includes(effect))
      throw new CairnError(
        'invalid_argument',
        `${what}: mcp.${name}.effect must be 'pure', 'idempotent' or 'side-effect'.`,
      );
    if (
      include !== undefined &&
      !(Array.isArray(include) && include.every((tool) => typeof tool === 'string'))
    )
      throw new CairnError('invalid_argument', `${what}: mcp.${name}.include must be a list of tool names.`);
  }
  return configs;
}

/**
 * Lists the tools of every server (in parallel, through the process's connection pool): each
 * connection's list is asked for once and then kept up to date by the server's change notices. A
 * server that cannot be reached is reported, not thrown: the agent goes on with the tools it has.
 */
export async function listMcpTools(
  servers: McpServers,
  pool: McpServerPool = mcpServerPool,
): Promise<McpListing> {
  const listings = await Promise.all(
    Object.entries(servers).map(async ([server, options]) => {
      try {
        const connection = await pool.get(server, connectionConfig(options));
        const tools = await toolsOf(connection);
        const wanted =
          options.include === undefined
            ? tools
            : tools.filter((tool) => options.include!.includes(tool.name));
        return { tools: wanted.map((tool) => ({ ...tool, server })), unavailable: [] };
      } catch (error) {
        return { tools: [], unavailable: [{ server, error: (error as Error).message }] };
      }
    }),
  );
  return {
    tools: listings.flatMap((listing) => listing.tools),
    unavailable: listings.flatMap((listing) => listing.unavailable),
  };
}

/** Each connection's tool list: listed once, then replaced whenever the server says it changed. */
const toolLists = new WeakMap<McpConnection, Promise<readonly McpToolInfo[]>>();

function toolsOf(connection: McpConnection): Promise<readonly McpToolInfo[]> {
  let tools = toolLists.get(connection);
  if (tools === undefined) {
    tools = connection.listTools();
    toolLists.set(connection, tools);
    tools.catch(() => toolLists.delete(connection)); // a failed listing is tried again next time
    connection.onToolsChanged((changed) => toolLists.set(connection, Promise.resolve(changed)));
  }
  return tools;
}

const built = new Map<string, AnyFunctionTool>();

/**
 * The Cairn tool for a listed MCP tool, named `<server>.<tool>`: its arguments checked against the
 * server's JSON Schema, the call made through the process's connection to the server (which restarts
 * a server that died), the server's answer normalized like any tool result.
 */
export function mcpTool(
  listed: ListedMcpTool,
  options: McpServerOptions,
  pool: McpServerPool = mcpServerPool,
): AnyFunctionTool {
  const key = JSON.stringify([listed, options]);
  const known = built.get(key);
  if (known !== undefined) return known;
  const config = connectionConfig(options);
  const tool = defineTool({
    name: toolName(listed.server, listed.name),
    description:
      listed.description ||
      listed.annotations?.title ||
      listed.title ||
      `Tool '${listed.name}' of MCP server '${listed.server}'.`,
    input: listed.inputSchema,
    effect: options.effect ?? effectOf(listed),
    source: `mcp:${listed.server}`,
    ownTimeout: true,
    rateLimits:
      options.rateLimit === undefined ? [] : [{ key: `mcp:${listed.server}`, limit: options.rateLimit }],
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    execute: async (args: unknown, ctx) => {
      const connection = await pool.get(listed.server, config);
      return connection.callTool(listed.name, args as Record<string, unknown>, {
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
      });
    },
  });
  if (built.size >= 1_000) built.delete(built.keys().next().value!);
  built.set(key, tool);
  return tool;
}

/** Closes the connections to these servers (a runtime that executes the agent is closing). */
export async function closeMcpServers(
  servers: McpServers,
  pool: McpServerPool = mcpServerPool,
): Promise<void> {
  await Promise.all(
    Object.entries(servers).map(([server, options]) => pool.close(server, connectionConfig(options))),
  );
}

function connectionConfig(options: McpServerOptions): McpServerConfig {
  const { timeout: _timeout, effect: _effect, include: _include, rateLimit: _rateLimit, ...config } = options;
  return config as McpServerConfig;
}

/** The effect the server's hints claim: read-only → pure, idempotent → idempotent, else a side effect. */
function effectOf(tool: McpToolInfo): StepEffect {
  if (tool.annotations?.readOnlyHint === true) return 'pure';
  if (tool.annotations?.idempotentHint === true) return 'idempotent';
  return 'side-effect';
}

/** `<server>.<tool>`, with characters models refuse replaced, at most 64 characters. */
function toolName(server: string, tool: string): string {
  return `${server}.${tool}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
}
