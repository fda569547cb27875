import type { Blob } from '../../core/blob.js';
import { encodeJournalEvent } from '../../core/journal-codec.js';
import { JOURNAL_VERSION } from '../../core/journal-event.js';
import type { AppendRequest, AppendResult } from '../../core/store.js';
import { packBlob } from '../blob-packing.js';
import { KnownBlobs } from './known-blobs.js';
import type { PostgresConnection } from './postgres-connection.js';
import { appendRefusal } from './postgres-refusals.js';

/**
 * Journal appends on PostgreSQL: one (`append_events`) or several runs' at once (`append_batch`), each
 * in one round trip and one commit. `channel` is the wakeup channel a finished child notifies.
 */
export class PostgresAppends {
  private readonly known = new KnownBlobs();

  constructor(
    private readonly db: PostgresConnection,
    private readonly channel: string,
  ) {}

  async one(request: AppendRequest): Promise<AppendResult> {
    const blobs = this.packed(request);
    const outcome = outcomeColumns(request);
    try {
      const { rows } = await this.db.pool.query<{ last_seq: number; cancel_requested: boolean }>({
        name: `cairn_append_${this.db.schema}`,
        text: `SELECT * FROM ${this.db.s}.append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        values: [
          request.tenantId,
          request.runId,
          request.fence,
          request.expectedSeq,
          request.events.map((event) => event.kind),
          request.events.map(encodeJournalEvent),
          JOURNAL_VERSION,
          request.now,
          blobs.length === 0 ? null : blobs.map((blob) => blob.hash),
          blobs.length === 0 ? null : blobs.map((blob) => blob.encoding),
          blobs.length === 0 ? null : blobs.map((blob) => blob.size),
          blobs.length === 0 ? null : blobs.map((blob) => blob.packing),
          blobs.length === 0 ? null : blobs.map((blob) => blob.data),
          outcome.status,
          outcome.result,
          outcome.error,
          this.channel,
        ],
      });
      const row = rows[0]!;
      this.known.remember(request.tenantId, request.blobs);
      return { lastSeq: row.last_seq, cancelRequested: row.cancel_requested };
    } catch (error) {
      const message = (error as { message?: unknown }).message;
      if (typeof message === 'string' && message.startsWith('cairn:')) {
        throw appendRefusal(message.slice('cairn:'.length), request);
      }
      throw error;
    }
  }

  /**
   * Appends to several runs in one transaction; each gets its own result or refusal. The requests
   * are applied in run order, so that concurrent batches lock the runs' rows in one order.
   */
  async many(requests: readonly AppendRequest[]): Promise<(AppendResult | Error)[]> {
    const order = requests
      .map((request, index) => ({ request, index }))
      .sort((a, b) => compareRuns(a.request, b.request));
    const sorted = order.map(({ request }) => request);
    const blobs = sorted.flatMap((request) =>
      this.packed(request).map((blob) => ({ ...blob, tenantId: request.tenantId })),
    );
    const outcomes = sorted.map(outcomeColumns);
    const events = sorted.flatMap((request) => request.events);
    const { rows } = await this.db.pool.query<{
      last_seq: number | null;
      cancel_requested: boolean | null;
      refusal: string | null;
    }>({
      name: `cairn_append_batch_${this.db.schema}`,
      text: `SELECT * FROM ${this.db.s}.append_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      values: [
        sorted.map((request) => request.tenantId),
        sorted.map((request) => request.runId),
        sorted.map((request) => request.fence),
        sorted.map((request) => request.expectedSeq),
        sorted.map((request) => request.events.length),
        sorted.map((request) => request.now),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.result),
        outcomes.map((outcome) => outcome.error),
        events.map((event) => event.kind),
        events.map(encodeJournalEvent),
        JOURNAL_VERSION,
        blobs.length === 0 ? null : blobs.map((blob) => blob.tenantId),
        blobs.length === 0 ? null : blobs.map((blob) => blob.hash),
        blobs.length === 0 ? null : blobs.map((blob) => blob.encoding),
        blobs.length === 0 ? null : blobs.map((blob) => blob.size),
        blobs.length === 0 ? null : blobs.map((blob) => blob.packing),
        blobs.length === 0 ? null : blobs.map((blob) => blob.data),
        this.channel,
      ],
    });
    const results = new Array<AppendResult | Error>(requests.length);
    order.forEach(({ request, index }, position) => {
      const row = rows[position];
      if (row === undefined)
        results[index] = new Error(`The batch append returned no row for run ${request.runId}.`);
      else if (row.refusal !== null) results[index] = appendRefusal(row.refusal, request);
      else {
        this.known.remember(request.tenantId, request.blobs);
        results[index] = { lastSeq: row.last_seq!, cancelRequested: row.cancel_requested! };
      }
    });
    return results;
  }

  /** The request's blobs that the store may not hold yet, as the blobs table stores them. */
  private packed(request: AppendRequest) {
    return packBlobRows(this.known.unknown(request.tenantId, request.blobs));
  }
}

/** Blobs as rows of the blobs table: hash, encoding, size of the original, packing, the bytes stored. */
export function packBlobRows(blobs: readonly Blob[]) {
  return blobs.map((blob) => {
    const { packing, stored } = packBlob(blob.data);
    return {
      hash: blob.hash,
      encoding: blob.encoding,
      size: Buffer.byteLength(blob.data),
      packing,
      data: typeof stored === 'string' ? Buffer.from(stored) : stored,
    };
  });
}

/** Run order: code-point order, as PostgreSQL's "C" collation sorts (see renewLeases). */
function compareRuns(a: AppendRequest, b: AppendRequest): number {
  if (a.tenantId !== b.tenantId) return a.tenantId < b.tenantId ? -1 : 1;
  return a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
}

/** The run's new status, result and error, when the append ends the run. */
function outcomeColumns(request: AppendRequest) {
  const outcome = request.outcome;
  return {
    status: outcome?.status ?? null,
    result: outcome?.status === 'completed' ? JSON.stringify(outcome.result) : null,
    error: outcome === undefined || outcome.status === 'completed' ? null : JSON.stringify(outcome.error),
  };
}
