import pg from 'pg';
import { applyPostgresMigrations, quoteIdentifier } from './postgres-migrate.js';

export interface PostgresConnectionOptions {
  /** A `postgres://` URL. */
  readonly url: string;
  /** The schema Cairn's tables live in. Default `cairn`. */
  readonly schema?: string;
  /** Connections in the pool. Default 10. */
  readonly poolSize?: number;
}

/** Cross-tenant work (claiming, leases) runs with this tenant scope; tenant-bound work names its tenant. */
export const ALL_TENANTS = '*';

/**
 * A pool of connections to one schema, migrated at open. Times are epoch milliseconds in BIGINT
 * columns, read back as numbers (this pool's own type parser, not the process-wide one).
 *
 * When the role Cairn connects as does not own the tables (nor bypass row-level security), every query
 * runs in a transaction that first names its tenant, so the tenant policies apply: a query that forgot
 * its tenant filter still sees only that tenant's rows.
 */
export class PostgresConnection {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** `"schema"`, ready to prefix table names. */
  readonly s: string;
  /** True when row-level security applies to this role, so queries must name their tenant. */
  private scoped = false;

  private constructor(options: PostgresConnectionOptions) {
    this.schema = options.schema ?? 'cairn';
    this.s = quoteIdentifier(this.schema);
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)),
      } as pg.CustomTypesConfig,
    });
    // An idle connection that dies (a restarted server) must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  static async open(options: PostgresConnectionOptions): Promise<PostgresConnection> {
    const connection = new PostgresConnection(options);
    const client = await connection.pool.connect();
    try {
      await applyPostgresMigrations(client, connection.schema);
      connection.scoped = await rowSecurityApplies(client, connection.schema);
    } finally {
      client.release();
    }
    return connection;
  }

  /** Runs one statement in `tenant`'s scope. */
  async query<R extends pg.QueryResultRow>(
    tenant: string,
    text: string,
    values: unknown[] = [],
  ): Promise<R[]> {
    if (!this.scoped) return (await this.pool.query<R>(text, values)).rows;
    return this.transaction(tenant, async (client) => (await client.query<R>(text, values)).rows);
  }

  /** Runs `work` in one transaction, in `tenant`'s scope. */
  async transaction<T>(tenant: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (this.scoped) await client.query("SELECT set_config('cairn.tenant', $1, true)", [tenant]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function rowSecurityApplies(client: pg.ClientBase, schema: string): Promise<boolean> {
  const { rows } = await client.query<{ applies: boolean }>(
    `SELECT NOT (r.rolsuper OR r.rolbypassrls OR t.tableowner = current_user) AS applies
     FROM pg_roles r, pg_tables t
     WHERE r.rolname = current_user AND t.schemaname = $1 AND t.tablename = 'runs'`,
    [schema],
  );
  return rows[0]?.applies ?? false;
}
