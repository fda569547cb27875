import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  type Progress,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { CLIENT_INFO } from './client-info.js';
import { httpServerTransport, isConnectionLoss } from './http-server-transport.js';
import { connectFailure } from './mcp-failures.js';
import { isStdioConfig, type McpServerConfig } from './mcp-server-config.js';
import { describeCause, type ServerLoss } from './server-loss.js';
import { describeExit, SpawnedServerTransport } from './spawned-server-transport.js';

/** What a session reports to the connection that owns it. */
export interface SessionEvents {
  /** The server sent notifications/tools/list_changed. */
  onToolListChanged(): void;
}

/** One request's limits: its clock (restarted by each progress report), an overall cap, and a signal. */
export interface RequestLimits {
  readonly timeoutMs: number;
  readonly maxTotalMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
}

/** How long closing waits for an HTTP server to end its session before giving up on it. */
const END_SESSION_MS = 1_000;

/**
 * One live MCP session: an SDK client over one transport, that is one server process or one HTTP
 * session. It does not outlive its transport: when the process dies it is `lost` and stays so, and
 * the owning connection opens a new one.
 */
export class McpSession {
  private lossState: ServerLoss | undefined;
  private closing = false;

  private constructor(
    private readonly client: Client,
    private readonly transport: SpawnedServerTransport | StreamableHTTPClientTransport,
  ) {}

  /**
   * Starts the transport and performs the MCP handshake. On failure the process (if any) has ended
   * when this rejects, with `mcp_connect_failed` saying why.
   */
  static async open(
    serverName: string,
    config: McpServerConfig,
    connectTimeoutMs: number,
    events: SessionEvents,
  ): Promise<McpSession> {
    const transport = isStdioConfig(config)
      ? new SpawnedServerTransport(config)
      : httpServerTransport(config);
    // No client capabilities: Cairn answers no server requests (sampling, elicitation), and declaring
    // `roots` would make servers such as server-filesystem replace their configured directories with
    // our (absent) roots. Receiving tools/list_changed needs no client capability.
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    const session = new McpSession(client, transport);
    // Set before connect(): the client chains its own handlers after these, so a death is recorded
    // before pending requests are rejected, and the rejection can say how the server died.
    transport.onclose = () => session.transportClosed();
    transport.onerror = (error) => session.transportError(error);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => events.onToolListChanged());
    try {
      await client.connect(transport, { timeout: connectTimeoutMs });
      return session;
    } catch (error) {
      // Closing first: then a process that died during the handshake has its exit code and stderr.
      await session.close();
      throw connectFailure(serverName, config, error, session.processExit ?? session.lost, connectTimeoutMs);
    }
  }

  /** How the session ended on its own; undefined while it is live (or after close()). */
  get lost(): ServerLoss | undefined {
    return this.lossState;
  }

  /** The server process's id (stdio servers). */
  get pid(): number | undefined {
    return this.transport instanceof SpawnedServerTransport ? this.transport.pid : undefined;
  }

  /** How the server process ended and its stderr (stdio servers that have ended), for connect errors. */
  get processExit(): ServerLoss | undefined {
    return this.transport instanceof SpawnedServerTransport ? stdioLoss(this.transport) : undefined;
  }

  /** Every tool the server lists, through all pages. */
  async listTools(limits: RequestLimits): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(
        cursor === undefined ? {} : { cursor },
        requestOptions(limits),
      );
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return tools;
  }

  /** Calls a tool; a progress token is always sent, so that servers report progress and keep the call alive. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    limits: RequestLimits,
  ): Promise<CallToolResult> {
    const result = await this.client.callTool(
      { name, arguments: args },
      CallToolResultSchema,
      requestOptions(limits),
    );
    return result as CallToolResult;
  }

  /** Ends the session: an HTTP session is ended on the server, a process is stopped. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.lossState === undefined && !(this.transport instanceof SpawnedServerTransport)) {
      await endHttpSession(this.transport);
    }
    await this.client.close();
  }

  private transportClosed(): void {
    if (this.closing || this.lossState !== undefined) return;
    this.lossState =
      this.transport instanceof SpawnedServerTransport
        ? stdioLoss(this.transport)
        : { description: 'closed its HTTP connection' };
  }

  private transportError(error: Error): void {
    if (this.transport instanceof SpawnedServerTransport) return; // a death shows as 'close', with its exit
    if (this.closing || this.lossState !== undefined || !isConnectionLoss(error)) return;
    this.lossState = { description: `lost its HTTP connection (${describeCause(error)})`, cause: error };
    // Closing rejects every pending request now; the transport would leave them to their timeouts.
    void this.client.close();
  }
}

function requestOptions(limits: RequestLimits) {
  return {
    timeout: limits.timeoutMs,
    resetTimeoutOnProgress: true,
    ...(limits.maxTotalMs === undefined ? {} : { maxTotalTimeout: limits.maxTotalMs }),
    ...(limits.signal === undefined ? {} : { signal: limits.signal }),
    onprogress: (progress: Progress) => {
      try {
        limits.onProgress?.(progress);
      } catch {
        // A listener's bug must not break the protocol's handling of the call.
      }
    },
  };
}

function stdioLoss(transport: SpawnedServerTransport): ServerLoss | undefined {
  const exit = transport.exit;
  if (exit === undefined) return undefined;
  return {
    description: describeExit(exit),
    exitCode: exit.code,
    signal: exit.signal,
    stderrTail: exit.stderrTail,
  };
}

async function endHttpSession(transport: StreamableHTTPClientTransport): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, END_SESSION_MS);
  });
  await Promise.race([transport.terminateSession().catch(() => undefined), giveUp]);
  clearTimeout(timer);
}
