/**
 * The process the recovery benchmark kills: starts `runs` runs of a 10-step workflow whose steps each
 * take 50 ms, all at once, and once every run is claimed prints "in-flight <n>" (n runs not finished).
 *
 *   node --import tsx bench/cairn/recovery-app.ts <cairn.db> <runs> start|resume
 */
import { createRuntime, defineWorkflow } from '../../dist/index.js';

const [path, runsText, mode] = process.argv.slice(2);
const runs = Number(runsText);

const busy = defineWorkflow('busy', async (ctx, input: { order: number }) => {
  let total = input.order;
  for (let i = 0; i < 10; i++) {
    total += await ctx.step(`work-${i}`, async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return i;
    });
  }
  return total;
});

const runtime = await createRuntime({
  store: `sqlite:${path}`,
  workflows: [busy],
  worker: { concurrency: runs, pollMs: 50 },
});
if (mode === 'start') {
  for (let i = 0; i < runs; i++) await runtime.start(busy, { order: i }, { runId: `busy-${i}` });
  while ((await runtime.listRuns({ status: 'runnable', limit: 1 })).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const inFlight = await runtime.listRuns({ status: ['running', 'waiting'], limit: runs });
  process.stdout.write(`in-flight ${inFlight.length}\n`);
  await new Promise(() => undefined); // wait to be killed
} else {
  for (;;) {
    const done = await runtime.listRuns({ status: 'completed', limit: runs });
    if (done.length === runs) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await runtime.close();
  process.stdout.write('all-completed\n');
}
