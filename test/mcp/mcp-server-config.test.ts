import { describe, expect, it } from 'vitest';
import { validateMcpServerConfig } from '../../src/mcp/mcp-server-config.js';

function problem(serverName: string, config: unknown): string {
  try {
    validateMcpServerConfig(serverName, config);
  } catch (error) {
    expect(error).toMatchObject({ code: 'invalid_argument' });
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('MCP server configs', () => {
  it('accepts a server to spawn and a Streamable HTTP server', () => {
    const files = {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
      env: { A: 'b' },
      cwd: '/',
    };
    expect(validateMcpServerConfig('files', files)).toBe(files);
    const remote = { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer x' } };
    expect(validateMcpServerConfig('remote', remote)).toBe(remote);
  });

  it('refuses what is neither, naming the server and what to write', () => {
    expect(problem('files', 'npx')).toBe(
      "MCP server 'files': the config must be an object with 'command' (a server to spawn) or 'url' (a Streamable HTTP server).",
    );
    expect(problem('files', {})).toMatch(/^MCP server 'files': the config needs 'command' .+ or 'url' /);
    expect(problem('files', { command: 'x', url: 'http://x' })).toBe(
      "MCP server 'files': give either 'command' (a server to spawn) or 'url' (a Streamable HTTP server), not both.",
    );
  });

  it('refuses bad fields of a stdio server', () => {
    expect(problem('files', { command: '' })).toMatch(
      /^MCP server 'files': 'command' must be a non-empty string/,
    );
    expect(problem('files', { command: 'npx', args: '-y server' })).toMatch(
      /'args' must be an array of strings/,
    );
    expect(problem('files', { command: 'npx', env: { PORT: 3000 } })).toMatch(
      /'env' must be an object of string values/,
    );
    expect(problem('files', { command: 'npx', arg: ['-y'] })).toBe(
      "MCP server 'files': unknown key 'arg' in the config; a stdio server takes 'command', 'args', 'env', 'cwd'.",
    );
  });

  it('refuses bad fields of an HTTP server', () => {
    expect(problem('remote', { url: 'localhost:3001/mcp' })).toBe(
      "MCP server 'remote': 'url' must be an http:// or https:// URL of the server's MCP endpoint (e.g. 'http://127.0.0.1:3001/mcp'), not \"localhost:3001/mcp\".",
    );
    expect(problem('remote', { url: 'ws://127.0.0.1/mcp' })).toMatch(
      /'url' must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(problem('remote', { url: 'http://127.0.0.1/mcp', headers: { 'x-n': 1 } })).toMatch(
      /'headers' must be an object of string values/,
    );
  });

  it('refuses a server name that could not prefix tool names', () => {
    expect(problem('my files', { command: 'npx' })).toBe(
      `MCP server name "my files" is not valid: use 1 to 64 letters, digits, '_', '-' or '.'.`,
    );
  });
});
