import { isAgentResult } from '../agent/agent-summary.js';
import { runUsage } from '../agent/agent-usage.js';
import type { RunRecord } from '../core/run.js';
import type { Runtime } from '../runtime/runtime.js';
import { CliExit } from './cli-exit.js';
import type { CliIo } from './cli-io.js';
import { decodeRun } from './decode-values.js';
import { formatAgentSummary } from './format-summary.js';

/**
 * Prints how a followed run ended: an agent's output in full, then its summary; another workflow's
 * result as JSON. A run that did not complete ends the command with exit code 1 and a line saying why.
 */
export async function printOutcome(runtime: Runtime, record: RunRecord, io: CliIo): Promise<void> {
  const run = await decodeRun(runtime, record);
  if (run.status === 'completed' && isAgentResult(run.result)) {
    const tree = await runUsage(runtime, run.runId, { tenant: run.tenantId, tree: true });
    io.out();
    io.out('Output:');
    for (const line of run.result.output.split('\n')) io.out(`  ${line}`);
    io.out();
    for (const line of formatAgentSummary(run.result, { tree })) io.out(line);
    return;
  }
  if (run.status === 'completed') {
    io.out();
    io.out(`Result: ${JSON.stringify(run.result, null, 2) ?? 'undefined'}`);
    return;
  }
  throw notCompleted(record);
}

/** The run as `cairn run --json` prints it: its outcome, values decoded, and what its model calls used. */
export async function outcomeJson(runtime: Runtime, record: RunRecord): Promise<Record<string, unknown>> {
  const run = await decodeRun(runtime, record);
  const usage = await runUsage(runtime, run.runId, { tenant: run.tenantId, tree: true });
  return {
    runId: run.runId,
    workflow: run.workflow,
    status: run.status,
    result: run.result,
    error: run.error,
    attention: run.attention,
    usage,
  };
}

/** Exit code 1, with a line saying how a run that did not complete ended (its details were printed). */
export function notCompleted(run: RunRecord): CliExit {
  const see = `see: cairn runs show ${run.runId}`;
  if (run.status === 'failed') {
    const reason = (run.error?.message ?? 'no error recorded').replace(/\.$/, '');
    return new CliExit(1, `Run ${run.runId} failed: ${reason}; ${see}`);
  }
  if (run.status === 'cancelled') return new CliExit(1, `Run ${run.runId} was cancelled; ${see}`);
  return new CliExit(1, `Run ${run.runId} is ${run.status.replace('_', ' ')}; ${see}`);
}
