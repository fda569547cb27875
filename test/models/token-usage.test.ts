import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { addUsage, usageFromV3, ZERO_USAGE } from '../../src/models/token-usage.js';

describe('usageFromV3', () => {
  it('reads the nested usage a V3 model returns', () => {
    const usage: LanguageModelV3Usage = {
      inputTokens: { total: 100, noCache: 30, cacheRead: 70, cacheWrite: undefined },
      outputTokens: { total: 40, text: 25, reasoning: 15 },
    };
    expect(usageFromV3(usage)).toEqual({ input: 100, output: 40, cachedInput: 70, reasoning: 15 });
  });

  it('adds up the parts when a V3 usage has no totals, and counts missing numbers as 0', () => {
    const usage: LanguageModelV3Usage = {
      inputTokens: { total: undefined, noCache: 10, cacheRead: 5, cacheWrite: 2 },
      outputTokens: { total: undefined, text: 7, reasoning: undefined },
    };
    expect(usageFromV3(usage)).toEqual({ input: 17, output: 7, cachedInput: 5, reasoning: 0 });
  });

  it('reads the flat usage generateText and streamText return', () => {
    const usage = {
      inputTokens: 50,
      inputTokenDetails: { noCacheTokens: 10, cacheReadTokens: 40, cacheWriteTokens: undefined },
      outputTokens: 9,
      outputTokenDetails: { textTokens: 6, reasoningTokens: 3 },
      totalTokens: 59,
    };
    expect(usageFromV3(usage)).toEqual({ input: 50, output: 9, cachedInput: 40, reasoning: 3 });
  });

  it('is zero for a missing usage', () => {
    expect(usageFromV3(undefined)).toEqual(ZERO_USAGE);
  });
});

describe('addUsage', () => {
  it('sums every field', () => {
    const a = { input: 1, output: 2, cachedInput: 3, reasoning: 4 };
    expect(addUsage(a, a)).toEqual({ input: 2, output: 4, cachedInput: 6, reasoning: 8 });
    expect(addUsage(ZERO_USAGE, a)).toEqual(a);
  });
});
