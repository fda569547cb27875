import type { TokenUsage } from './token-usage.js';

/** What a model costs, in USD per 1M tokens. `cachedInput` is the price of input read from a cache. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cachedInput?: number;
}

/** A table of prices keyed by model id or model id prefix. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices of common models, USD per 1M tokens, as published by the providers when this was
 * written. Prices change: pass your own table as `overrides` wherever prices are taken, rather than
 * trusting these for billing. Keys match dated ids by prefix (`gpt-4o-mini-2024-07-18` is
 * `gpt-4o-mini`), so a newer model that shares a prefix with an older one needs its own key.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o3-mini': { input: 1.1, output: 4.4, cachedInput: 0.55 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  // Anthropic ids: claude-opus-4-20250514, claude-sonnet-4-0, claude-3-5-haiku-latest, ...
  // Cache writes (1.25x input) are not told apart from input here and are charged at the input price.
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  // Not a real price: the offline scripted model (scriptedModel) costs a little, so that demos and
  // tests show cost accounting at work with non-zero numbers.
  scripted: { input: 0.15, output: 0.6 },
});

/**
 * The price of `modelId`: an exact key first (overrides before defaults), else the longest key that
 * is a prefix of the id, so `gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`, never `gpt-4o`.
 * `undefined` when no key fits.
 */
export function priceFor(modelId: string, overrides?: PriceTable): ModelPrice | undefined {
  const exact = ownPrice(overrides, modelId) ?? ownPrice(DEFAULT_PRICES, modelId);
  if (exact !== undefined) return exact;
  let best: { key: string; price: ModelPrice } | undefined;
  // Overrides are searched first, so on keys of equal length an override wins.
  for (const table of [overrides ?? {}, DEFAULT_PRICES]) {
    for (const [key, price] of Object.entries(table)) {
      if (modelId.startsWith(key) && (best === undefined || key.length > best.key.length)) {
        best = { key, price };
      }
    }
  }
  return best?.price;
}

// Own properties only: a model id like `constructor` must not find Object.prototype's members.
function ownPrice(table: PriceTable | undefined, key: string): ModelPrice | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** What a call cost. `priced` is false when the model has no price, and then `usd` is 0. */
export interface UsageCost {
  readonly usd: number;
  readonly priced: boolean;
}

/**
 * The cost of `usage` on `modelId`. Cached input tokens are part of `usage.input` and are charged at
 * `cachedInput` (or at `input` when the model has no cache price); reasoning tokens are part of
 * `usage.output` and are charged as output.
 */
export function costOf(usage: TokenUsage, modelId: string, overrides?: PriceTable): UsageCost {
  const price = priceFor(modelId, overrides);
  if (price === undefined) return { usd: 0, priced: false };
  // A provider never reports more cached than total input, but clamp so a bad report cannot go negative.
  const cached = Math.min(usage.cachedInput, usage.input);
  const perMillion =
    (usage.input - cached) * price.input +
    cached * (price.cachedInput ?? price.input) +
    usage.output * price.output;
  return { usd: perMillion / 1_000_000, priced: true };
}
