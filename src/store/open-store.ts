import { CairnError } from '../core/errors.js';
import type { Store } from '../core/store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** Where the embedded store lives unless told otherwise. */
export const DEFAULT_STORE_URL = 'sqlite:.cairn/cairn.db';

/**
 * Opens a store from a URL: `sqlite:<path>` (or `sqlite::memory:`), with `?synchronous=full` for
 * power-loss safety. A bare path ending in `.db` or `.sqlite` is taken as SQLite.
 */
export function openStore(
  url: string = DEFAULT_STORE_URL,
  options: { createIfMissing?: boolean } = {},
): Store {
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
  if (/^postgres(ql)?:\/\//.test(location)) {
    throw new CairnError(
      'invalid_store_url',
      `Store URL ${url}: PostgreSQL is not available in this version of Cairn; use sqlite:<path>.`,
    );
  }
  throw new CairnError(
    'invalid_store_url',
    `Store URL ${JSON.stringify(url)} is not understood: use sqlite:<path> (for example ${DEFAULT_STORE_URL}).`,
  );
}
