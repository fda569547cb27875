import { ErrorCode, McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import { type McpErrorDetails, type McpFailure, mcpError } from './mcp-error.js';
import { describeMcpServer, isStdioConfig, type McpServerConfig } from './mcp-server-config.js';
import { describeCause, type ServerLoss } from './server-loss.js';

/** What a failed request was about: a tool call (with its name) or the tool list. */
export interface RequestSubject {
  readonly tool?: string;
  readonly timeoutMs: number;
  readonly maxTotalMs?: number;
}

/**
 * Words a failed start or handshake as `mcp_connect_failed`: what could not start, or how the process
 * ended (with its stderr), or how long the handshake was given. `exit` is how the process ended, if it did.
 */
export function connectFailure(
  server: string,
  config: McpServerConfig,
  error: unknown,
  exit: ServerLoss | undefined,
  timeoutMs: number,
): McpFailure {
  const where = describeMcpServer(config);
  const base = { server, retryable: false };
  if (isSpawnError(error) && isStdioConfig(config)) {
    const check = config.cwd === undefined ? '' : ` and that its 'cwd' (${config.cwd}) exists`;
    return mcpError(
      'mcp_connect_failed',
      `Could not start MCP server '${server}' (${where}): ${error.message}. Check that its 'command' exists ` +
        `and is executable (a bare name is looked up on the PATH)${check}.`,
      base,
      error,
    );
  }
  if (isTimeout(error)) {
    const message = `MCP server '${server}' (${where}) did not complete the MCP handshake within ${timeoutMs} ms.`;
    return mcpError(
      'mcp_connect_failed',
      withStderr(message, exit?.stderrTail),
      { ...base, retryable: true, timeoutMs },
      error,
    );
  }
  const reason = exit?.cause ?? error;
  if (!isStdioConfig(config)) {
    const reached = isNetworkError(reason) ? 'Could not reach' : 'The MCP handshake failed with';
    return mcpError(
      'mcp_connect_failed',
      `${reached} MCP server '${server}' (${where}): ${describeCause(reason)}`,
      { ...base, retryable: isNetworkError(reason) },
      reason,
    );
  }
  if (exit !== undefined) {
    const message = `MCP server '${server}' (${where}) ${exit.description} during the MCP handshake.`;
    return mcpError(
      'mcp_connect_failed',
      withStderr(message, exit.stderrTail),
      { ...base, ...exitDetails(exit) },
      error,
    );
  }
  return mcpError(
    'mcp_connect_failed',
    `The MCP handshake failed with MCP server '${server}' (${where}): ${describeCause(error)}`,
    base,
    error,
  );
}

/**
 * Words a failed request: `mcp_server_exited` when the session was lost meanwhile, `mcp_timeout`
 * when the clock ran out, `mcp_call_failed` when the server refused or answered nonsense.
 */
export function requestFailure(
  server: string,
  subject: RequestSubject,
  error: unknown,
  loss: ServerLoss | undefined,
): McpFailure {
  const what = subject.tool === undefined ? 'the tool list' : `tool '${subject.tool}'`;
  const base = { server, ...(subject.tool === undefined ? {} : { tool: subject.tool }) };
  if (loss !== undefined) {
    const doing = subject.tool === undefined ? 'listing its tools' : `running tool '${subject.tool}'`;
    const message = `MCP server '${server}' ${loss.description} while ${doing}.`;
    return mcpError(
      'mcp_server_exited',
      withStderr(message, loss.stderrTail),
      { ...base, retryable: true, ...exitDetails(loss) },
      error,
    );
  }
  if (isTimeout(error)) {
    const total = (error.data as { maxTotalTimeout?: number } | undefined)?.maxTotalTimeout;
    const message =
      total === undefined
        ? `MCP server '${server}' did not answer ${what} within ${subject.timeoutMs} ms (each progress report it sends restarts this clock).`
        : `MCP server '${server}' did not finish ${what} within its overall limit of ${total} ms.`;
    return mcpError(
      'mcp_timeout',
      message,
      { ...base, retryable: true, timeoutMs: total ?? subject.timeoutMs },
      error,
    );
  }
  if (error instanceof SdkMcpError) {
    // The SDK prefixes "MCP error <code>: " on both sides, so a server's own McpError arrives with two.
    const said = error.message.replace(/^(MCP error -?\d+: )+/, '');
    return mcpError(
      'mcp_call_failed',
      `MCP server '${server}' refused ${what}: ${said}`,
      { ...base, retryable: false, rpcCode: error.code },
      error,
    );
  }
  return mcpError(
    'mcp_call_failed',
    `MCP server '${server}' failed ${what}: ${describeCause(error).slice(0, 1_000)}`,
    { ...base, retryable: false },
    error,
  );
}

/** A server that was lost and could not be started (or reached) again: `mcp_server_exited`, with why. */
export function restartFailure(
  server: string,
  config: McpServerConfig,
  loss: ServerLoss,
  restart: McpFailure,
): McpFailure {
  const again = isStdioConfig(config) ? 'started' : 'reached';
  return mcpError(
    'mcp_server_exited',
    `MCP server '${server}' ${loss.description} and could not be ${again} again: ${restart.message}`,
    { ...restart.details, server, retryable: true },
    restart,
  );
}

function withStderr(message: string, stderrTail: string | undefined): string {
  if (stderrTail === undefined || stderrTail === '') return message;
  return `${message} The last lines of its stderr:\n${stderrTail.replace(/^/gm, '  ')}`;
}

function exitDetails(loss: ServerLoss): Pick<McpErrorDetails, 'exitCode' | 'signal' | 'stderrTail'> {
  return {
    ...(loss.exitCode === undefined ? {} : { exitCode: loss.exitCode }),
    ...(loss.signal === undefined ? {} : { signal: loss.signal }),
    ...(loss.stderrTail === undefined ? {} : { stderrTail: loss.stderrTail }),
  };
}

function isTimeout(error: unknown): error is SdkMcpError {
  return error instanceof SdkMcpError && error.code === ErrorCode.RequestTimeout;
}

function isSpawnError(error: unknown): error is NodeJS.ErrnoException {
  const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
  return error instanceof Error && typeof syscall === 'string' && syscall.startsWith('spawn');
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}
