import type { AgentResult } from '../agent/agent-summary.js';
import type { UsageTotals } from '../agent/agent-usage.js';
import { formatCount, formatTokenDetail, formatToolCounts, formatUsd } from './format-usage.js';
import { duration, truncate } from './format-value.js';

/** Labelled lines, the labels padded to one width. */
export function labelled(fields: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}

/**
 * What an agent run did, as `runs show`, `cairn run` and the demo print it. `tree` is the usage of the
 * run with its child runs: the agent's own summary counts only its own model calls, so sub-agents'
 * calls are shown on a line of their own when there are any. Without `outputWidth`, no output line.
 */
export function formatAgentSummary(
  result: AgentResult,
  options: { outputWidth?: number; tree?: UsageTotals } = {},
): string[] {
  const { summary } = result;
  const fields: [string, string][] = [];
  if (options.outputWidth !== undefined)
    fields.push(['Output', truncate(result.output, options.outputWidth)]);
  fields.push(
    ['Steps', `${summary.steps} model call${summary.steps === 1 ? '' : 's'}`],
    ['Tool calls', formatToolCounts(summary.toolCalls)],
    ['Tokens', formatTokenDetail(summary.usage)],
    ['Cost', formatUsd(summary.costUsd)],
  );
  const tree = options.tree;
  if (tree !== undefined && (tree.usage.input > summary.usage.input || tree.costUsd > summary.costUsd)) {
    fields.push(['With sub-agents', formatTotals(tree)]);
  }
  fields.push(
    ['Duration', duration(summary.durationMs)],
    ['Approvals', String(summary.approvals)],
    ['Stopped by', summary.stoppedBy],
  );
  return labelled(fields);
}

/** `6 model calls, 2,345 in (0 cached) / 456 out (0 reasoning), $0.0006`. */
export function formatTotals(totals: UsageTotals): string {
  const calls = `${formatCount(totals.modelCalls)} model call${totals.modelCalls === 1 ? '' : 's'}`;
  return `${calls}, ${formatTokenDetail(totals.usage)}, ${formatUsd(totals.costUsd)}`;
}
