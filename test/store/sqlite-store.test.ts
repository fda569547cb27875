import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/temp-dir.js';
import { runStoreConformance } from './run-store-conformance.js';

const dir = tempDir();
const LATEST = SQLITE_MIGRATIONS.length;
let counter = 0;
runStoreConformance('SQLite', () => new SqliteStore({ path: join(dir, `conformance-${++counter}.db`) }));

describe('SqliteStore', () => {
  it('creates the database file and its folders on first use, in WAL mode', async () => {
    const path = join(dir, 'nested', 'deeper', 'cairn.db');
    const store = await openStore(`sqlite:${path}`);
    await store.close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: LATEST });
    db.close();
  });

  it('opens the same file twice without re-applying migrations', async () => {
    const path = join(dir, 'twice.db');
    await new SqliteStore({ path }).close();
    await new SqliteStore({ path }).close();
    const db = new Database(path);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: LATEST });
    db.close();
  });

  it('upgrades a database made by an older version, keeping its runs', async () => {
    const path = join(dir, 'older.db');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    db.exec(SQLITE_MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, 0)').run();
    db.prepare(
      "INSERT INTO runs (tenant_id, run_id, workflow, status, available_at, created_at, updated_at) VALUES ('default', 'old', 'wf', 'runnable', 0, 0, 0)",
    ).run();
    db.close();
    const store = new SqliteStore({ path });
    expect((await store.getRun('default', 'old'))?.workflow).toBe('wf');
    expect(await store.listApprovals({ tenantId: 'default' })).toEqual([]);
    await store.close();
  });

  it('refuses a database whose schema is newer than this code', async () => {
    const path = join(dir, 'newer.db');
    await new SqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)').run();
    db.close();
    expect(() => new SqliteStore({ path })).toThrow(/schema version 99/);
  });

  it('rejects store URLs it does not understand, saying what to use', async () => {
    for (const url of ['mysql://x', 'sqlite:', 'sqlite:a.db?synchronous=sometimes']) {
      try {
        await openStore(url);
        expect.unreachable(`${url} should be refused`);
      } catch (error) {
        expect(isCairnError(error, 'invalid_store_url')).toBe(true);
        expect((error as Error).message).toMatch(/sqlite:|synchronous/);
      }
    }
  });
});
