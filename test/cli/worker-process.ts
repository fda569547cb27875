import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How a worker process ended, with everything it printed. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** When it ended (epoch ms). */
  readonly at: number;
}

/** A `cairn worker` process that printed its start line. */
export interface WorkerProcess {
  readonly pid: number;
  readonly startLine: string;
  /** The port of its health server, when the start line names one. */
  readonly port: number | undefined;
  readonly exited: Promise<WorkerExit>;
  kill(signal: NodeJS.Signals): void;
  /** GETs a path of its health server. */
  get(path: string): Promise<{ status: number; type: string | null; body: string }>;
}

const started = new Set<ChildProcess>();
// A test that fails half-way must not leave workers claiming runs behind it.
afterAll(() => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** The CLI from source, through tsx, as `test/cli/spawn-cli.ts` runs it. */
export const FROM_SOURCE = ['--import', 'tsx', 'src/cli/main.ts'] as const;

/**
 * Starts `node <nodeArgs>` from the repo root (a `cairn worker ...` command line) and resolves once it
 * prints its start line; rejects with what it printed if it exits first or takes over `timeoutMs`.
 */
export function startWorkerProcess(
  nodeArgs: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 15_000,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [...nodeArgs], {
    cwd: REPO_ROOT,
    env: { ...process.env, CAIRN_STORE: undefined, CAIRN_DEBUG: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<WorkerExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, at: Date.now() }));
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start line within ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, timeoutMs);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${exit.code}) before starting; stderr: ${exit.stderr}`));
    }, reject);
    child.stdout.on('data', () => {
      const startLine = stdout.split('\n').find((line) => / started: /.test(line));
      if (startLine === undefined) return;
      clearTimeout(timer);
      const port = /health on port (\d+)/.exec(startLine)?.[1];
      resolve({
        pid: child.pid ?? 0,
        startLine,
        port: port === undefined ? undefined : Number(port),
        exited,
        kill: (signal) => child.kill(signal),
        get: async (path) => {
          const response = await fetch(`http://127.0.0.1:${port}${path}`);
          return {
            status: response.status,
            type: response.headers.get('content-type'),
            body: await response.text(),
          };
        },
      });
    });
  });
}

/** The value of a sample in a Prometheus text exposition, or undefined when it is not there. */
export function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}
