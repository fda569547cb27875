import { CairnError, isCairnError } from '../core/errors.js';

/**
 * The codes of the MCP layer's failures:
 * - `mcp_connect_failed`: the server could not be started or reached, or the handshake failed;
 * - `mcp_timeout`: no answer within the call's time (progress reports restart the clock);
 * - `mcp_server_exited`: the server process died, or the HTTP connection was lost, during a call
 *   (or it died and could not be restarted);
 * - `mcp_call_failed`: the server refused the request (unknown tool, invalid params) or answered
 *   with something that is not a valid result.
 */
export type McpErrorCode = 'mcp_connect_failed' | 'mcp_timeout' | 'mcp_server_exited' | 'mcp_call_failed';

/** What an MCP failure's `details` hold: which server (and tool), and whether trying again may help. */
export interface McpErrorDetails {
  readonly server: string;
  /** True when the same request may succeed later (a timeout, a server that died); false for refusals. */
  readonly retryable: boolean;
  readonly tool?: string;
  readonly timeoutMs?: number;
  /** The server process's exit code (stdio), or null when a signal ended it. */
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  /** The last lines the server process wrote to stderr (stdio). */
  readonly stderrTail?: string;
  /** The JSON-RPC error code the server answered with. */
  readonly rpcCode?: number;
}

/** A CairnError raised by the MCP layer. */
export interface McpFailure extends Error {
  readonly code: McpErrorCode;
  readonly kind: 'expected';
  readonly details: McpErrorDetails;
}

/** Creates an MCP failure: a CairnError with `code` and `details`. */
export function mcpError(
  code: McpErrorCode,
  message: string,
  details: McpErrorDetails,
  cause?: unknown,
): McpFailure {
  return new CairnError(code, message, { details: { ...details }, cause }) as unknown as McpFailure;
}

/** True when `error` is a failure of the MCP layer, optionally with the given code. */
export function isMcpError(error: unknown, code?: McpErrorCode): error is McpFailure {
  if (!isCairnError(error)) return false;
  const actual = error.code as string;
  return code === undefined ? actual.startsWith('mcp_') : actual === code;
}
