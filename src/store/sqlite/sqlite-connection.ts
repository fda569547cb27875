import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CairnError } from '../../core/errors.js';
import { applySqliteMigrations } from './sqlite-migrate.js';

export interface SqliteConnectionOptions {
  /** A file path, or `:memory:`. Parent folders are created. */
  readonly path: string;
  /**
   * `normal` (default) survives a killed process at any instant: a commit is in the WAL before it returns.
   * `full` also survives power loss, at several times the cost per commit.
   */
  readonly synchronous?: 'normal' | 'full';
  /** Create the file if it does not exist (default). False: refuse, saying where it looked. */
  readonly createIfMissing?: boolean;
  /** How long a writer waits for another process's transaction before giving up. Default 5 s. */
  readonly busyTimeoutMs?: number;
}

/**
 * One better-sqlite3 connection, opened in WAL mode and migrated, with prepared statements compiled once
 * per SQL text and a reusable `BEGIN IMMEDIATE` transaction runner.
 */
export class SqliteConnection {
  readonly db: Database.Database;
  /** Runs `work` in a BEGIN IMMEDIATE transaction (the wrapper is built once: building it is not free). */
  readonly immediate: <T>(work: () => T) => T;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(options: SqliteConnectionOptions) {
    const create = options.createIfMissing ?? true;
    if (options.path !== ':memory:' && !create && !existsSync(options.path)) {
      throw new CairnError(
        'store_not_found',
        `No Cairn store at ${options.path}. Run from the folder that holds .cairn/, or name the store with --store sqlite:<path> (or CAIRN_STORE).`,
      );
    }
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
    // Checkpoint the WAL every ~40 MB rather than every ~4 MB: a checkpoint copies pages and syncs the
    // file, and doing it less often takes a tenth off every commit. The last connection to close
    // checkpoints what is left.
    this.db.pragma('wal_autocheckpoint = 10000');
    applySqliteMigrations(this.db);
    const transaction = this.db.transaction((work: () => unknown) => work());
    this.immediate = <T>(work: () => T): T => transaction.immediate(work) as T;
  }

  /** The prepared statement for this SQL text, compiled on first use. */
  sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
