/**
 * The PostgreSQL schema, as numbered migrations applied in order (see postgres-migrate.ts). `__S__` is
 * the schema's quoted name. Never edit a migration that has shipped; add the next number.
 *
 * Scheduling works as in the SQLite store: `available_at` is when a run may be claimed (runnable,
 * lease expiry, timer), NULL when only an event can wake it. Row-level security keys every table on the
 * tenant named by the transaction's `cairn.tenant` setting (`*` for a worker's cross-tenant work); it
 * applies when Cairn connects as a role that does not own the tables.
 */
export const POSTGRES_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE __S__.runs (
        tenant_id        TEXT    NOT NULL,
        run_id           TEXT    NOT NULL,
        workflow         TEXT    NOT NULL,
        status           TEXT    NOT NULL,
        parent_run_id    TEXT,
        last_seq         BIGINT  NOT NULL DEFAULT 0,
        fence            BIGINT  NOT NULL DEFAULT 0,
        lease_owner      TEXT,
        available_at     BIGINT,
        wake_seq         BIGINT  NOT NULL DEFAULT 0,
        cancel_requested BOOLEAN NOT NULL DEFAULT false,
        cancel_reason    TEXT,
        result           TEXT,
        error            TEXT,
        attention        TEXT,
        created_at       BIGINT  NOT NULL,
        updated_at       BIGINT  NOT NULL,
        PRIMARY KEY (tenant_id, run_id)
      );
      CREATE INDEX runs_available ON __S__.runs (available_at) WHERE available_at IS NOT NULL;
      CREATE INDEX runs_by_created ON __S__.runs (tenant_id, created_at DESC, run_id DESC);
      CREATE INDEX runs_by_parent ON __S__.runs (tenant_id, parent_run_id) WHERE parent_run_id IS NOT NULL;

      CREATE TABLE __S__.events (
        tenant_id TEXT    NOT NULL,
        run_id    TEXT    NOT NULL,
        seq       BIGINT  NOT NULL,
        kind      TEXT    NOT NULL,
        v         INTEGER NOT NULL,
        body      TEXT    NOT NULL,
        at        BIGINT  NOT NULL,
        PRIMARY KEY (tenant_id, run_id, seq)
      );

      CREATE TABLE __S__.blobs (
        tenant_id TEXT    NOT NULL,
        hash      TEXT    NOT NULL,
        encoding  TEXT    NOT NULL,
        size      INTEGER NOT NULL,
        packing   TEXT    NOT NULL,
        data      BYTEA   NOT NULL,
        PRIMARY KEY (tenant_id, hash)
      );

      CREATE TABLE __S__.signals (
        signal_id  BIGSERIAL PRIMARY KEY,
        tenant_id  TEXT   NOT NULL,
        run_id     TEXT   NOT NULL,
        name       TEXT   NOT NULL,
        payload    TEXT   NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX signals_by_run ON __S__.signals (tenant_id, run_id, signal_id);

      CREATE TABLE __S__.approvals (
        tenant_id    TEXT   NOT NULL,
        approval_id  TEXT   NOT NULL,
        run_id       TEXT   NOT NULL,
        status       TEXT   NOT NULL,
        request      TEXT   NOT NULL,
        decision     TEXT,
        requested_at BIGINT NOT NULL,
        expires_at   BIGINT,
        decided_at   BIGINT,
        PRIMARY KEY (tenant_id, approval_id)
      );
      CREATE INDEX approvals_by_status ON __S__.approvals (tenant_id, status, requested_at);

      CREATE FUNCTION __S__.tenant_visible(tenant TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
        SELECT current_setting('cairn.tenant', true) = '*' OR tenant = current_setting('cairn.tenant', true)
      $$;
      ALTER TABLE __S__.runs ENABLE ROW LEVEL SECURITY;
      ALTER TABLE __S__.events ENABLE ROW LEVEL SECURITY;
      ALTER TABLE __S__.blobs ENABLE ROW LEVEL SECURITY;
      ALTER TABLE __S__.signals ENABLE ROW LEVEL SECURITY;
      ALTER TABLE __S__.approvals ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_rows ON __S__.runs USING (__S__.tenant_visible(tenant_id)) WITH CHECK (__S__.tenant_visible(tenant_id));
      CREATE POLICY tenant_rows ON __S__.events USING (__S__.tenant_visible(tenant_id)) WITH CHECK (__S__.tenant_visible(tenant_id));
      CREATE POLICY tenant_rows ON __S__.blobs USING (__S__.tenant_visible(tenant_id)) WITH CHECK (__S__.tenant_visible(tenant_id));
      CREATE POLICY tenant_rows ON __S__.signals USING (__S__.tenant_visible(tenant_id)) WITH CHECK (__S__.tenant_visible(tenant_id));
      CREATE POLICY tenant_rows ON __S__.approvals USING (__S__.tenant_visible(tenant_id)) WITH CHECK (__S__.tenant_visible(tenant_id));

      -- An append in one round trip: check the fence and the sequence under the run's row lock, store
      -- the blobs and the events, record the outcome, wake the parent. Raises 'cairn:<code>' on refusal.
      CREATE FUNCTION __S__.append_events(
        p_tenant TEXT, p_run TEXT, p_fence BIGINT, p_expected BIGINT,
        p_kinds TEXT[], p_bodies TEXT[], p_version INTEGER, p_now BIGINT,
        p_blob_hashes TEXT[], p_blob_encodings TEXT[], p_blob_sizes INTEGER[], p_blob_packings TEXT[], p_blob_data BYTEA[],
        p_status TEXT, p_result TEXT, p_error TEXT, p_channel TEXT)
      RETURNS TABLE (last_seq BIGINT, cancel_requested BOOLEAN) LANGUAGE plpgsql AS $$
      DECLARE
        r RECORD;
        n INTEGER := coalesce(array_length(p_kinds, 1), 0);
      BEGIN
        PERFORM set_config('cairn.tenant', p_tenant, true);
        SELECT x.last_seq, x.fence, x.lease_owner, x.cancel_requested, x.parent_run_id INTO r
          FROM __S__.runs x WHERE x.tenant_id = p_tenant AND x.run_id = p_run FOR UPDATE;
        IF NOT FOUND THEN RAISE EXCEPTION 'cairn:run_not_found'; END IF;
        IF r.fence <> p_fence OR r.lease_owner IS NULL THEN RAISE EXCEPTION 'cairn:stale_writer'; END IF;
        IF r.last_seq <> p_expected THEN RAISE EXCEPTION 'cairn:sequence_conflict:%', r.last_seq; END IF;
        IF p_blob_hashes IS NOT NULL THEN
          INSERT INTO __S__.blobs (tenant_id, hash, encoding, size, packing, data)
            SELECT p_tenant, b.h, b.e, b.z, b.k, b.d
            FROM unnest(p_blob_hashes, p_blob_encodings, p_blob_sizes, p_blob_packings, p_blob_data) AS b(h, e, z, k, d)
            ON CONFLICT DO NOTHING;
        END IF;
        INSERT INTO __S__.events (tenant_id, run_id, seq, kind, v, body, at)
          SELECT p_tenant, p_run, p_expected + e.ord, e.kind, p_version, e.body, p_now
          FROM unnest(p_kinds, p_bodies) WITH ORDINALITY AS e(kind, body, ord);
        IF p_status IS NULL THEN
          UPDATE __S__.runs x SET last_seq = p_expected + n WHERE x.tenant_id = p_tenant AND x.run_id = p_run;
        ELSE
          UPDATE __S__.runs x SET last_seq = p_expected + n, status = p_status, result = p_result, error = p_error,
              attention = NULL, lease_owner = NULL, available_at = NULL, updated_at = p_now
            WHERE x.tenant_id = p_tenant AND x.run_id = p_run;
          IF r.parent_run_id IS NOT NULL THEN
            UPDATE __S__.runs x SET wake_seq = x.wake_seq + 1,
                status = CASE WHEN x.status IN ('waiting', 'needs_attention') THEN 'runnable' ELSE x.status END,
                available_at = CASE WHEN x.status IN ('waiting', 'needs_attention', 'runnable') THEN p_now ELSE x.available_at END,
                updated_at = p_now
              WHERE x.tenant_id = p_tenant AND x.run_id = r.parent_run_id;
            PERFORM pg_notify(p_channel, '');
          END IF;
        END IF;
        RETURN QUERY SELECT p_expected + n, r.cancel_requested;
      END $$;
    `,
  },
  {
    version: 2,
    sql: `
      -- Several appends, to different runs, in one round trip and one commit (see append-batcher.ts):
      -- each is checked and applied as append_events does, in the order given (the caller sorts by
      -- run, so that concurrent batches lock rows in one order). A refused append does not undo the
      -- others: it gets its refusal code in the result instead of an exception. Request i owns
      -- p_counts[i] events of the flattened p_kinds/p_bodies, in order; blobs are content-addressed
      -- and stored first for all.
      CREATE FUNCTION __S__.append_batch(
        p_tenants TEXT[], p_runs TEXT[], p_fences BIGINT[], p_expected BIGINT[], p_counts INTEGER[],
        p_nows BIGINT[], p_statuses TEXT[], p_results TEXT[], p_errors TEXT[],
        p_kinds TEXT[], p_bodies TEXT[], p_version INTEGER,
        p_blob_tenants TEXT[], p_blob_hashes TEXT[], p_blob_encodings TEXT[], p_blob_sizes INTEGER[],
        p_blob_packings TEXT[], p_blob_data BYTEA[], p_channel TEXT)
      RETURNS TABLE (last_seq BIGINT, cancel_requested BOOLEAN, refusal TEXT) LANGUAGE plpgsql AS $$
      DECLARE
        r RECORD;
        i INTEGER;
        n INTEGER;
        first INTEGER := 1;
      BEGIN
        IF p_blob_hashes IS NOT NULL THEN
          PERFORM set_config('cairn.tenant', '*', true);
          INSERT INTO __S__.blobs (tenant_id, hash, encoding, size, packing, data)
            SELECT b.t, b.h, b.e, b.z, b.k, b.d
            FROM unnest(p_blob_tenants, p_blob_hashes, p_blob_encodings, p_blob_sizes, p_blob_packings, p_blob_data)
              AS b(t, h, e, z, k, d)
            ON CONFLICT DO NOTHING;
        END IF;
        FOR i IN 1 .. coalesce(array_length(p_runs, 1), 0) LOOP
          n := p_counts[i];
          PERFORM set_config('cairn.tenant', p_tenants[i], true);
          SELECT x.last_seq, x.fence, x.lease_owner, x.cancel_requested, x.parent_run_id INTO r
            FROM __S__.runs x WHERE x.tenant_id = p_tenants[i] AND x.run_id = p_runs[i] FOR UPDATE;
          IF NOT FOUND THEN
            RETURN QUERY SELECT NULL::BIGINT, NULL::BOOLEAN, 'run_not_found'::TEXT;
          ELSIF r.fence <> p_fences[i] OR r.lease_owner IS NULL THEN
            RETURN QUERY SELECT NULL::BIGINT, NULL::BOOLEAN, 'stale_writer'::TEXT;
          ELSIF r.last_seq <> p_expected[i] THEN
            RETURN QUERY SELECT NULL::BIGINT, NULL::BOOLEAN, ('sequence_conflict:' || r.last_seq)::TEXT;
          ELSE
            INSERT INTO __S__.events (tenant_id, run_id, seq, kind, v, body, at)
              SELECT p_tenants[i], p_runs[i], p_expected[i] + e.ord, e.kind, p_version, e.body, p_nows[i]
              FROM unnest(p_kinds[first : first + n - 1], p_bodies[first : first + n - 1]) WITH ORDINALITY AS e(kind, body, ord);
            IF p_statuses[i] IS NULL THEN
              UPDATE __S__.runs x SET last_seq = p_expected[i] + n
                WHERE x.tenant_id = p_tenants[i] AND x.run_id = p_runs[i];
            ELSE
              UPDATE __S__.runs x SET last_seq = p_expected[i] + n, status = p_statuses[i], result = p_results[i],
                  error = p_errors[i], attention = NULL, lease_owner = NULL, available_at = NULL, updated_at = p_nows[i]
                WHERE x.tenant_id = p_tenants[i] AND x.run_id = p_runs[i];
              IF r.parent_run_id IS NOT NULL THEN
                UPDATE __S__.runs x SET wake_seq = x.wake_seq + 1,
                    status = CASE WHEN x.status IN ('waiting', 'needs_attention') THEN 'runnable' ELSE x.status END,
                    available_at = CASE WHEN x.status IN ('waiting', 'needs_attention', 'runnable') THEN p_nows[i] ELSE x.available_at END,
                    updated_at = p_nows[i]
                  WHERE x.tenant_id = p_tenants[i] AND x.run_id = r.parent_run_id;
                PERFORM pg_notify(p_channel, '');
              END IF;
            END IF;
            RETURN QUERY SELECT p_expected[i] + n, r.cancel_requested, NULL::TEXT;
          END IF;
          first := first + n;
        END LOOP;
      END $$;
    `,
  },
  {
    version: 3,
    sql: `
      -- Token buckets for rate limits shared by every worker on the schema (see token-bucket.ts).
      -- tenant_id is '*' for a bucket shared by all tenants. balance is negative while in debt.
      CREATE TABLE __S__.rate_buckets (
        tenant_id  TEXT             NOT NULL,
        key        TEXT             NOT NULL,
        balance    DOUBLE PRECISION NOT NULL,
        updated_at BIGINT           NOT NULL,
        PRIMARY KEY (tenant_id, key)
      );
      ALTER TABLE __S__.rate_buckets ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_rows ON __S__.rate_buckets USING (__S__.tenant_visible(tenant_id)) WITH CHECK (__S__.tenant_visible(tenant_id));
    `,
  },
];
