/**
 * How rate-limit operations are named in a run's journal, so that a trace can tell a wait for a rate
 * limit from any other timer: `rate-limit:<key>` (a take from the calls bucket, and the wait after a
 * refusal), `token-limit:<key>` (the same for the tokens-per-minute bucket) and `token-debit:<key>`
 * (tokens spent by a model call).
 */
export type RateOperation = 'rate-limit' | 'token-limit' | 'token-debit';

const OPERATIONS: readonly RateOperation[] = ['rate-limit', 'token-limit', 'token-debit'];

/** The journal name of a rate-limit operation on the limit `key`. */
export function rateOperationName(operation: RateOperation, key: string): string {
  return `${operation}:${key}`;
}

/** The operation and limit key a journal name stands for, or undefined if it is not a rate-limit one. */
export function parseRateOperationName(
  name: string,
): { readonly operation: RateOperation; readonly key: string } | undefined {
  const operation = OPERATIONS.find((candidate) => name.startsWith(`${candidate}:`));
  return operation === undefined ? undefined : { operation, key: name.slice(operation.length + 1) };
}
