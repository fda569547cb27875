import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConnection } from '../../src/mcp/mcp-connection.js';
import { isMcpError } from '../../src/mcp/mcp-error.js';
import type { McpToolInfo } from '../../src/mcp/mcp-tool.js';
import { tempDir } from '../support/temp-dir.js';
import { fixtureServer, rejectionOf } from './mcp-servers.js';

/** Behaviours the reference servers do not show, with small real servers from ./fixtures. */
describe('MCP connections to fixture servers', () => {
  const opened: McpConnection[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((connection) => connection.close()));
  });
  async function connect(name: string, ...args: string[]): Promise<McpConnection> {
    const connection = await McpConnection.connect(name, fixtureServer(name, ...args));
    opened.push(connection);
    return connection;
  }

  it('fails a call the server never answers with mcp_timeout after timeoutMs, and the connection stays usable', async () => {
    const hanging = await connect('hanging-server');
    const started = Date.now();
    const error = await rejectionOf(hanging.callTool('never-answers', {}, { timeoutMs: 300 }));
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(3_000);
    expect(isMcpError(error, 'mcp_timeout')).toBe(true);
    expect(error.message).toBe(
      "MCP server 'hanging-server' did not answer tool 'never-answers' within 300 ms (each progress report it sends restarts this clock).",
    );
    expect(error.details).toMatchObject({ tool: 'never-answers', timeoutMs: 300, retryable: true });
    expect((await hanging.callTool('ping', {}, { timeoutMs: 2_000 })).content).toEqual([
      { type: 'text', text: 'pong' },
    ]);
  });

  it('calls onToolsChanged with the new list when the server announces a change', async () => {
    const changing = await connect('changing-tools-server');
    expect((await changing.listTools()).map((tool) => tool.name)).toEqual(['add-tool']);
    const changed = new Promise<readonly McpToolInfo[]>((resolve) => changing.onToolsChanged(resolve));
    await changing.callTool('add-tool', { name: 'weather' }, { timeoutMs: 2_000 });
    const tools = await changed;
    expect(tools.map((tool) => tool.name)).toEqual(['add-tool', 'weather']);
    expect(tools[1]).toMatchObject({
      description: 'Added at run time: weather',
      inputSchema: { type: 'object' },
    });
    const result = await changing.callTool('weather', {}, { timeoutMs: 2_000 });
    expect(result.content).toEqual([{ type: 'text', text: 'I am weather' }]);
  });

  it('stops calling a listener once it unsubscribed', async () => {
    const changing = await connect('changing-tools-server');
    const heard: string[][] = [];
    const unsubscribe = changing.onToolsChanged((tools) => heard.push(tools.map((tool) => tool.name)));
    const second = new Promise<void>((resolve) => changing.onToolsChanged(() => resolve()));
    unsubscribe();
    await changing.callTool('add-tool', { name: 'extra' }, { timeoutMs: 2_000 });
    await second;
    expect(heard).toEqual([]);
  });

  it('lists every page of a paginated tool list', async () => {
    const paged = await connect('paged-tools-server');
    const tools = await paged.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('raises mcp_call_failed, not retryable, with the server message when the server answers with a protocol error', async () => {
    const paged = await connect('paged-tools-server');
    const error = await rejectionOf(paged.callTool('six', {}, { timeoutMs: 2_000 }));
    expect(isMcpError(error, 'mcp_call_failed')).toBe(true);
    expect(error.message).toBe("MCP server 'paged-tools-server' refused tool 'six': Unknown tool: six");
    expect(error.details).toEqual({
      server: 'paged-tools-server',
      tool: 'six',
      retryable: false,
      rpcCode: -32602,
    });
  });

  it('restarts a dead server once per call, and fails with mcp_server_exited when it keeps dying', async () => {
    const marker = join(tempDir('cairn-mcp-fragile-'), 'crashed');
    const fragile = await connect('fragile-server', marker);

    const crash = await rejectionOf(fragile.callTool('crash', {}, { timeoutMs: 5_000 }));
    expect(isMcpError(crash, 'mcp_server_exited')).toBe(true);
    expect(crash.message).toBe(
      "MCP server 'fragile-server' exited with code 3 while running tool 'crash'. The last lines of its stderr:\n" +
        '  fragile: crashing on purpose',
    );
    expect(crash.details).toMatchObject({ exitCode: 3, signal: null, retryable: true });

    // The server now exits with code 4 at start: the next call's one restart fails, and says why.
    const next = await rejectionOf(fragile.callTool('crash', {}, { timeoutMs: 5_000 }));
    expect(isMcpError(next, 'mcp_server_exited')).toBe(true);
    expect(next.message).toMatch(
      /^MCP server 'fragile-server' exited with code 3 and could not be started again: MCP server 'fragile-server' \(.+\) exited with code 4 during the MCP handshake\. The last lines of its stderr:\n {2}fragile: refusing to start, a previous run crashed$/,
    );
    expect(next.details).toMatchObject({ server: 'fragile-server', exitCode: 4, retryable: true });

    // Each later call tries once more (the server may have been fixed meanwhile), and fails the same way.
    const again = await rejectionOf(fragile.listTools());
    expect(isMcpError(again, 'mcp_server_exited')).toBe(true);
    expect(again.details).toMatchObject({ exitCode: 4 });
  });
});
