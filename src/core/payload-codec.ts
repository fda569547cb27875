import { hash as digest } from 'node:crypto';
import type { Blob, BlobEncoding } from './blob.js';
import { CairnError } from './errors.js';
import type { JsonValue, ValueRef } from './value-ref.js';

/**
 * Values whose JSON is at most this long stay inline in the event that carries them; longer ones are
 * blobs. Small enough that an event row fits in one database page without overflow.
 */
export const INLINE_LIMIT = 512;

/** A value made ready for the journal: its reference, the blobs to store, and the value as replay will see it. */
export interface EncodedValue {
  readonly ref: ValueRef;
  readonly blobs: Blob[];
  /** The value after a JSON round trip: what the live run must use, so that replay sees the same thing. */
  readonly value: unknown;
}

/**
 * Encodes a value for the journal. Small values are inline. Large arrays are stored element by element
 * (a list blob of element refs), so a history re-sent with one more message stores only the new message
 * and a new list; large objects field by field, so a large value is stored once whatever envelope it
 * comes in; large strings as text. Equal payloads share a hash, so each is stored once.
 */
export function encodeValue(value: unknown, what: string): EncodedValue {
  if (value === undefined) return { ref: { undefined: true }, blobs: [], value: undefined };
  const blobs: Blob[] = [];
  const { ref, value: normalized } = encodeInto(value, what, blobs);
  return { ref, blobs, value: normalized };
}

function encodeInto(value: unknown, what: string, blobs: Blob[]): { ref: ValueRef; value: unknown } {
  if (Array.isArray(value) && value.length > 0) {
    const itemBlobs: Blob[] = [];
    const items = value.map((item) => encodeInto(item === undefined ? null : item, what, itemBlobs));
    const normalized = items.map((item) => item.value);
    const listText = JSON.stringify(items.map((item) => item.ref));
    if (itemBlobs.length === 0 && listText.length <= INLINE_LIMIT) {
      return { ref: { inline: normalized as JsonValue }, value: normalized };
    }
    if (itemBlobs.length === 0) {
      // Many small elements: one blob for the whole array is smaller than a list of inline refs.
      return encodeWhole(value, what, blobs);
    }
    const list = makeBlob('list', listText);
    blobs.push(...itemBlobs, list);
    return { ref: { blob: list.hash }, value: normalized };
  }
  if (isPlainObject(value)) return encodeObject(value, what, blobs);
  return encodeWhole(value, what, blobs);
}

function encodeObject(
  value: Record<string, unknown>,
  what: string,
  blobs: Blob[],
): { ref: ValueRef; value: unknown } {
  const text = toJsonText(value, what);
  if (text.length <= INLINE_LIMIT) {
    const normalized = JSON.parse(text) as JsonValue;
    return { ref: { inline: normalized }, value: normalized };
  }
  const fieldBlobs: Blob[] = [];
  const fields: Record<string, ValueRef> = {};
  const normalized: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    // What JSON would drop, dropped too.
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
    const encoded = encodeInto(field, what, fieldBlobs);
    fields[key] = encoded.ref;
    normalized[key] = encoded.value;
  }
  if (fieldBlobs.length === 0) return encodeWhole(value, what, blobs);
  const object = makeBlob('object', JSON.stringify(fields));
  blobs.push(...fieldBlobs, object);
  return { ref: { blob: object.hash }, value: normalized };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

function encodeWhole(value: unknown, what: string, blobs: Blob[]): { ref: ValueRef; value: unknown } {
  if (typeof value === 'string' && value.length > INLINE_LIMIT) {
    const blob = makeBlob('text', value);
    blobs.push(blob);
    return { ref: { blob: blob.hash }, value };
  }
  const text = toJsonText(value, what);
  // A string or a finite number is its own JSON round trip; anything else is normalized by one.
  const same = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  const normalized = (same ? value : JSON.parse(text)) as JsonValue;
  if (text.length <= INLINE_LIMIT) return { ref: { inline: normalized }, value: normalized };
  const blob = makeBlob('json', text);
  blobs.push(blob);
  return { ref: { blob: blob.hash }, value: normalized };
}

/** Reads blobs by hash; the store's `getBlobs`, bound to a tenant. */
export type BlobReader = (hashes: readonly string[]) => Promise<Map<string, Blob>>;

/** Rebuilds a value from its reference, fetching blobs (and the blobs a list refers to) as needed. */
export async function decodeValue(ref: ValueRef, readBlobs: BlobReader): Promise<unknown> {
  if ('undefined' in ref) return undefined;
  if ('inline' in ref) return structuredClone(ref.inline);
  const blob = (await readBlobs([ref.blob])).get(ref.blob);
  if (blob === undefined) {
    throw new CairnError(
      'journal_corrupt',
      `Blob ${ref.blob} is referenced by the journal but missing from the store.`,
    );
  }
  if (blob.encoding === 'text') return blob.data;
  const parsed = JSON.parse(blob.data) as unknown;
  if (blob.encoding === 'json') return parsed;
  if (blob.encoding === 'object') {
    const entries = Object.entries(parsed as Record<string, ValueRef>);
    const values = await Promise.all(entries.map(([, field]) => decodeValue(field, readBlobs)));
    return Object.fromEntries(entries.map(([key], index) => [key, values[index]]));
  }
  return Promise.all((parsed as ValueRef[]).map((item) => decodeValue(item, readBlobs)));
}

export function makeBlob(encoding: BlobEncoding, data: string): Blob {
  const hash = digest('sha256', `${encoding}\0${data}`, 'hex');
  return { hash, encoding, data };
}

function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new CairnError(
      'not_serializable',
      `${what} cannot be stored: ${(cause as Error).message}. Return plain JSON data (objects, arrays, strings, numbers, booleans, null).`,
      { cause },
    );
  }
  if (text === undefined) {
    throw new CairnError(
      'not_serializable',
      `${what} cannot be stored: a ${typeof value} has no JSON form. Return plain JSON data instead.`,
    );
  }
  return text;
}
