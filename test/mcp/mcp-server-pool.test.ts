import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isMcpError } from '../../src/mcp/mcp-error.js';
import { McpServerPool } from '../../src/mcp/mcp-server-pool.js';
import { tempDir } from '../support/temp-dir.js';
import { everythingServer, filesystemServer, isAlive, rejectionOf } from './mcp-servers.js';

describe('the MCP server pool', () => {
  const pool = new McpServerPool();
  afterEach(() => pool.closeAll());

  it('gives concurrent callers one shared connection (one server process)', async () => {
    const [a, b] = await Promise.all([
      pool.get('everything', everythingServer()),
      pool.get('everything', everythingServer()),
    ]);
    expect(a).toBe(b);
    expect(pool.size).toBe(1);
    // Config keys in another order are the same config.
    const { command, args } = everythingServer();
    expect(await pool.get('everything', { args, command })).toBe(a);
    const echo = await b.callTool('echo', { message: 'shared' }, { timeoutMs: 2_000 });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: shared' }]);
  });

  it('keeps one connection per server name and config', async () => {
    const [plain, other, withEnv] = await Promise.all([
      pool.get('everything', everythingServer()),
      pool.get('everything-2', everythingServer()),
      pool.get('everything', everythingServer({ env: { CAIRN_PROBE: 'yes' } })),
    ]);
    expect(new Set([plain, other, withEnv]).size).toBe(3);
    expect(new Set([plain.pid, other.pid, withEnv.pid]).size).toBe(3);
  });

  it('does not keep a failed connection attempt: the next get tries again', async () => {
    const dir = join(tempDir('cairn-mcp-pool-'), 'later');
    const first = await rejectionOf(pool.get('files', filesystemServer(dir)));
    expect(isMcpError(first, 'mcp_connect_failed')).toBe(true);
    expect(pool.size).toBe(0);
    mkdirSync(dir);
    const files = await pool.get('files', filesystemServer(dir));
    expect((await files.listTools()).length).toBeGreaterThan(0);
  });

  it('replaces a pooled connection that someone closed', async () => {
    const first = await pool.get('everything', everythingServer());
    await first.close();
    const second = await pool.get('everything', everythingServer());
    expect(second).not.toBe(first);
    expect(second.isClosed).toBe(false);
  });

  it('closes the connection to one server, leaving the others', async () => {
    const [kept, closed] = await Promise.all([
      pool.get('everything', everythingServer()),
      pool.get('files', filesystemServer(tempDir('cairn-mcp-pool-'))),
    ]);
    const pid = closed.pid!;
    await pool.close('files', closed.config);
    expect(isAlive(pid)).toBe(false);
    expect(closed.isClosed).toBe(true);
    expect(kept.isClosed).toBe(false);
    expect(pool.size).toBe(1);
  });

  it('ends every server process on closeAll, leaving no orphans', async () => {
    const connections = await Promise.all([
      pool.get('everything', everythingServer()),
      pool.get('files', filesystemServer(tempDir('cairn-mcp-pool-'))),
    ]);
    const pids = connections.map((connection) => connection.pid!);
    expect(pids.every(isAlive)).toBe(true);
    await pool.closeAll();
    expect(pids.map(isAlive)).toEqual([false, false]);
    expect(pool.size).toBe(0);
    const error = await rejectionOf(connections[0]!.callTool('echo', { message: 'x' }, { timeoutMs: 1_000 }));
    expect(error).toMatchObject({ code: 'runtime_closed' });
  });
});
