import { type ChildProcess, spawn } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { McpStdioServerConfig } from './mcp-server-config.js';
import { OutputTail } from './output-tail.js';

/** How a server process ended: its exit code or signal, and the last lines of its stderr. */
export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
}

/** How long close() waits at each step (stdin closed, SIGTERM) before the next, harder one. */
const CLOSE_GRACE_MS = 2_000;
/** On POSIX the server leads its own process group, so closing it also ends what it spawned (npx's child). */
const OWN_GROUP = process.platform !== 'win32';

/**
 * An MCP transport over a spawned server's stdin and stdout. Unlike the SDK's stdio transport it
 * keeps what error messages need: the process's exit code or signal, and the tail of its stderr
 * (captured, never passed to Cairn's own stderr). `onclose` fires once the process has ended, with
 * `exit` already set.
 */
export class SpawnedServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private ended: Promise<void> | undefined;
  private exitState: ServerExit | undefined;
  private readonly buffer = new ReadBuffer();
  private readonly stderr = new OutputTail();

  constructor(private readonly config: McpStdioServerConfig) {}

  /** The server process's id, once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the process ended; undefined while it runs. */
  get exit(): ServerExit | undefined {
    return this.exitState;
  }

  /** The last lines the server wrote to stderr so far. */
  stderrTail(): string {
    return this.stderr.lines();
  }

  /** Spawns the process; rejects when it cannot be started (e.g. the command does not exist). */
  start(): Promise<void> {
    const { command, args = [], env = {}, cwd } = this.config;
    const child = spawn(command, [...args], {
      cwd,
      env: { ...getDefaultEnvironment(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: OWN_GROUP,
      windowsHide: true,
    });
    this.child = child;
    this.ended = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exitState = { code, signal, stderrTail: this.stderr.lines() };
        resolve();
        this.onclose?.();
      });
    });
    child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stdout?.on('error', (error) => this.onerror?.(error));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.write(chunk));
    // Writing to a process that just died fails with EPIPE; the 'close' above reports the death.
    child.stdin?.on('error', (error) => this.onerror?.(error));
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      // `on`, not `once`: a second 'error' without a listener would crash Cairn's process.
      child.on('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (stdin == null || this.exitState !== undefined || !stdin.writable) {
      // A process that is going away: wait for its end, so that the request fails as the client's
      // reaction to the exit (which knows the exit code), not as an anonymous write error.
      await this.ended;
      throw new Error('The MCP server process is not running.');
    }
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /**
   * Ends the process the way MCP asks: close its stdin and let it exit; SIGTERM after a grace
   * period, SIGKILL after another. Resolves once it has ended.
   */
  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || this.ended === undefined || this.exitState !== undefined) return;
    child.stdin?.end();
    if (await settlesWithin(this.ended, CLOSE_GRACE_MS)) return;
    this.kill(child, 'SIGTERM');
    if (await settlesWithin(this.ended, CLOSE_GRACE_MS)) return;
    this.kill(child, 'SIGKILL');
    await this.ended;
  }

  private receive(chunk: Buffer): void {
    try {
      this.buffer.append(chunk);
    } catch (error) {
      this.onerror?.(asError(error)); // a message over the buffer's 10 MB limit
      return;
    }
    for (;;) {
      try {
        const message = this.buffer.readMessage();
        if (message === null) return;
        this.onmessage?.(message);
      } catch (error) {
        // A line that is not JSON-RPC (a server printing to stdout by mistake): skip it.
        this.onerror?.(asError(error));
      }
    }
  }

  private kill(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      // The process is still running here, so its group id is still its own pid.
      if (OWN_GROUP && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      child.kill(signal); // the group is gone (ESRCH): signal the process itself
    }
  }
}

/** "exited with code 1", "was killed by SIGKILL": how a process ended, for messages. */
export function describeExit(exit: ServerExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
