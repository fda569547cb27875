import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { McpStdioServerConfig } from '../../src/mcp/mcp-server-config.js';

const require = createRequire(import.meta.url);

/** The reference "everything" server's entry point (the dev dependency's dist/index.js). */
export const EVERYTHING_ENTRY = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const FILESYSTEM_ENTRY = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

/** The "everything" reference server over stdio. */
export function everythingServer(extra: Partial<McpStdioServerConfig> = {}): McpStdioServerConfig {
  return { command: process.execPath, args: [EVERYTHING_ENTRY], ...extra };
}

/** The reference filesystem server, allowed to work in `directories`. */
export function filesystemServer(...directories: string[]): McpStdioServerConfig {
  return { command: process.execPath, args: [FILESYSTEM_ENTRY, ...directories] };
}

/** One of this folder's fixture servers (`fixtures/<name>.ts`), run through tsx from the repo root. */
export function fixtureServer(name: string, ...args: string[]): McpStdioServerConfig {
  const path = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  return { command: process.execPath, args: ['--import', 'tsx', path, ...args] };
}

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The "everything" server in its Streamable HTTP mode, listening on a free port; killed when the file ends. */
export interface HttpEverything {
  readonly url: string;
  readonly process: ChildProcess;
}

const httpServers = new Set<ChildProcess>();
afterAll(() => {
  for (const child of httpServers)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts `node dist/index.js streamableHttp` with PORT set, and resolves once it says it listens. */
export async function startHttpEverything(): Promise<HttpEverything> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING_ENTRY, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  httpServers.add(child);
  await new Promise<void>((resolve, reject) => {
    let said = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      said += chunk;
      if (said.includes(`listening on port ${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the HTTP server exited with ${code}: ${said}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, process: child };
}
