import { isAgentResult } from '../agent/agent-summary.js';
import { runUsage, type UsageTotals } from '../agent/agent-usage.js';
import { isFinalStatus } from '../core/run.js';
import type { Runtime } from '../runtime/runtime.js';
import type { DecodedRun } from './decode-values.js';
import { formatAgentSummary, formatTotals, labelled } from './format-summary.js';

/** What `runs show` leads with, and what its JSON adds: the model usage of the run and its children. */
export interface AgentRunView {
  readonly lines: string[];
  readonly usage: UsageTotals;
}

/**
 * The agent's side of a run: its execution summary when the run completed with an agent's result; else,
 * when it made model calls, their usage so far (or in all, for a run that ended without a summary).
 * No lines for a run that never called a model.
 */
export async function agentRunView(
  runtime: Runtime,
  run: DecodedRun,
  options: { outputWidth?: number } = {},
): Promise<AgentRunView> {
  const usage = await runUsage(runtime, run.runId, { tenant: run.tenantId, tree: true });
  if (run.status === 'completed' && isAgentResult(run.result)) {
    const width = options.outputWidth ?? 200;
    return { usage, lines: formatAgentSummary(run.result, { outputWidth: width, tree: usage }) };
  }
  if (usage.modelCalls === 0) return { usage, lines: [] };
  const label = isFinalStatus(run.status) ? 'Model usage' : 'Usage so far';
  return { usage, lines: labelled([[label, formatTotals(usage)]]) };
}
