import type { RateGrant, RateRequest } from '../../core/store.js';
import { type BucketState, debitBucket, takeFromBucket } from '../../core/token-bucket.js';
import type { SqliteConnection } from './sqlite-connection.js';

/**
 * The `rate_buckets` table: token buckets shared by every process on the file. Each draw reads the
 * bucket and writes it back in one IMMEDIATE transaction, which holds the file's write lock from the
 * read on: two processes cannot both read the same balance and both spend it.
 */
export class SqliteRateBuckets {
  constructor(private readonly connection: SqliteConnection) {}

  take(request: RateRequest): RateGrant {
    return this.connection.immediate(() => {
      const { state, grant } = takeFromBucket(this.read(request), request);
      this.write(request, state);
      return grant;
    });
  }

  debit(request: RateRequest): void {
    this.connection.immediate(() => this.write(request, debitBucket(this.read(request), request)));
  }

  private read(request: RateRequest): BucketState | undefined {
    const row = this.connection
      .sql('SELECT balance, updated_at FROM rate_buckets WHERE tenant_id = ? AND key = ?')
      .get(request.tenantId, request.key) as { balance: number; updated_at: number } | undefined;
    return row === undefined ? undefined : { balance: row.balance, updatedAt: row.updated_at };
  }

  private write(request: RateRequest, state: BucketState): void {
    this.connection
      .sql(
        `INSERT INTO rate_buckets (tenant_id, key, balance, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, key) DO UPDATE SET balance = excluded.balance, updated_at = excluded.updated_at`,
      )
      .run(request.tenantId, request.key, state.balance, state.updatedAt);
  }
}
