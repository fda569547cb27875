import { McpConnection, type McpConnectOptions } from './mcp-connection.js';
import type { McpServerConfig } from './mcp-server-config.js';

/**
 * The MCP connections of a process, one per server name and config, so that every run in the
 * process shares one server process (or HTTP session) per server. Concurrent `get`s for the same
 * server share one connection attempt; a failed attempt is not kept, so the next `get` tries again.
 *
 * @example
 * const files = await mcpServerPool.get('files', { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] });
 */
export class McpServerPool {
  private readonly connections = new Map<string, Promise<McpConnection>>();

  constructor(private readonly options: McpConnectOptions = {}) {}

  /** The connection to `serverName` with `config`, connecting on first use (see {@link McpConnection.connect}). */
  get(serverName: string, config: McpServerConfig): Promise<McpConnection> {
    const key = poolKey(serverName, config);
    const known = this.connections.get(key);
    if (known !== undefined)
      return known.then((connection) =>
        connection.isClosed ? this.reconnect(key, known, serverName, config) : connection,
      );
    return this.connect(key, serverName, config);
  }

  /** How many connections (or connection attempts) the pool holds. */
  get size(): number {
    return this.connections.size;
  }

  /** Closes the connection to `serverName` with `config`, if the pool holds one (ending its server process). */
  async close(serverName: string, config: McpServerConfig): Promise<void> {
    const key = poolKey(serverName, config);
    const attempt = this.connections.get(key);
    if (attempt === undefined) return;
    this.connections.delete(key);
    await attempt.then(
      (connection) => connection.close(),
      () => undefined,
    );
  }

  /** Closes every connection (ending the server processes) and empties the pool; attempts in flight are closed as they finish. */
  async closeAll(): Promise<void> {
    const pending = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      pending.map((attempt) =>
        attempt.then(
          (connection) => connection.close(),
          () => undefined,
        ),
      ),
    );
  }

  private connect(key: string, serverName: string, config: McpServerConfig): Promise<McpConnection> {
    const attempt = McpConnection.connect(serverName, config, this.options);
    this.connections.set(key, attempt);
    attempt.catch(() => {
      if (this.connections.get(key) === attempt) this.connections.delete(key);
    });
    return attempt;
  }

  /** Someone closed a pooled connection: replace it (once, for every caller that finds it closed). */
  private reconnect(
    key: string,
    closed: Promise<McpConnection>,
    serverName: string,
    config: McpServerConfig,
  ): Promise<McpConnection> {
    const current = this.connections.get(key);
    if (current !== undefined && current !== closed) return current;
    return this.connect(key, serverName, config);
  }
}

/** The pool of this process: what runs share. Close it (closeAll) when the process shuts down. */
export const mcpServerPool = new McpServerPool();

/** The same name and config give the same key, whatever the order of the config's keys. */
function poolKey(serverName: string, config: McpServerConfig): string {
  return JSON.stringify([serverName, sortedKeys(config)]);
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, sortedKeys(item)]),
  );
}
