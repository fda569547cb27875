import pg from 'pg';

/** Undefined when the PostgreSQL server at `databaseUrl` answers; else why it does not. */
export async function postgresUnreachable(databaseUrl: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `no PostgreSQL at ${databaseUrl} (${(error as Error).message}); set CAIRN_BENCH_POSTGRES_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
