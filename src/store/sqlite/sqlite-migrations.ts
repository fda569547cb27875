/**
 * The SQLite schema, as numbered migrations applied in order at open. Never edit a migration that has
 * shipped; add the next number. Every row carries `tenant_id`.
 *
 * `available_at` is the heart of scheduling: the time from which a run may be claimed. A runnable run has
 * it set to when it became runnable; a running run, to its lease expiry (so a dead worker's runs come
 * back); a waiting run, to its timer or timeout, or NULL when only a signal or a child can wake it; a
 * finished run, NULL. Claiming is then one indexed range scan.
 */
export const SQLITE_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runs (
        tenant_id        TEXT    NOT NULL,
        run_id           TEXT    NOT NULL,
        workflow         TEXT    NOT NULL,
        status           TEXT    NOT NULL,
        parent_run_id    TEXT,
        fence            INTEGER NOT NULL DEFAULT 0,
        lease_owner      TEXT,
        available_at     INTEGER,
        wake_seq         INTEGER NOT NULL DEFAULT 0,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        result           TEXT,
        error            TEXT,
        attention        TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, run_id)
      ) WITHOUT ROWID;
      CREATE INDEX runs_available ON runs (available_at) WHERE available_at IS NOT NULL;
      CREATE INDEX runs_by_created ON runs (tenant_id, created_at DESC, run_id DESC);
      CREATE INDEX runs_by_parent ON runs (tenant_id, parent_run_id) WHERE parent_run_id IS NOT NULL;

      -- One b-tree per event: bodies are small (values over INLINE_LIMIT are blobs). A run's length is
      -- MAX(seq), not a column of runs, so an append writes no runs row.
      CREATE TABLE events (
        tenant_id TEXT    NOT NULL,
        run_id    TEXT    NOT NULL,
        seq       INTEGER NOT NULL,
        kind      TEXT    NOT NULL,
        v         INTEGER NOT NULL,
        body      TEXT    NOT NULL,
        at        INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, run_id, seq)
      ) WITHOUT ROWID;

      -- A rowid table: blobs run to kilobytes, which a WITHOUT ROWID b-tree would push into overflow pages.
      CREATE TABLE blobs (
        tenant_id TEXT    NOT NULL,
        hash      TEXT    NOT NULL,
        encoding  TEXT    NOT NULL,
        size      INTEGER NOT NULL, -- bytes of the data before packing
        packing   TEXT    NOT NULL, -- 'none' (data is TEXT) or 'deflate' (data is a deflated BLOB)
        data      BLOB    NOT NULL,
        PRIMARY KEY (tenant_id, hash)
      );

      CREATE TABLE signals (
        signal_id  INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id  TEXT    NOT NULL,
        run_id     TEXT    NOT NULL,
        name       TEXT    NOT NULL,
        payload    TEXT    NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX signals_by_run ON signals (tenant_id, run_id, signal_id);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE approvals (
        tenant_id    TEXT    NOT NULL,
        approval_id  TEXT    NOT NULL,
        run_id       TEXT    NOT NULL,
        status       TEXT    NOT NULL,
        request      TEXT    NOT NULL,
        decision     TEXT,
        requested_at INTEGER NOT NULL,
        expires_at   INTEGER,
        decided_at   INTEGER,
        PRIMARY KEY (tenant_id, approval_id)
      ) WITHOUT ROWID;
      CREATE INDEX approvals_by_status ON approvals (tenant_id, status, requested_at);
      CREATE INDEX approvals_by_run ON approvals (tenant_id, run_id);
    `,
  },
  {
    version: 3,
    sql: 'ALTER TABLE runs ADD COLUMN cancel_reason TEXT;',
  },
  {
    version: 4,
    sql: `
      -- Token buckets for rate limits shared by every process on the store (see token-bucket.ts).
      -- tenant_id is '*' for a bucket shared by all tenants. balance is negative while in debt.
      CREATE TABLE rate_buckets (
        tenant_id  TEXT    NOT NULL,
        key        TEXT    NOT NULL,
        balance    REAL    NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, key)
      ) WITHOUT ROWID;
    `,
  },
];
