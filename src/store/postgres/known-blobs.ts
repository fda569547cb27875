import type { Blob } from '../../core/blob.js';

/**
 * The blobs this process has seen committed, most recent `capacity` of them: an append need not send a
 * payload the store already holds (an agent's history re-sends the same messages at every step).
 * Blobs are content-addressed and never rewritten; should a store ever delete blobs, it must forget
 * them here too.
 */
export class KnownBlobs {
  private readonly known = new Map<string, true>();

  constructor(private readonly capacity = 50_000) {}

  /** The blobs of `tenantId` not known to be stored. */
  unknown(tenantId: string, blobs: readonly Blob[]): Blob[] {
    if (blobs.length === 0) return [];
    return blobs.filter((blob) => !this.known.has(key(tenantId, blob.hash)));
  }

  /** Notes blobs as committed. */
  remember(tenantId: string, blobs: readonly Blob[]): void {
    for (const blob of blobs) {
      const k = key(tenantId, blob.hash);
      this.known.delete(k);
      this.known.set(k, true);
      if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
    }
  }
}

function key(tenantId: string, hash: string): string {
  return `${tenantId}\u0000${hash}`;
}
