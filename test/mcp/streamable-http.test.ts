import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnection } from '../../src/mcp/mcp-connection.js';
import { isMcpError } from '../../src/mcp/mcp-error.js';
import type { McpProgress } from '../../src/mcp/mcp-tool.js';
import { freePort, type HttpEverything, rejectionOf, startHttpEverything } from './mcp-servers.js';

/** The everything server in its Streamable HTTP mode (`dist/index.js streamableHttp`, PORT=...), on 127.0.0.1. */
describe('an MCP connection over Streamable HTTP', () => {
  let server: HttpEverything;
  let remote: McpConnection;
  beforeAll(async () => {
    server = await startHttpEverything();
    remote = await McpConnection.connect('remote', { url: server.url });
  });
  afterAll(() => remote.close());

  it('lists the tools and calls one', async () => {
    const names = (await remote.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']));
    const sum = await remote.callTool('get-sum', { a: 1, b: 2 }, { timeoutMs: 2_000 });
    expect(sum.content).toEqual([{ type: 'text', text: 'The sum of 1 and 2 is 3.' }]);
  });

  it('keeps a long call alive while progress comes over the response stream', async () => {
    const reports: McpProgress[] = [];
    const result = await remote.callTool(
      'trigger-long-running-operation',
      { duration: 0.9, steps: 3 },
      { timeoutMs: 500, onProgress: (progress) => reports.push(progress) },
    );
    expect(result.content).toEqual([
      { type: 'text', text: 'Long running operation completed. Duration: 0.9 seconds, Steps: 3.' },
    ]);
    expect(reports.length).toBeGreaterThanOrEqual(2);
  });

  // Last of this group: it kills the server.
  it('fails a call at once with mcp_server_exited when the connection is lost mid-call', async () => {
    setTimeout(() => server.process.kill('SIGKILL'), 200);
    const started = Date.now();
    const error = await rejectionOf(
      remote.callTool('trigger-long-running-operation', { duration: 10, steps: 2 }, { timeoutMs: 20_000 }),
    );
    expect(Date.now() - started).toBeLessThan(3_000); // not the 10 s the call would take
    expect(isMcpError(error, 'mcp_server_exited')).toBe(true);
    expect(error.message).toMatch(
      /^MCP server 'remote' lost its HTTP connection \(.+\) while running tool 'trigger-long-running-operation'\.$/,
    );
    expect(error.details).toMatchObject({ server: 'remote', retryable: true });

    // The next call tries to connect again, once, and says the server cannot be reached.
    const next = await rejectionOf(remote.callTool('echo', { message: 'x' }, { timeoutMs: 2_000 }));
    expect(isMcpError(next, 'mcp_server_exited')).toBe(true);
    expect(next.message).toContain('and could not be reached again: Could not reach MCP server');
    expect(next.message).toContain('ECONNREFUSED');
  });
});

describe('connecting over Streamable HTTP', () => {
  it('fails with a retryable mcp_connect_failed when nothing listens at the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const error = await rejectionOf(McpConnection.connect('remote', { url }));
    expect(isMcpError(error, 'mcp_connect_failed')).toBe(true);
    expect(error.message).toMatch(
      /^Could not reach MCP server 'remote' \(http:\/\/127\.0\.0\.1:\d+\/mcp\): fetch failed: connect ECONNREFUSED/,
    );
    expect(error.details).toEqual({ server: 'remote', retryable: true });
  });

  it('sends the configured headers, and fails with the HTTP status when the endpoint is not an MCP server', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const web = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(403, { 'content-type': 'text/plain' }).end('no entry');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}/mcp`;
      const error = await rejectionOf(
        McpConnection.connect('remote', {
          url,
          headers: { authorization: 'Bearer t0ken', 'x-tenant': 'acme' },
        }),
      );
      expect(isMcpError(error, 'mcp_connect_failed')).toBe(true);
      expect(error.message).toBe(
        `The MCP handshake failed with MCP server 'remote' (${url}): Streamable HTTP error: Error POSTing to endpoint: no entry`,
      );
      expect(error.details).toEqual({ server: 'remote', retryable: false });
      expect(seen[0]).toMatchObject({ authorization: 'Bearer t0ken', 'x-tenant': 'acme' });
    } finally {
      web.close();
    }
  });
});
