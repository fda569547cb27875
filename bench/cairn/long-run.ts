import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { createRuntime } from '../../dist/index.js';
import { agentWorkflow, payloadBytes } from './agent-workload.js';

export interface LongRunResult {
  readonly steps: number;
  readonly payloadBytes: number;
  readonly storedBytes: number;
  readonly bytesPerStepAt: Record<number, number>;
  readonly msPerStepAt: Record<number, number>;
}

// Cairn's own better-sqlite3 (the root package's), not the copy the peers install under bench/.
const SqliteDatabase = createRequire(new URL('../../package.json', import.meta.url))(
  'better-sqlite3',
) as typeof Database;

/**
 * Figures at step n are taken over the WINDOW steps ending at n: bytes averaged (one step writes less
 * than a page), time as the median (one GC pause or WAL checkpoint would swamp a 0.2 ms step).
 */
const WINDOW = 20;

/**
 * One run of `steps` steps. Stored bytes are the database's logical size (page_count x page_size, as a
 * second connection sees it, WAL included); step time runs from one step's start to the next. Both are
 * averaged over the WINDOW steps ending at each sampled step, with the sampling time itself taken out.
 */
export async function cairnLongRun(options: {
  dir: string;
  steps: number;
  sampleAt: readonly number[];
  /** Make every tool output different, so that no payload is deduplicated. */
  uniqueOutputs: boolean;
}): Promise<LongRunResult> {
  const path = join(options.dir, 'long-run.db');
  const starts: number[] = [];
  const sizes = new Map<number, number>();
  const windowStart = (step: number) => Math.max(1, step - WINDOW + 1);
  const wanted = new Set(options.sampleAt.flatMap((step) => [windowStart(step), step + 1]));
  let sampler: Database.Database | undefined;
  const databaseBytes = (): number => {
    sampler ??= new SqliteDatabase(path, { readonly: true });
    const pages = sampler.pragma('page_count', { simple: true }) as number;
    const pageSize = sampler.pragma('page_size', { simple: true }) as number;
    return pages * pageSize;
  };
  let excluded = 0;
  let measuring = false;
  let baseline = 0;
  const workflow = agentWorkflow({
    uniqueOutputs: options.uniqueOutputs,
    probe: (step) => {
      if (!measuring) return;
      const now = performance.now();
      starts[step] = now - excluded;
      if (wanted.has(step)) {
        sizes.set(step, databaseBytes());
        excluded += performance.now() - now;
      }
    },
  });
  const runtime = await createRuntime({ store: `sqlite:${path}`, workflows: [workflow] });
  try {
    // A short run first, so that the first measured steps do not pay for JIT warm-up.
    await (await runtime.start(workflow, { steps: 30 })).result();
    baseline = databaseBytes();
    measuring = true;
    await (await runtime.start(workflow, { steps: options.steps })).result();
    starts[options.steps + 1] = performance.now() - excluded;
    sizes.set(options.steps + 1, databaseBytes());
  } finally {
    await runtime.close();
  }
  const bytesPerStepAt: Record<number, number> = {};
  const msPerStepAt: Record<number, number> = {};
  for (const step of options.sampleAt) {
    const first = windowStart(step);
    const count = step + 1 - first;
    bytesPerStepAt[step] = (sizes.get(step + 1)! - sizes.get(first)!) / count;
    const durations = Array.from({ length: count }, (_, k) => starts[first + k + 1]! - starts[first + k]!);
    msPerStepAt[step] = median(durations);
  }
  const storedBytes = databaseBytes() - baseline;
  sampler?.close();
  return {
    steps: options.steps,
    payloadBytes: payloadBytes(options.steps, options.uniqueOutputs),
    storedBytes,
    bytesPerStepAt,
    msPerStepAt,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
