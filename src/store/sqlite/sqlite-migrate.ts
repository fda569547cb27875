import type Database from 'better-sqlite3';
import { CairnError } from '../../core/errors.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

/**
 * Brings the database to the newest schema. Runs in one IMMEDIATE transaction, so processes that open
 * the same file at once apply each migration exactly once; refuses a database newer than this code.
 */
export function applySqliteMigrations(db: Database.Database): void {
  const latest = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > latest) {
      throw new CairnError(
        'store_schema_newer',
        `The database is at schema version ${current}, newer than this Cairn knows (${latest}). Upgrade Cairn, or point it at another database.`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, Date.now());
    }
  }).immediate();
}
