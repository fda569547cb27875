import type { UsageTotals } from '../agent/agent-usage.js';
import { formatTotals } from './format-summary.js';
import { formatTokens, formatUsd } from './format-usage.js';
import { duration, preview } from './format-value.js';
import type { RunTrace, TraceOperation } from './run-trace.js';

/**
 * A trace as a tree: the run, then one row per operation (label, status, duration, detail) with
 * child runs nested under their `child` row, columns aligned across the whole tree; then the totals.
 * A duration with `~` was measured from when the run last moved on (the start was not journaled);
 * one with `…` is still going on.
 */
export function formatTrace(trace: RunTrace, totals: UsageTotals): string[] {
  const rows: [string, string, string, string][] = [];
  addRows(trace, '', rows);
  const widths = [0, 1, 2].map((column) => Math.max(0, ...rows.map((row) => row[column]!.length)));
  const lines = [`${trace.workflow}  ${trace.runId}  ${trace.status}  ${duration(trace.durationMs)}`];
  for (const [label, status, time, detail] of rows) {
    const cells = [label.padEnd(widths[0]!), status.padEnd(widths[1]!), time.padStart(widths[2]!), detail];
    lines.push(cells.join('  ').trimEnd());
  }
  const children = countChildren(trace);
  const scope = children === 0 ? '' : ` (with ${children} child run${children === 1 ? '' : 's'})`;
  lines.push('', `Totals${scope}: ${totals.modelCalls === 0 ? 'no model calls' : formatTotals(totals)}`);
  return lines;
}

function addRows(trace: RunTrace, prefix: string, rows: [string, string, string, string][]): void {
  trace.operations.forEach((op, index) => {
    const last = index === trace.operations.length - 1;
    rows.push([`${prefix}${last ? '└─ ' : '├─ '}${label(op)}`, op.status, time(op), detail(op)]);
    if (op.child !== undefined) addRows(op.child, `${prefix}${last ? '   ' : '│  '}`, rows);
  });
}

function label(op: TraceOperation): string {
  const name = op.kind === 'child' || op.kind === 'signal' ? `${op.kind} ${op.name}` : op.name;
  return `#${op.position} ${name}`;
}

function time(op: TraceOperation): string {
  return `${op.approximate ? '~' : ''}${duration(op.durationMs)}${op.ended ? '' : '…'}`;
}

function detail(op: TraceOperation): string {
  const attempts = op.attempts > 1 ? `${op.attempts} attempts; ` : '';
  if (op.model === undefined) return `${attempts}${op.detail}`;
  const { usage, costUsd, toolCalls, text } = op.model;
  const answer = toolCalls.length > 0 ? `calls ${toolCalls.join(', ')}` : preview(text, 60);
  return `${attempts}${formatTokens(usage)}, ${formatUsd(costUsd)} → ${answer}`;
}

function countChildren(trace: RunTrace): number {
  return trace.operations.reduce(
    (sum, op) => sum + (op.child === undefined ? 0 : 1 + countChildren(op.child)),
    0,
  );
}
