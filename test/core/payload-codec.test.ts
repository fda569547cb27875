import { describe, expect, it } from 'vitest';
import type { Blob } from '../../src/core/blob.js';
import { toMillis } from '../../src/core/duration.js';
import { isCairnError } from '../../src/core/errors.js';
import { decodeJournalEvent } from '../../src/core/journal-codec.js';
import { decodeValue, encodeValue, INLINE_LIMIT } from '../../src/core/payload-codec.js';

function reader(blobs: Blob[]) {
  const byHash = new Map(blobs.map((blob) => [blob.hash, blob]));
  return async (hashes: readonly string[]) =>
    new Map(hashes.flatMap((hash) => (byHash.has(hash) ? [[hash, byHash.get(hash)!]] : [])));
}

describe('payload codec', () => {
  it('keeps small values inline and round-trips them', async () => {
    const encoded = encodeValue({ a: 1, b: [true, null, 'x'] }, 'test');
    expect(encoded.ref).toEqual({ inline: { a: 1, b: [true, null, 'x'] } });
    expect(encoded.blobs).toEqual([]);
    expect(await decodeValue(encoded.ref, reader([]))).toEqual({ a: 1, b: [true, null, 'x'] });
  });

  it('says undefined explicitly and normalizes values the way JSON does, so live and replay agree', async () => {
    expect(encodeValue(undefined, 'test').ref).toEqual({ undefined: true });
    const date = new Date(0);
    const encoded = encodeValue({ when: date, gone: undefined }, 'test');
    expect(encoded.value).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    expect(await decodeValue(encoded.ref, reader([]))).toEqual(encoded.value);
  });

  it('stores large values as blobs addressed by content, and large arrays element by element', async () => {
    const big = 'x'.repeat(INLINE_LIMIT * 2);
    const one = encodeValue(big, 'test');
    const again = encodeValue(big, 'test');
    expect(one.ref).toEqual(again.ref);
    const list = encodeValue([big, 'small', big], 'test');
    expect(list.blobs.map((blob) => blob.encoding).sort()).toEqual(['list', 'text', 'text']);
    const object = encodeValue({ text: big }, 'test');
    expect(object.blobs.map((blob) => blob.encoding)).toEqual(['text', 'object']);
    expect(await decodeValue(object.ref, reader(object.blobs))).toEqual({ text: big });
    expect(await decodeValue(list.ref, reader(list.blobs))).toEqual([big, 'small', big]);
  });

  it('refuses values with no JSON form, saying what to return instead', () => {
    for (const value of [10n, () => 1, Symbol('s')]) {
      try {
        encodeValue(value, 'The result of step x');
        expect.unreachable();
      } catch (error) {
        expect(isCairnError(error, 'not_serializable')).toBe(true);
        expect((error as Error).message).toMatch(/The result of step x cannot be stored.*JSON/);
      }
    }
  });

  it('reports a missing blob as a corrupt journal', async () => {
    const { ref } = encodeValue('y'.repeat(4_000), 'test');
    await expect(decodeValue(ref, reader([]))).rejects.toSatisfy((error) =>
      isCairnError(error, 'journal_corrupt'),
    );
  });
});

describe('durations and journal decoding', () => {
  it('parses durations and rejects nonsense with the accepted forms', () => {
    expect([
      toMillis(250),
      toMillis('250ms'),
      toMillis('30s'),
      toMillis('5m'),
      toMillis('1h'),
      toMillis('2d'),
    ]).toEqual([250, 250, 30_000, 300_000, 3_600_000, 172_800_000]);
    expect(() => toMillis('-1s')).toThrow(/'30s'/);
    expect(() => toMillis(Number.NaN)).toThrow(/milliseconds/);
  });

  it('refuses journal versions it does not know and bodies that are not events', () => {
    expect(() => decodeJournalEvent(9, '{}', 'Event 1')).toThrow(/journal version 9/);
    expect(() => decodeJournalEvent(1, 'not json', 'Event 1')).toThrow(/not valid JSON/);
    expect(() => decodeJournalEvent(1, '{"kind":"run.started"}', 'Event 1')).toThrow(/journal schema/);
  });
});

describe('payload codec: shared large values', () => {
  it('stores a large value once, whatever envelope it travels in', async () => {
    const output = 'tool output '.repeat(200);
    const asResult = encodeValue(output, 'a step result');
    const asMessage = encodeValue(
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'c1', output: { type: 'text', value: output } }],
      },
      'a message',
    );
    const outputHash = (asResult.ref as { blob: string }).blob;
    expect(asMessage.blobs.map((blob) => blob.hash)).toContain(outputHash);
    expect(asMessage.blobs.filter((blob) => blob.data === output)).toHaveLength(1);
    const all = [...asResult.blobs, ...asMessage.blobs];
    expect(await decodeValue(asMessage.ref, reader(all))).toEqual(asMessage.value);
  });

  it('normalizes nested values in large objects as JSON would', async () => {
    const big = { when: new Date(0), gone: undefined, text: 'x'.repeat(1_000), n: 1 };
    const encoded = encodeValue(big, 'test');
    expect(encoded.value).toEqual({ when: '1970-01-01T00:00:00.000Z', text: 'x'.repeat(1_000), n: 1 });
    expect(await decodeValue(encoded.ref, reader(encoded.blobs))).toEqual(encoded.value);
  });
});
