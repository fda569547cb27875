import Database from 'better-sqlite3';

/**
 * The rate-limited API, as the rate-limit tests see it: a SQLite file that Cairn knows nothing about,
 * where every call leaves the time it was made and the process that made it. Several processes write
 * to it at once; reading it back shows how fast the API was really called, all processes together.
 */
export class CallTimesLedger {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS calls (key TEXT NOT NULL, at INTEGER NOT NULL, pid INTEGER NOT NULL)',
    );
  }

  /** A call of the API, now. */
  call(key: string): void {
    this.db.prepare('INSERT INTO calls (key, at, pid) VALUES (?, ?, ?)').run(key, Date.now(), process.pid);
  }

  /** Every call, oldest first. */
  calls(): { key: string; at: number; pid: number }[] {
    return this.db.prepare('SELECT key, at, pid FROM calls ORDER BY at').all() as {
      key: string;
      at: number;
      pid: number;
    }[];
  }

  close(): void {
    this.db.close();
  }
}
