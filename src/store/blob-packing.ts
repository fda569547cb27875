import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** How a blob's data is kept in the `blobs` table. */
export type BlobPacking = 'none' | 'deflate';

/** Below this, compressing is not worth its time. */
const MIN_SIZE = 1024;

/**
 * Compresses a blob's data when that saves at least a tenth of it. Agent payloads (text, JSON) usually
 * shrink two to four times; and a row that fits several to a page no longer wastes half of one.
 */
export function packBlob(data: string): { packing: BlobPacking; stored: string | Buffer } {
  if (data.length < MIN_SIZE) return { packing: 'none', stored: data };
  const raw = Buffer.from(data, 'utf8');
  const compressed = deflateRawSync(raw, { level: 1 });
  return compressed.length <= raw.length * 0.9
    ? { packing: 'deflate', stored: compressed }
    : { packing: 'none', stored: data };
}

export function unpackBlob(packing: BlobPacking, stored: string | Buffer): string {
  if (packing === 'none') return typeof stored === 'string' ? stored : stored.toString('utf8');
  return inflateRawSync(stored as Buffer).toString('utf8');
}
