import { CairnError } from './errors.js';

/** A span of time: milliseconds as a number, or a string such as `'250ms'`, `'30s'`, `'5m'`, `'1h'`, `'2d'`. */
export type Duration = number | `${number}${DurationUnit}`;
type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/** Converts a Duration to whole milliseconds, or throws `invalid_duration` saying what is accepted. */
export function toMillis(duration: Duration | string, what = 'duration'): number {
  if (typeof duration === 'number') {
    if (Number.isFinite(duration) && duration >= 0) return Math.round(duration);
  } else {
    const match = PATTERN.exec(duration.trim());
    if (match) return Math.round(Number(match[1]) * UNIT_MS[match[2] as DurationUnit]);
  }
  throw new CairnError(
    'invalid_duration',
    `Invalid ${what} ${JSON.stringify(duration)}: use milliseconds (a number >= 0) or a string like '250ms', '30s', '5m', '1h' or '2d'.`,
  );
}
