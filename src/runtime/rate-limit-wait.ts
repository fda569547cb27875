import { CairnError } from '../core/errors.js';
import { assertRateLimit, type RateLimit, rateLimitBuckets } from '../core/rate-limit.js';
import type { RateGrant, RateRequest } from '../core/store.js';
import { type RateOperation, rateOperationName } from './rate-limit-names.js';
import { assertName } from './workflow.js';

/** The tenant of a bucket shared by all tenants (a limit without `perTenant`). */
export const SHARED_BUCKET_TENANT = '*';

/** One draw on a bucket, as `ctx.rateLimit` or `ctx.debitRate` plans it: the time is taken when it runs. */
export interface RateDraw {
  /** The journal name of the draw's step, and of the wait that follows a refusal. */
  readonly name: string;
  readonly request: Omit<RateRequest, 'now'>;
}

/** What waiting for a bucket needs of the workflow context: a journaled take, and a durable timer. */
export interface RateWaitOperations {
  take(draw: RateDraw): Promise<RateGrant>;
  sleepUntil(name: string, time: number): Promise<void>;
}

/**
 * Takes from the bucket until it grants: each take is a journaled step (so replay takes no token) and
 * each refusal is followed by a durable timer until the bucket will cover the cost. Another worker may
 * get there first, so the take after the wait can be refused again: then the run waits again.
 */
export async function waitForRate(draw: RateDraw, operations: RateWaitOperations): Promise<void> {
  for (;;) {
    const grant = await operations.take(draw);
    if (grant.granted) return;
    await operations.sleepUntil(draw.name, Math.ceil(grant.retryAt));
  }
}

/**
 * The draw `ctx.rateLimit(key, limit, options)` makes: one call (or `cost`) from the calls bucket, or,
 * with `tokens`, a wait while the tokens-per-minute bucket is in debt (`cost` 0 unless given).
 * Undefined when the limit has no such bucket: there is nothing to wait for.
 */
export function planRateLimit(
  key: string,
  limit: RateLimit,
  options: { readonly cost?: number; readonly tokens?: boolean },
  runTenant: string,
): RateDraw | undefined {
  const where = `ctx.rateLimit('${key}', limit)`;
  assertRateKey(key, limit);
  const tokens = options.tokens === true;
  const bucket = tokens ? rateLimitBuckets(limit).tokens : rateLimitBuckets(limit).calls;
  if (bucket === undefined) return undefined;
  const cost = options.cost ?? (tokens ? 0 : 1);
  if (!(Number.isFinite(cost) && cost >= 0)) {
    throw new CairnError('invalid_argument', `${where}: cost must be a number >= 0, got ${cost}.`);
  }
  if (cost > bucket.capacity) {
    throw new CairnError(
      'invalid_argument',
      `${where}: cost ${cost} is more than the limit allows at once (${bucket.capacity}), so it would wait forever. Raise the limit or lower the cost.`,
    );
  }
  return draw(tokens ? 'token-limit' : 'rate-limit', key, limit, runTenant, { ...bucket, cost });
}

/**
 * The draw `ctx.debitRate(key, limit, tokens)` makes on the tokens-per-minute bucket. Undefined when
 * the limit sets no `tokensPerMinute`, or nothing was used.
 */
export function planDebit(
  key: string,
  limit: RateLimit,
  tokens: number,
  runTenant: string,
): RateDraw | undefined {
  assertRateKey(key, limit);
  if (!(Number.isFinite(tokens) && tokens >= 0)) {
    throw new CairnError(
      'invalid_argument',
      `ctx.debitRate('${key}', limit, tokens): tokens must be a number >= 0, got ${tokens}.`,
    );
  }
  const bucket = rateLimitBuckets(limit).tokens;
  if (bucket === undefined || tokens === 0) return undefined;
  return draw('token-debit', key, limit, runTenant, { ...bucket, cost: tokens });
}

function draw(
  operation: RateOperation,
  key: string,
  limit: RateLimit,
  runTenant: string,
  bucket: { capacity: number; refillPerMs: number; cost: number },
): RateDraw {
  // The calls and tokens buckets of one key are two rows: a debit never touches the calls allowance.
  const bucketKey = `${operation === 'rate-limit' ? 'calls' : 'tokens'}:${key}`;
  const tenantId = limit.perTenant === true ? runTenant : SHARED_BUCKET_TENANT;
  return { name: rateOperationName(operation, key), request: { tenantId, key: bucketKey, ...bucket } };
}

function assertRateKey(key: string, limit: RateLimit): void {
  assertName(key, 'Rate limit key');
  assertRateLimit(limit, `Rate limit '${key}'`);
}
