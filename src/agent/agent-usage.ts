import { addUsage, type TokenUsage, ZERO_USAGE } from '../models/token-usage.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ModelTurn } from './model-call.js';

/** Tokens and cost of model calls. */
export interface UsageTotals {
  readonly modelCalls: number;
  readonly usage: TokenUsage;
  readonly costUsd: number;
}

const NONE: UsageTotals = { modelCalls: 0, usage: ZERO_USAGE, costUsd: 0 };

/**
 * What a run's model calls used, read from its journal (so it counts a run still in progress too).
 * With `tree`, its child runs' (sub-agents') calls are added in.
 */
export async function runUsage(
  runtime: Runtime,
  runId: string,
  options: { tenant?: string; tree?: boolean } = {},
): Promise<UsageTotals> {
  const { events } = await runtime.inspect(runId, options);
  let totals = NONE;
  for (const { event } of events) {
    if (event.kind !== 'step.completed' || (event.name !== 'model' && event.name !== 'plan')) continue;
    const turn = (await runtime.decode(event.result, options)) as Partial<ModelTurn>;
    if (turn.usage === undefined) continue;
    totals = add(totals, { modelCalls: 1, usage: turn.usage, costUsd: turn.costUsd ?? 0 });
  }
  if (options.tree !== true) return totals;
  for (const child of await runtime.listRuns({ ...options, parentRunId: runId, limit: 10_000 })) {
    totals = add(totals, await runUsage(runtime, child.runId, options));
  }
  return totals;
}

/** What every run of an agent (or workflow) used, newest runs first, at most `limit` runs (default 1,000). */
export async function agentUsage(
  runtime: Runtime,
  agent: string,
  options: { tenant?: string; limit?: number } = {},
): Promise<UsageTotals & { runs: number }> {
  const runs = await runtime.listRuns({
    tenant: options.tenant,
    workflow: agent,
    limit: options.limit ?? 1_000,
  });
  let totals = NONE;
  for (const run of runs)
    totals = add(totals, await runUsage(runtime, run.runId, { tenant: options.tenant }));
  return { ...totals, runs: runs.length };
}

function add(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    modelCalls: a.modelCalls + b.modelCalls,
    usage: addUsage(a.usage, b.usage),
    costUsd: a.costUsd + b.costUsd,
  };
}
