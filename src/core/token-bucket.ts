import { CairnError } from './errors.js';
import type { RateGrant, RateRequest } from './store.js';

/**
 * The arithmetic of the rate buckets behind `Store.takeRate` and `Store.debitRate`, written once for
 * every store: a store reads the bucket's row, applies one of these, and writes the row back, atomically.
 */

/** A token bucket as a store keeps it: its balance (negative when in debt) as of `updatedAt`. */
export interface BucketState {
  readonly balance: number;
  readonly updatedAt: number;
}

/**
 * Floating-point slack, in tokens. Refill rates such as 5/1000 per ms are not exact in binary, so a
 * bucket that should hold exactly the cost at `retryAt` may hold a hair less; without the slack, the
 * taker woken then would be refused and sent to wait one more millisecond.
 */
const SLACK = 1e-9;

/** The bucket at `now`: refilled for the time since it was last touched, up to its capacity. A new one is full. */
export function refillBucket(state: BucketState | undefined, request: RateRequest): BucketState {
  if (state === undefined) return { balance: request.capacity, updatedAt: request.now };
  // A caller whose clock is behind the bucket's (another machine) refills nothing and moves no time back.
  const elapsed = Math.max(0, request.now - state.updatedAt);
  return {
    balance: Math.min(request.capacity, state.balance + elapsed * request.refillPerMs),
    updatedAt: Math.max(state.updatedAt, request.now),
  };
}

/** `takeRate`: takes `cost` if the bucket covers it; else leaves it, with the time from which it will. */
export function takeFromBucket(
  state: BucketState | undefined,
  request: RateRequest,
): { readonly state: BucketState; readonly grant: RateGrant } {
  assertRateRequest(request, 'takeRate');
  const current = refillBucket(state, request);
  if (current.balance + SLACK >= request.cost) {
    return { state: { ...current, balance: current.balance - request.cost }, grant: { granted: true } };
  }
  // The first whole millisecond at which the refill brings the balance within SLACK of the cost.
  const wait = Math.ceil((request.cost - current.balance - SLACK) / request.refillPerMs);
  return { state: current, grant: { granted: false, retryAt: current.updatedAt + Math.max(1, wait) } };
}

/** `debitRate`: takes `cost` whatever the balance, leaving the bucket in debt if it did not cover it. */
export function debitBucket(state: BucketState | undefined, request: RateRequest): BucketState {
  assertRateRequest(request, 'debitRate');
  const current = refillBucket(state, request);
  return { ...current, balance: current.balance - request.cost };
}

/**
 * Checks a bucket request. A take may not cost more than the bucket holds (it would never be granted);
 * a debit may (a model call that used more tokens than a minute's allowance puts the bucket in debt).
 */
export function assertRateRequest(request: RateRequest, method: 'takeRate' | 'debitRate'): void {
  const positive = (value: number) => Number.isFinite(value) && value > 0;
  let problem: string | undefined;
  if (request.tenantId === '' || request.key === '') problem = 'tenantId and key must not be empty';
  else if (!positive(request.capacity)) problem = `capacity must be > 0, got ${request.capacity}`;
  else if (!positive(request.refillPerMs)) problem = `refillPerMs must be > 0, got ${request.refillPerMs}`;
  else if (!Number.isFinite(request.cost) || request.cost < 0)
    problem = `cost must be >= 0, got ${request.cost}`;
  else if (method === 'takeRate' && request.cost > request.capacity)
    problem = `cost ${request.cost} is more than the bucket holds (${request.capacity}), so it would never be granted`;
  else if (!Number.isFinite(request.now))
    problem = `now must be a time in epoch milliseconds, got ${request.now}`;
  if (problem !== undefined) {
    throw new CairnError('invalid_argument', `${method}(${JSON.stringify(request.key)}): ${problem}.`);
  }
}
