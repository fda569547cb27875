import { createRuntime } from '../../dist/index.js';
import { agentWorkflow, type WorkloadOptions } from './agent-workload.js';
import { dropSchema, storeAddress } from './postgres-schema.js';
import { sequentialTenStepRuns, type TenStepResult } from './ten-step-runs.js';

const SCHEMA = 'cairn_bench_sequential';

/**
 * The SQLite bench's sequential 10-step runs (each started and awaited before the next), in one process
 * on a fresh PostgreSQL schema: the figure to set beside DBOS's, which runs the same way.
 */
export async function cairnPostgresTenStepRuns(options: {
  databaseUrl: string;
  runs: number;
  effects?: WorkloadOptions['effects'];
}): Promise<TenStepResult> {
  await dropSchema(options.databaseUrl, SCHEMA);
  const workflow = agentWorkflow({ effects: options.effects });
  const runtime = await createRuntime({
    store: storeAddress(options.databaseUrl, SCHEMA),
    workflows: [workflow],
  });
  try {
    return await sequentialTenStepRuns(runtime, workflow, options.runs);
  } finally {
    await runtime.close();
    await dropSchema(options.databaseUrl, SCHEMA);
  }
}
