import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('./crash-app.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where a crash app keeps its runs (a store address) and the outside world's effects (a SQLite file). */
export interface CrashPaths {
  readonly store: string;
  readonly effects: string;
}

export interface AppExit {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs the crash app as a real child process. With `crashAt`, arms that crash point; with `killAfterMs`,
 * the test itself sends SIGKILL that long after the app says it is ready (if it is still running).
 */
export function runCrashApp(
  paths: CrashPaths,
  runs: number,
  options: { crashAt?: string; killAfterMs?: number; concurrency?: number } = {},
): Promise<AppExit> {
  const env = { ...process.env };
  delete env.CAIRN_CRASH_AT;
  if (options.crashAt !== undefined) env.CAIRN_CRASH_AT = options.crashAt;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', APP, paths.store, paths.effects, String(runs), String(options.concurrency ?? 16)],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    if (options.killAfterMs !== undefined && timer === undefined && chunk.toString().includes('ready')) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid!, code, signal, stderr });
    });
  });
}
