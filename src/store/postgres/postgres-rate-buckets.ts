import type pg from 'pg';
import type { RateGrant, RateRequest } from '../../core/store.js';
import { type BucketState, debitBucket, takeFromBucket } from '../../core/token-bucket.js';
import { ALL_TENANTS, type PostgresConnection } from './postgres-connection.js';

/**
 * The `rate_buckets` table: token buckets shared by every worker on the schema. Each draw locks the
 * bucket's row, applies the bucket arithmetic, and writes the row back in one transaction, so
 * concurrent takers queue on the row and none spends a balance another already spent. Workers draw
 * across tenants (a bucket may be shared by all), so in the cross-tenant scope, as claims are.
 */
export class PostgresRateBuckets {
  constructor(private readonly db: PostgresConnection) {}

  take(request: RateRequest): Promise<RateGrant> {
    return this.db.transaction(ALL_TENANTS, async (client) => {
      const { state, grant } = takeFromBucket(await this.lock(client, request), request);
      await this.write(client, request, state);
      return grant;
    });
  }

  debit(request: RateRequest): Promise<void> {
    return this.db.transaction(ALL_TENANTS, async (client) => {
      await this.write(client, request, debitBucket(await this.lock(client, request), request));
    });
  }

  /**
   * Creates the bucket full if it is new, and locks its row either way (the no-op update takes the row
   * lock, and waits for a concurrent creator to commit): one round trip, and no window between a
   * check for the row and its creation in which two first takers could both find the bucket full.
   */
  private async lock(client: pg.ClientBase, request: RateRequest): Promise<BucketState> {
    const { rows } = await client.query<{ balance: number; updated_at: number }>(
      `INSERT INTO ${this.db.s}.rate_buckets AS b (tenant_id, key, balance, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, key) DO UPDATE SET balance = b.balance
       RETURNING balance, updated_at`,
      [request.tenantId, request.key, request.capacity, request.now],
    );
    const row = rows[0]!;
    return { balance: row.balance, updatedAt: row.updated_at };
  }

  private async write(client: pg.ClientBase, request: RateRequest, state: BucketState): Promise<void> {
    await client.query(
      `UPDATE ${this.db.s}.rate_buckets SET balance = $3, updated_at = $4 WHERE tenant_id = $1 AND key = $2`,
      [request.tenantId, request.key, state.balance, state.updatedAt],
    );
  }
}
