import pg from 'pg';

/** Drops `schema` on the server of `databaseUrl` (if it exists), for a measurement to start empty. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Cairn's store address for `schema` on the server of `databaseUrl`. */
export function storeAddress(databaseUrl: string, schema: string, pool?: number): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', schema);
  if (pool !== undefined) url.searchParams.set('pool', String(pool));
  return url.toString();
}

/** How many runs of the schema have ended (completed or failed). */
export async function countFinished(client: pg.Client, schema: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM "${schema}".runs WHERE status IN ('completed', 'failed')`,
  );
  return Number(rows[0]!.n);
}
