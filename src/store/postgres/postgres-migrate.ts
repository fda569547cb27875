import type pg from 'pg';
import { CairnError } from '../../core/errors.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';

/**
 * Brings the schema to the newest version, in one transaction under an advisory lock keyed on the
 * schema's name: processes starting at once take turns, so each migration is applied exactly once.
 * Refuses a database newer than this code.
 */
export async function applyPostgresMigrations(client: pg.ClientBase, schema: string): Promise<void> {
  const quoted = quoteIdentifier(schema);
  const latest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
  // Up to date already: nothing to lock or create (a role without DDL rights gets this far only).
  const installed = await installedVersion(client, quoted);
  if (installed === latest) return;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cairn:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT MAX(version) AS version FROM ${quoted}.schema_migrations`,
    );
    const current = rows[0]?.version ?? 0;
    if (current > latest) {
      throw new CairnError(
        'store_schema_newer',
        `Schema ${schema} is at version ${current}, newer than this Cairn knows (${latest}). Upgrade Cairn, or use another schema.`,
      );
    }
    for (const migration of POSTGRES_MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(migration.sql.replaceAll('__S__', quoted));
      await client.query(`INSERT INTO ${quoted}.schema_migrations (version, applied_at) VALUES ($1, $2)`, [
        migration.version,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function installedVersion(client: pg.ClientBase, quoted: string): Promise<number | undefined> {
  const { rows } = await client.query<{ present: string | null }>('SELECT to_regclass($1) AS present', [
    `${quoted}.schema_migrations`,
  ]);
  if (rows[0]?.present === null || rows[0] === undefined) return undefined;
  const version = await client.query<{ version: number | null }>(
    `SELECT MAX(version) AS version FROM ${quoted}.schema_migrations`,
  );
  return version.rows[0]?.version ?? undefined;
}

/** A schema name as an SQL identifier. Only plain names are accepted, so quoting is enough. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new CairnError(
      'invalid_store_url',
      `Schema name ${JSON.stringify(name)} is not valid: use lowercase letters, digits and '_' (at most 63).`,
    );
  }
  return `"${name}"`;
}
