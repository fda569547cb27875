import { type Duration, toMillis } from './duration.js';
import { CairnError, isCairnError } from './errors.js';

/**
 * A rate limit on something a run calls (a tool, an MCP server, a model provider), held in the store so
 * that every worker sharing the store shares it. A run that reaches it waits, durably, for its turn.
 * @example
 * const search: RateLimit = { calls: 5, per: '1s' };              // 5 calls a second, in bursts of 5
 * const model: RateLimit = { calls: 60, tokensPerMinute: 200_000, perTenant: true };
 */
export interface RateLimit {
  /** Calls allowed per `per` (a token bucket of this size, refilled evenly over `per`). */
  readonly calls?: number;
  /** The interval for `calls`. Default '1m'. */
  readonly per?: Duration;
  /** Model tokens (input + output) per minute: debited after each call, waited on before the next. */
  readonly tokensPerMinute?: number;
  /** One bucket per tenant; default one bucket shared by all tenants. */
  readonly perTenant?: boolean;
}

/** The size of a token bucket: what it holds when full, and how fast it fills (evenly). */
export interface BucketSize {
  readonly capacity: number;
  readonly refillPerMs: number;
}

/** The buckets a rate limit sets: one for calls and one for model tokens, each when asked for. */
export interface RateLimitBuckets {
  readonly calls: BucketSize | undefined;
  readonly tokens: BucketSize | undefined;
}

const DEFAULT_PER: Duration = '1m';
const MINUTE_MS = 60_000;
const EXAMPLE = "{ calls: 10, per: '1s' } or { tokensPerMinute: 100000 }";

/** Checks a rate limit, throwing `invalid_argument` that says what is wrong and what to write instead. */
export function assertRateLimit(limit: unknown, what = 'Rate limit'): asserts limit is RateLimit {
  if (typeof limit !== 'object' || limit === null) {
    throw invalid(`${what} must be an object such as ${EXAMPLE}.`);
  }
  const { calls, per, tokensPerMinute, perTenant } = limit as Record<string, unknown>;
  if (calls === undefined && tokensPerMinute === undefined) {
    throw invalid(
      `${what} limits nothing: give calls (with per, default '1m') or tokensPerMinute, as in ${EXAMPLE}.`,
    );
  }
  if (calls !== undefined && !(typeof calls === 'number' && Number.isFinite(calls) && calls >= 1)) {
    throw invalid(
      `${what}: calls must be a number >= 1, got ${show(calls)}. For one call every 2 seconds, write { calls: 1, per: '2s' }.`,
    );
  }
  if (per !== undefined) {
    if (calls === undefined) throw invalid(`${what}: per applies to calls; give calls too.`);
    perMillis(per as Duration, what);
  }
  if (
    tokensPerMinute !== undefined &&
    !(typeof tokensPerMinute === 'number' && Number.isFinite(tokensPerMinute) && tokensPerMinute > 0)
  ) {
    throw invalid(`${what}: tokensPerMinute must be a positive number, got ${show(tokensPerMinute)}.`);
  }
  if (perTenant !== undefined && typeof perTenant !== 'boolean') {
    throw invalid(`${what}: perTenant must be true or false, got ${show(perTenant)}.`);
  }
}

/**
 * The token buckets of a (valid) limit: `calls` per `per`, and `tokensPerMinute` per minute, each
 * holding its whole allowance when full and refilling it evenly over its interval.
 */
export function rateLimitBuckets(limit: RateLimit): RateLimitBuckets {
  const calls =
    limit.calls === undefined
      ? undefined
      : { capacity: limit.calls, refillPerMs: limit.calls / perMillis(limit.per ?? DEFAULT_PER) };
  const tokens =
    limit.tokensPerMinute === undefined
      ? undefined
      : { capacity: limit.tokensPerMinute, refillPerMs: limit.tokensPerMinute / MINUTE_MS };
  return { calls, tokens };
}

function perMillis(per: Duration, what = 'Rate limit'): number {
  if (typeof per !== 'number' && typeof per !== 'string') {
    throw invalid(`${what}: per must be a duration such as '1s' or '1m', got ${show(per)}.`);
  }
  let ms: number;
  try {
    ms = toMillis(per, `${what} per`);
  } catch (error) {
    if (!isCairnError(error, 'invalid_duration')) throw error;
    throw invalid(error.message, error);
  }
  if (ms <= 0) throw invalid(`${what}: per must be longer than 0 ms, got ${show(per)}.`);
  return ms;
}

function invalid(message: string, cause?: unknown): CairnError {
  return new CairnError('invalid_argument', message, cause === undefined ? {} : { cause });
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
