import { join } from 'node:path';
import { createRuntime, type Runtime } from '../../dist/index.js';
import { agentWorkflow } from './agent-workload.js';

export interface TenStepResult {
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
}

/** Sequential 10-step runs, each started and awaited before the next, on a fresh SQLite file. */
export async function cairnTenStepRuns(options: {
  dir: string;
  runs: number;
  synchronous: 'normal' | 'full';
  effects?: 'declared' | 'deferred' | 'defaults';
}): Promise<TenStepResult> {
  const workflow = agentWorkflow({ effects: options.effects });
  const runtime = await createRuntime({
    store: `sqlite:${join(options.dir, `ten-step-${options.synchronous}-${options.effects ?? 'declared'}.db`)}?synchronous=${options.synchronous}`,
    workflows: [workflow],
  });
  try {
    return await sequentialTenStepRuns(runtime, workflow, options.runs);
  } finally {
    await runtime.close();
  }
}

/** `runs` 10-step runs of `workflow`, each started and awaited before the next, after a warm-up. */
export async function sequentialTenStepRuns(
  runtime: Runtime,
  workflow: ReturnType<typeof agentWorkflow>,
  runs: number,
): Promise<TenStepResult> {
  // Warm up code paths and prepared statements.
  for (let i = 0; i < 20; i++) await (await runtime.start(workflow, { steps: 10 })).result();
  const started = performance.now();
  for (let i = 0; i < runs; i++) await (await runtime.start(workflow, { steps: 10 })).result();
  const seconds = (performance.now() - started) / 1_000;
  const steps = runs * 10;
  return { runs, steps, seconds, stepsPerSecond: steps / seconds };
}
