import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';

/** The PostgreSQL server the tests use (CAIRN_TEST_POSTGRES_URL, else the local default). */
export const POSTGRES_URL = process.env.CAIRN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const required = process.env.CAIRN_TEST_POSTGRES === 'required';
let reachable: Promise<string | undefined> | undefined;

/** Undefined when the server answers; else why it does not. */
function unreachable(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/**
 * `describe` for cases that need PostgreSQL. Without a server they are skipped with a notice saying how
 * to run them; with CAIRN_TEST_POSTGRES=required (as CI sets) a missing server fails the suite instead.
 */
export async function describePostgres(name: string, cases: () => void): Promise<void> {
  const why = await unreachable();
  if (why === undefined) {
    describe(name, cases);
    return;
  }
  if (required)
    throw new Error(`CAIRN_TEST_POSTGRES=required, but PostgreSQL at ${POSTGRES_URL} is unreachable: ${why}`);
  console.warn(
    `\n  ⚠ Skipping "${name}": no PostgreSQL at ${POSTGRES_URL} (${why}).\n` +
      '    Start one (or set CAIRN_TEST_POSTGRES_URL), and set CAIRN_TEST_POSTGRES=required to make these cases mandatory.\n',
  );
  describe.skip(name, cases);
}

const schemas: string[] = [];
afterAll(async () => {
  // Schemas named while collecting cases that were then skipped (no server) need no dropping.
  if (schemas.length === 0 || (await unreachable()) !== undefined) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

/** A schema name of its own for one test, dropped when the test file ends. */
export function freshSchema(prefix = 'cairn_test'): string {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  return schema;
}
