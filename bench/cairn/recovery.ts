import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('./recovery-app.ts', import.meta.url));

export interface RecoveryResult {
  readonly runs: number;
  /** Runs started but not finished when the process was killed. */
  readonly inFlight: number;
  /** From the restarted process's launch to its last run completed (includes starting Node). */
  readonly secondsToLastCompletion: number;
}

/** Kills a process with `runs` runs in flight, restarts it, and times until every run has completed. */
export async function cairnRecovery(options: { dir: string; runs: number }): Promise<RecoveryResult> {
  const path = join(options.dir, 'recovery.db');
  const first = spawn(process.execPath, ['--import', 'tsx', APP, path, String(options.runs), 'start'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const inFlight = await new Promise<number>((resolve, reject) => {
    first.stdout.on('data', (chunk: Buffer) => {
      const match = /in-flight (\d+)/.exec(chunk.toString());
      if (match !== null) {
        first.kill('SIGKILL');
        resolve(Number(match[1]));
      }
    });
    first.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`recovery app exited early (${code ?? signal})`));
    });
  });
  await new Promise((resolve) => first.on('exit', resolve));
  const started = performance.now();
  const second = spawn(process.execPath, ['--import', 'tsx', APP, path, String(options.runs), 'resume'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
  if (code !== 0) throw new Error(`recovery app failed after restart (exit ${code})`);
  return { runs: options.runs, inFlight, secondsToLastCompletion: (performance.now() - started) / 1_000 };
}
