import { CairnError } from '../core/errors.js';
import { isMcpError } from './mcp-error.js';
import { type RequestSubject, requestFailure, restartFailure } from './mcp-failures.js';
import { type McpServerConfig, validateMcpServerConfig } from './mcp-server-config.js';
import { McpSession, type RequestLimits } from './mcp-session.js';
import {
  isPlainlyCallable,
  type McpCallToolResult,
  type McpProgress,
  type McpToolInfo,
  toToolInfo,
} from './mcp-tool.js';
import { ToolsChangedListeners } from './tools-changed-listeners.js';

/** Options for {@link McpConnection.connect}. */
export interface McpConnectOptions {
  /** How long starting the server and the MCP handshake may take, in ms (60 s by default: `npx` may download first). */
  readonly connectTimeoutMs?: number;
}

/** Options for {@link McpConnection.callTool}. */
export interface McpCallOptions {
  /** How long to wait for an answer, in ms. Each progress report from the server restarts this clock. */
  readonly timeoutMs: number;
  /** A cap on the whole call however much progress the server reports, in ms (none by default). */
  readonly maxTotalMs?: number;
  /** Aborting cancels the call on the server (notifications/cancelled) and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Receives the server's progress reports. */
  readonly onProgress?: (progress: McpProgress) => void;
}

/** Options for {@link McpConnection.listTools}. */
export interface McpListOptions {
  /** How long each page may take, in ms (30 s by default). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Called with a server's whole new tool list after it announced a change. */
export type McpToolsChangedListener = (tools: readonly McpToolInfo[]) => void;

const CONNECT_TIMEOUT_MS = 60_000;
const LIST_TIMEOUT_MS = 30_000;

/**
 * A connection to one MCP server (spawned over stdio, or over Streamable HTTP) that lists and calls
 * its tools. Failures are CairnErrors: `mcp_connect_failed`, `mcp_timeout`, `mcp_server_exited`,
 * `mcp_call_failed` (see {@link McpErrorCode}), with `details.retryable`.
 *
 * When the server dies (or the HTTP connection breaks), the calls in flight fail at once with
 * `mcp_server_exited`, and the next request starts the server again, once; if that fails too, the
 * request fails with `mcp_server_exited` saying why.
 *
 * @example
 * const files = await McpConnection.connect('files', { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] });
 * const tools = await files.listTools();
 * const result = await files.callTool('read_text_file', { path: '/tmp/notes.txt' }, { timeoutMs: 10_000 });
 */
export class McpConnection {
  private session: McpSession | undefined;
  private reopening: Promise<McpSession> | undefined;
  private closed = false;
  private readonly listeners = new ToolsChangedListeners(() => this.listTools());

  private constructor(
    /** The server's name in Cairn's config (`mcp: { <name>: config }`). */
    readonly serverName: string,
    readonly config: McpServerConfig,
    private readonly connectTimeoutMs: number,
  ) {}

  /**
   * Validates the config (`invalid_argument`), starts or reaches the server and performs the MCP
   * handshake as client 'cairn'. Rejects with `mcp_connect_failed` saying what went wrong.
   */
  static async connect(
    serverName: string,
    config: McpServerConfig,
    options: McpConnectOptions = {},
  ): Promise<McpConnection> {
    const valid = validateMcpServerConfig(serverName, config);
    const connectTimeoutMs = checkMillis(
      options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      'connectTimeoutMs',
      serverName,
    );
    const connection = new McpConnection(serverName, valid, connectTimeoutMs);
    connection.session = await connection.open();
    return connection;
  }

  /** The id of the server process (stdio servers), for diagnostics; it changes when the server is restarted. */
  get pid(): number | undefined {
    return this.session?.pid;
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Every tool the server offers (through all pages), except those that can only run as MCP tasks
   * (an experimental protocol feature this client does not use).
   */
  async listTools(options: McpListOptions = {}): Promise<McpToolInfo[]> {
    const timeoutMs = checkMillis(options.timeoutMs ?? LIST_TIMEOUT_MS, 'timeoutMs', this.serverName);
    const session = await this.liveSession(options.signal);
    const tools = await this.request(session, { timeoutMs }, options.signal, (limits) =>
      session.listTools(limits),
    );
    const infos = tools.filter(isPlainlyCallable).map(toToolInfo);
    this.listeners.seen(infos);
    return infos;
  }

  /**
   * Calls a tool and resolves with the server's result as sent: a tool that failed resolves too, with
   * `isError: true` and its message in `content`. Rejects (see the class) when there is no result.
   */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: McpCallOptions,
  ): Promise<McpCallToolResult> {
    const timeoutMs = checkMillis(options.timeoutMs, 'timeoutMs', this.serverName);
    const maxTotalMs =
      options.maxTotalMs === undefined
        ? undefined
        : checkMillis(options.maxTotalMs, 'maxTotalMs', this.serverName);
    const session = await this.liveSession(options.signal);
    const subject = { tool: name, timeoutMs, ...(maxTotalMs === undefined ? {} : { maxTotalMs }) };
    return this.request(session, subject, options.signal, (limits) =>
      session.callTool(name, args, {
        ...limits,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
  }

  /**
   * Calls `listener` with the whole new tool list each time the server announces a change
   * (notifications/tools/list_changed), and after a restart that changed the list. Returns a function
   * that unsubscribes. A failed re-listing is skipped: the next announcement tries again.
   */
  onToolsChanged(listener: McpToolsChangedListener): () => void {
    return this.listeners.add(listener);
  }

  /** Ends the session and the server process (or HTTP session); calls in flight fail. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.reopening?.catch(() => undefined); // a restart in flight closes what it started
    await this.session?.close();
  }

  private open(): Promise<McpSession> {
    return McpSession.open(this.serverName, this.config, this.connectTimeoutMs, {
      onToolListChanged: () => this.listeners.changed('announced'),
    });
  }

  /** The live session, starting the server again (once, shared by concurrent callers) if it was lost. */
  private liveSession(signal: AbortSignal | undefined): Promise<McpSession> {
    signal?.throwIfAborted();
    if (this.closed) return Promise.reject(closedError(this.serverName));
    const session = this.session;
    if (session !== undefined && session.lost === undefined) return Promise.resolve(session);
    this.reopening ??= this.reopen(session).finally(() => {
      this.reopening = undefined;
    });
    return this.reopening;
  }

  private async reopen(previous: McpSession | undefined): Promise<McpSession> {
    let session: McpSession;
    try {
      session = await this.open();
    } catch (error) {
      const loss = previous?.lost;
      throw loss !== undefined && isMcpError(error)
        ? restartFailure(this.serverName, this.config, loss, error)
        : error;
    }
    if (this.closed) {
      await session.close();
      throw closedError(this.serverName);
    }
    this.session = session;
    this.listeners.changed('restarted');
    return session;
  }

  /** Runs one request and words its failure. */
  private async request<T>(
    session: McpSession,
    subject: RequestSubject,
    callerSignal: AbortSignal | undefined,
    run: (limits: RequestLimits) => Promise<T>,
  ): Promise<T> {
    // A signal per request: the SDK never removes its 'abort' listener, and a run's signal outlives many calls.
    const controller = new AbortController();
    const forward = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', forward, { once: true });
    try {
      return await run({
        timeoutMs: subject.timeoutMs,
        signal: controller.signal,
        ...(subject.maxTotalMs === undefined ? {} : { maxTotalMs: subject.maxTotalMs }),
      });
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (this.closed) throw closedError(this.serverName);
      throw requestFailure(this.serverName, subject, error, session.lost);
    } finally {
      callerSignal?.removeEventListener('abort', forward);
    }
  }
}

function closedError(serverName: string): CairnError {
  return new CairnError(
    'runtime_closed',
    `The connection to MCP server '${serverName}' was closed; open a new one (McpServerPool.get or McpConnection.connect).`,
    { details: { server: serverName } },
  );
}

function checkMillis(value: number, name: string, serverName: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new CairnError(
    'invalid_argument',
    `MCP server '${serverName}': '${name}' must be a number of milliseconds above 0, not ${JSON.stringify(value)}.`,
    { details: { server: serverName } },
  );
}
