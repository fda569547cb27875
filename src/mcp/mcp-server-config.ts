import { CairnError } from '../core/errors.js';

/**
 * An MCP server Cairn spawns and talks to over its stdin and stdout. `command` runs with `args` as
 * given (no shell), in `cwd` (the current directory when absent), with `env` on top of a small safe
 * environment (HOME, LOGNAME, PATH, SHELL, TERM, USER): the rest of Cairn's environment, API keys
 * included, is not passed on unless named in `env`.
 */
export interface McpStdioServerConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** An MCP server reached over Streamable HTTP at `url`, with `headers` (e.g. `Authorization`) on every request. */
export interface McpHttpServerConfig {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How to reach one MCP server: a process to spawn (stdio) or an endpoint (Streamable HTTP). */
export type McpServerConfig = McpStdioServerConfig | McpHttpServerConfig;

/** True when `config` names a process to spawn. */
export function isStdioConfig(config: McpServerConfig): config is McpStdioServerConfig {
  return 'command' in config;
}

const STDIO_KEYS = ['command', 'args', 'env', 'cwd'];
const HTTP_KEYS = ['url', 'headers'];
const SERVER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Checks a server's name and config, and returns the config typed; throws `invalid_argument` naming
 * the server and what to fix. Configs come from users' files, hence `unknown`.
 */
export function validateMcpServerConfig(serverName: string, config: unknown): McpServerConfig {
  if (typeof serverName !== 'string' || !SERVER_NAME.test(serverName)) {
    throw invalid(
      `MCP server name ${JSON.stringify(serverName)} is not valid: use 1 to 64 letters, digits, '_', '-' or '.'.`,
    );
  }
  const problem = configProblem(config);
  if (problem !== undefined) throw invalid(`MCP server '${serverName}': ${problem}`, serverName);
  return config as McpServerConfig;
}

/** A short description of where the server is, for messages: its command line or its URL. */
export function describeMcpServer(config: McpServerConfig): string {
  return isStdioConfig(config) ? [config.command, ...(config.args ?? [])].join(' ') : config.url;
}

function configProblem(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return "the config must be an object with 'command' (a server to spawn) or 'url' (a Streamable HTTP server).";
  }
  const record = config as Record<string, unknown>;
  if ('command' in record && 'url' in record) {
    return "give either 'command' (a server to spawn) or 'url' (a Streamable HTTP server), not both.";
  }
  if ('command' in record) return unknownKey(record, STDIO_KEYS) ?? stdioProblem(record);
  if ('url' in record) return unknownKey(record, HTTP_KEYS) ?? httpProblem(record);
  return "the config needs 'command' (a server to spawn, e.g. { command: 'npx', args: ['-y', '<package>'] }) or 'url' (e.g. { url: 'http://127.0.0.1:3001/mcp' }).";
}

function stdioProblem(record: Record<string, unknown>): string | undefined {
  if (typeof record.command !== 'string' || record.command.trim() === '') {
    return "'command' must be a non-empty string: the program to run, e.g. 'npx' or '/usr/local/bin/my-server'.";
  }
  if (record.args !== undefined && !isStringArray(record.args)) {
    return "'args' must be an array of strings, e.g. ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'].";
  }
  if (record.env !== undefined && !isStringRecord(record.env)) {
    return "'env' must be an object of string values, e.g. { API_TOKEN: '...' }.";
  }
  if (record.cwd !== undefined && (typeof record.cwd !== 'string' || record.cwd === '')) {
    return "'cwd' must be a non-empty string: the directory to start the server in.";
  }
  return undefined;
}

function httpProblem(record: Record<string, unknown>): string | undefined {
  const url = record.url;
  if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return `'url' must be an http:// or https:// URL of the server's MCP endpoint (e.g. 'http://127.0.0.1:3001/mcp'), not ${JSON.stringify(url)}.`;
  }
  if (record.headers !== undefined && !isStringRecord(record.headers)) {
    return "'headers' must be an object of string values, e.g. { Authorization: 'Bearer ...' }.";
  }
  return undefined;
}

function unknownKey(record: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(record).find((key) => !allowed.includes(key));
  if (extra === undefined) return undefined;
  return `unknown key '${extra}' in the config; a ${allowed[0] === 'url' ? 'Streamable HTTP' : 'stdio'} server takes ${allowed.map((key) => `'${key}'`).join(', ')}.`;
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isStringRecord(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}

function invalid(message: string, server?: string): CairnError {
  return new CairnError('invalid_argument', message, { details: server === undefined ? {} : { server } });
}
