/**
 * Measures many runs waiting on a signal, in a process of its own so that memory figures are not
 * disturbed by other benchmarks:  node --expose-gc bench/cairn/waiting-runs-app.ts <dir> <runs>
 */
import { join } from 'node:path';
import { createRuntime, defineWorkflow } from '../../dist/index.js';

interface WaitingRunsResult {
  readonly runs: number;
  /** Resident memory added by the waiting runs (after a full GC), in MB. */
  readonly rssGrowthMb: number;
  readonly heapGrowthMb: number;
  /** From the first signal sent to the last run completed. */
  readonly secondsToFinishAfterSignal: number;
}

const parked = defineWorkflow('parked', async (ctx, input: { order: number }) => {
  const note = await ctx.step('prepare', () => `order ${input.order} ready`);
  const answer = await ctx.waitForSignal<{ ok: boolean }>('go');
  return { note, ok: answer.ok };
});

/** Starts `runs` runs that each wait on a signal, measures memory, then signals them all. */
async function measure(options: { dir: string; runs: number }): Promise<WaitingRunsResult> {
  const runtime = await createRuntime({
    store: `sqlite:${join(options.dir, 'waiting.db')}`,
    workflows: [parked],
    worker: { concurrency: 64 },
  });
  try {
    const waitingCount = () =>
      runtime.listRuns({ status: 'waiting', limit: options.runs + 1 }).then((runs) => runs.length);
    // Warm the process up first with runs that come and go (JIT, heap, SQLite's page cache), so that
    // the figure is what waiting runs hold, not what a cold process grows to at its first use.
    for (let i = 0; i < 2_000; i++) {
      const handle = await runtime.start(parked, { order: -1 }, { runId: `warm-up-${i}` });
      await runtime.signal(handle.runId, 'go', { ok: true });
      await handle.result();
    }
    const before = memory();
    for (let i = 0; i < options.runs; i++)
      await runtime.start(parked, { order: i }, { runId: `parked-${i}` });
    while ((await waitingCount()) < options.runs) await pause(50);
    const waiting = memory();

    const started = performance.now();
    for (let i = 0; i < options.runs; i++) await runtime.signal(`parked-${i}`, 'go', { ok: true });
    await Promise.all(Array.from({ length: options.runs }, (_, i) => runtime.handle(`parked-${i}`).result()));
    const seconds = (performance.now() - started) / 1_000;
    return {
      runs: options.runs,
      rssGrowthMb: (waiting.rss - before.rss) / 2 ** 20,
      heapGrowthMb: (waiting.heap - before.heap) / 2 ** 20,
      secondsToFinishAfterSignal: seconds,
    };
  } finally {
    await runtime.close();
  }
}

function memory(): { rss: number; heap: number } {
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const [dir, runs] = process.argv.slice(2);
process.stdout.write(`${JSON.stringify(await measure({ dir: dir!, runs: Number(runs) }))}\n`);
