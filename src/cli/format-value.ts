/** Small text helpers for showing values, times and durations in a terminal. */

/** A value as one line of JSON, cut to `max` characters with an ellipsis. */
export function preview(value: unknown, max = 80): string {
  return truncate(toOneLine(value), max);
}

/** Cuts text to `max` characters (an ellipsis included) and folds it onto one line. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

function toOneLine(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** An epoch-millisecond time as ISO 8601 (UTC), or `-` when there is none. */
export function isoTime(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString();
}

/** A duration as a short offset: `+12ms`, `+1.5s`, `+3m04s`, `+2h05m`. */
export function offset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${abs}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1_000).toFixed(abs < 10_000 ? 2 : 1)}s`;
  const seconds = Math.floor(abs / 1_000);
  if (seconds < 3_600) return `${sign}${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 24 * 60) return `${sign}${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
  return `${sign}${Math.floor(minutes / 1_440)}d${pad2(Math.floor((minutes % 1_440) / 60))}h`;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}

/** A duration without a sign: `12ms`, `1.50s`, `3m04s`. */
export function duration(ms: number): string {
  return offset(Math.max(0, ms)).slice(1);
}
