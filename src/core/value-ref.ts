import { z } from 'zod';

/** Any value that survives a JSON round trip. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * How the journal holds a value: small values inline, large ones by the hash of a stored blob
 * (so a payload seen twice is stored once), and `undefined` explicitly, since JSON cannot say it.
 */
export type ValueRef =
  | { readonly inline: JsonValue }
  | { readonly blob: string }
  | { readonly undefined: true };

export const valueRefSchema: z.ZodType<ValueRef> = z.union([
  z.strictObject({ inline: z.json() }),
  z.strictObject({ blob: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.strictObject({ undefined: z.literal(true) }),
]) as z.ZodType<ValueRef>;
