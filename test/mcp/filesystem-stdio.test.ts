import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnection } from '../../src/mcp/mcp-connection.js';
import { isMcpError } from '../../src/mcp/mcp-error.js';
import { tempDir } from '../support/temp-dir.js';
import { filesystemServer, rejectionOf } from './mcp-servers.js';

/** The reference filesystem server over stdio, allowed one temp folder with one file. */
describe('an MCP connection to the filesystem server over stdio', () => {
  const dir = tempDir('cairn-mcp-fs-');
  const notes = join(dir, 'notes.txt');
  let files: McpConnection;
  beforeAll(async () => {
    writeFileSync(notes, 'snow in Oslo\n');
    files = await McpConnection.connect('files', filesystemServer(dir));
  });
  afterAll(() => files.close());

  it('lists its tools with their schemas and read-only or destructive hints', async () => {
    const tools = await files.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['read_text_file', 'write_file', 'list_directory', 'list_allowed_directories']),
    );
    expect(byName.get('read_text_file')).toMatchObject({
      inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      annotations: { readOnlyHint: true },
    });
    expect(byName.get('write_file')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
  });

  it('reads the file', async () => {
    const result = await files.callTool('read_text_file', { path: notes }, { timeoutMs: 5_000 });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'snow in Oslo\n' }]);
  });

  it('gets a path outside the allowed folder back as an isError result', async () => {
    const result = await files.callTool('read_text_file', { path: '/etc/hostname' }, { timeoutMs: 5_000 });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain(
      'Access denied - path outside allowed directories',
    );
  });

  it('fails to connect with mcp_connect_failed, the exit code and the stderr, when the server exits at start', async () => {
    const error = await rejectionOf(McpConnection.connect('files', filesystemServer(join(dir, 'missing'))));
    expect(isMcpError(error, 'mcp_connect_failed')).toBe(true);
    expect(error.message).toMatch(
      /^MCP server 'files' \(.+ \/.+missing\) exited with code 1 during the MCP handshake\./,
    );
    expect(error.message).toContain('Error: None of the specified directories are accessible');
    expect(error.details).toMatchObject({ server: 'files', exitCode: 1, signal: null, retryable: false });
  });

  it('fails to connect with mcp_connect_failed when the command does not exist', async () => {
    const error = await rejectionOf(McpConnection.connect('files', { command: 'cairn-no-such-mcp-server' }));
    expect(isMcpError(error, 'mcp_connect_failed')).toBe(true);
    expect(error.message).toBe(
      "Could not start MCP server 'files' (cairn-no-such-mcp-server): spawn cairn-no-such-mcp-server ENOENT. " +
        "Check that its 'command' exists and is executable (a bare name is looked up on the PATH).",
    );
  });
});
