import { describe, expect, it } from 'vitest';
import { costOf, DEFAULT_PRICES, priceFor } from '../../src/models/price-table.js';
import { ZERO_USAGE } from '../../src/models/token-usage.js';

describe('priceFor', () => {
  it('matches an exact id first, then the longest key the id starts with', () => {
    expect(priceFor('gpt-4o')).toBe(DEFAULT_PRICES['gpt-4o']);
    expect(priceFor('gpt-4o-mini')).toBe(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor('gpt-4o-mini-2024-07-18')).toBe(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor('gpt-4o-2024-08-06')).toBe(DEFAULT_PRICES['gpt-4o']);
    expect(priceFor('gpt-4.1-nano-2025-04-14')).toBe(DEFAULT_PRICES['gpt-4.1-nano']);
    expect(priceFor('claude-sonnet-4-20250514')).toBe(DEFAULT_PRICES['claude-sonnet-4']);
    expect(priceFor('claude-3-5-haiku-latest')).toBe(DEFAULT_PRICES['claude-3-5-haiku']);
    expect(priceFor('scripted')).toEqual({ input: 0.15, output: 0.6 });
  });

  it('returns undefined for a model it does not know', () => {
    expect(priceFor('llama3.2')).toBeUndefined();
    expect(priceFor('gpt')).toBeUndefined();
    expect(priceFor('constructor')).toBeUndefined();
  });

  it('prefers overrides, and still picks the longest prefix across both tables', () => {
    const overrides = { 'gpt-4o': { input: 1, output: 2 }, llama: { input: 0.01, output: 0.02 } };
    expect(priceFor('gpt-4o', overrides)).toEqual({ input: 1, output: 2 });
    expect(priceFor('gpt-4o-2024-08-06', overrides)).toEqual({ input: 1, output: 2 });
    expect(priceFor('gpt-4o-mini-2024-07-18', overrides)).toBe(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor('llama3.2', overrides)).toEqual({ input: 0.01, output: 0.02 });
  });
});

describe('costOf', () => {
  it('charges cached input at the cache price and the rest of input and output at theirs', () => {
    const usage = { input: 1_000_000, output: 1_000_000, cachedInput: 400_000, reasoning: 300_000 };
    // gpt-4o: 2.5 in, 1.25 cached, 10 out, per 1M tokens. Reasoning is inside output, not extra.
    const cost = costOf(usage, 'gpt-4o-2024-08-06');
    expect(cost.priced).toBe(true);
    expect(cost.usd).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25 + 10, 10);
  });

  it('charges cached input at the input price when the model has no cache price', () => {
    const usage = { input: 2_000, output: 1_000, cachedInput: 1_000, reasoning: 0 };
    expect(costOf(usage, 'scripted').usd).toBeCloseTo((2_000 * 0.15 + 1_000 * 0.6) / 1e6, 12);
  });

  it('reports an unknown model as not priced, at zero', () => {
    expect(costOf({ input: 10, output: 10, cachedInput: 0, reasoning: 0 }, 'mystery-model')).toEqual({
      usd: 0,
      priced: false,
    });
    expect(costOf(ZERO_USAGE, 'gpt-5')).toEqual({ usd: 0, priced: true });
  });
});
