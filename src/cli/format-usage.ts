import type { TokenUsage } from '../models/token-usage.js';

/** Text helpers for what model calls used: token counts, costs, tool-call tallies. */

/** A whole number with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * A cost in US dollars. Model calls often cost a fraction of a cent, so small amounts keep enough
 * digits to stay non-zero: `$0.000086`, `$0.0123`, `$4.20`.
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.0001) return `$${usd.toFixed(6)}`;
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** `412 in / 38 out tokens`: what a progress line or a trace row has room for. */
export function formatTokens(usage: TokenUsage): string {
  return `${formatCount(usage.input)} in / ${formatCount(usage.output)} out tokens`;
}

/** `1,234 in (200 cached) / 321 out (0 reasoning)`: all four numbers, for summaries. */
export function formatTokenDetail(usage: TokenUsage): string {
  return (
    `${formatCount(usage.input)} in (${formatCount(usage.cachedInput)} cached) / ` +
    `${formatCount(usage.output)} out (${formatCount(usage.reasoning)} reasoning)`
  );
}

/** `4 (search_flights 1, search_hotels 1, book_trip 2)`, or `none`. */
export function formatToolCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  if (entries.length === 0) return 'none';
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  return `${total} (${entries.map(([name, count]) => `${name} ${count}`).join(', ')})`;
}
