import Database from 'better-sqlite3';

/**
 * The outside world, as the crash tests see it: a SQLite file that Cairn knows nothing about, where
 * steps leave their side effects. Counting rows here shows what really happened, however often the
 * process running the workflows was killed.
 */
export class EffectsLedger {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS calls (step TEXT NOT NULL, key TEXT NOT NULL, pid INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS applied (key TEXT PRIMARY KEY, step TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS charges (id INTEGER PRIMARY KEY, key TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS notifications (id INTEGER PRIMARY KEY, key TEXT NOT NULL);
    `);
  }

  /** Counts a call of a step (pure steps may legitimately be called again), and which process made it. */
  call(step: string, key: string): void {
    this.db.prepare('INSERT INTO calls (step, key, pid) VALUES (?, ?, ?)').run(step, key, process.pid);
  }

  /** An idempotent API: applying the same key twice has the effect of applying it once. */
  applyOnce(step: string, key: string): void {
    this.call(step, key);
    this.db.prepare('INSERT INTO applied (key, step) VALUES (?, ?) ON CONFLICT DO NOTHING').run(key, step);
  }

  /** A non-idempotent API: every call charges again. Returns the charge id. */
  charge(key: string): number {
    this.call('charge', key);
    return Number(this.db.prepare('INSERT INTO charges (key) VALUES (?)').run(key).lastInsertRowid);
  }

  findCharge(key: string): number | undefined {
    const row = this.db.prepare('SELECT id FROM charges WHERE key = ?').get(key) as
      | { id: number }
      | undefined;
    return row?.id;
  }

  notify(key: string): void {
    this.call('notify', key);
    this.db.prepare('INSERT INTO notifications (key) VALUES (?)').run(key);
  }

  count(table: 'applied' | 'charges' | 'notifications', key: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE key = ?`).get(key) as { n: number }).n;
  }

  calls(step: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM calls WHERE step = ?').get(step) as { n: number }).n;
  }

  /** The processes that called steps, each with its number of calls. */
  callers(): Map<number, number> {
    const rows = this.db.prepare('SELECT pid, COUNT(*) AS n FROM calls GROUP BY pid').all() as {
      pid: number;
      n: number;
    }[];
    return new Map(rows.map((row) => [row.pid, row.n]));
  }

  close(): void {
    this.db.close();
  }
}
