import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { assertRateLimit, rateLimitBuckets } from '../../src/core/rate-limit.js';

describe('rate limits', () => {
  it('sizes the calls bucket by calls per interval (default a minute), and the tokens bucket per minute', () => {
    expect(rateLimitBuckets({ calls: 5, per: '1s' })).toEqual({
      calls: { capacity: 5, refillPerMs: 0.005 },
      tokens: undefined,
    });
    expect(rateLimitBuckets({ calls: 60 }).calls).toEqual({ capacity: 60, refillPerMs: 0.001 });
    expect(rateLimitBuckets({ tokensPerMinute: 120_000 })).toEqual({
      calls: undefined,
      tokens: { capacity: 120_000, refillPerMs: 2 },
    });
  });

  it('accepts limits on calls, on tokens, or both, shared or per tenant', () => {
    for (const limit of [
      { calls: 1, per: '2s' },
      { calls: 10, per: 500 },
      { tokensPerMinute: 1 },
      { calls: 3, tokensPerMinute: 90_000, perTenant: true },
    ]) {
      expect(() => assertRateLimit(limit)).not.toThrow();
    }
  });

  it.each([
    [undefined, /must be an object/],
    [{}, /limits nothing: give calls .* or tokensPerMinute/],
    [{ perTenant: true }, /limits nothing/],
    [{ calls: 0 }, /calls must be a number >= 1, got 0/],
    [{ calls: 0.5, per: '1s' }, /\{ calls: 1, per: '2s' \}/],
    [{ calls: Number.NaN }, /calls must be a number >= 1/],
    [{ calls: '5' }, /calls must be a number >= 1, got "5"/],
    [{ calls: 5, per: 'soon' }, /Invalid .*per "soon"/],
    [{ calls: 5, per: 0 }, /per must be longer than 0 ms/],
    [{ calls: 5, per: {} }, /per must be a duration/],
    [{ per: '1s', tokensPerMinute: 10 }, /per applies to calls/],
    [{ tokensPerMinute: -1 }, /tokensPerMinute must be a positive number, got -1/],
    [{ calls: 1, perTenant: 'yes' }, /perTenant must be true or false/],
  ])('refuses %j with invalid_argument, saying what to write', (limit, message) => {
    try {
      assertRateLimit(limit, 'Rate limit');
      expect.unreachable('should be refused');
    } catch (error) {
      expect(isCairnError(error, 'invalid_argument')).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
