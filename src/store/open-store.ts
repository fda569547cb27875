import { CairnError } from '../core/errors.js';
import type { Store } from '../core/store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** Where the embedded store lives unless told otherwise. */
export const DEFAULT_STORE_URL = 'sqlite:.cairn/cairn.db';

/**
 * Opens a store from a URL: `sqlite:<path>` (or `sqlite::memory:`), with `?synchronous=full` for
 * power-loss safety; a bare path ending in `.db` or `.sqlite` is taken as SQLite. `postgres://...`
 * (or `postgresql://`) opens PostgreSQL, with `?schema=<name>` (default `cairn`) and `&pool=<n>`.
 */
export async function openStore(
  url: string = DEFAULT_STORE_URL,
  options: { createIfMissing?: boolean } = {},
): Promise<Store> {
  const [location = '', query = ''] = url.split('?', 2);
  const params = new URLSearchParams(query);
  const synchronous = params.get('synchronous') ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new CairnError('invalid_store_url', `Store URL ${url}: synchronous must be 'normal' or 'full'.`);
  }
  if (location.startsWith('sqlite:')) {
    const path = location.slice('sqlite:'.length);
    if (path === '')
      throw new CairnError('invalid_store_url', `Store URL ${url} names no file: use sqlite:<path>.`);
    return new SqliteStore({ path, synchronous, ...options });
  }
  if (/\.(db|sqlite3?)$/.test(location)) return new SqliteStore({ path: location, synchronous, ...options });
  if (/^postgres(ql)?:\/\//.test(location)) return openPostgres(url);
  throw new CairnError(
    'invalid_store_url',
    `Store URL ${JSON.stringify(url)} is not understood: use sqlite:<path> (for example ${DEFAULT_STORE_URL}).`,
  );
}

async function openPostgres(url: string): Promise<Store> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  const pool = parsed.searchParams.get('pool');
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  if (pool !== null && !(Number.isInteger(Number(pool)) && Number(pool) > 0)) {
    throw new CairnError('invalid_store_url', `Store URL ${url}: pool must be a positive integer.`);
  }
  try {
    return await PostgresStore.open({
      url: parsed.toString(),
      schema,
      poolSize: pool === null ? undefined : Number(pool),
    });
  } catch (error) {
    if (error instanceof CairnError) throw error;
    throw new CairnError(
      'store_not_found',
      `Cannot open the PostgreSQL store at ${parsed.host}${parsed.pathname}: ${(error as Error).message}. Check the URL and that the server is running.`,
      { cause: error },
    );
  }
}
