import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('./waiting-runs-app.ts', import.meta.url));

export interface WaitingRunsResult {
  readonly runs: number;
  /** Resident memory added by the waiting runs (after a full GC), in MB. */
  readonly rssGrowthMb: number;
  readonly heapGrowthMb: number;
  /** From the first signal sent to the last run completed. */
  readonly secondsToFinishAfterSignal: number;
}

/** Runs the waiting-runs measurement in a fresh process (see waiting-runs-app.ts). */
export function cairnWaitingRuns(options: { dir: string; runs: number }): WaitingRunsResult {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', APP, options.dir, String(options.runs)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) throw new Error(`waiting-runs measurement failed (exit ${child.status})`);
  return JSON.parse(child.stdout) as WaitingRunsResult;
}
