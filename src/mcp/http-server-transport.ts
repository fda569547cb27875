import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpHttpServerConfig } from './mcp-server-config.js';

/** The SDK's Streamable HTTP client transport for `config`, sending its headers on every request. */
export function httpServerTransport(config: McpHttpServerConfig): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(config.url), {
    ...(config.headers === undefined ? {} : { requestInit: { headers: { ...config.headers } } }),
  });
}

/**
 * Whether an error the HTTP transport reports means the connection to the server is gone: a stream
 * broken off, a request that reached no server, a session the server no longer knows (404).
 *
 * The SDK only reports these through `onerror`; a call whose response stream broke would otherwise
 * wait for its timeout (or for reconnection attempts to a server that is not there).
 */
export function isConnectionLoss(error: Error): boolean {
  if (error instanceof StreamableHTTPError) return error.code === 404;
  if (error instanceof TypeError && error.message === 'fetch failed') return true; // undici: no connection
  return /^(SSE stream disconnected|Failed to reconnect SSE stream|Maximum reconnection attempts)/.test(
    error.message,
  );
}
