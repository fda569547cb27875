import type pg from 'pg';
import { type ApprovalRecord, approvalSignalName } from '../../core/approval.js';
import type { Blob, BlobEncoding } from '../../core/blob.js';
import { CairnError } from '../../core/errors.js';
import { decodeJournalEvent, encodeJournalEvent } from '../../core/journal-codec.js';
import { JOURNAL_VERSION, type StoredEvent } from '../../core/journal-event.js';
import type { RunRecord } from '../../core/run.js';
import type {
  AppendRequest,
  AppendResult,
  ApprovalQuery,
  ClaimedRun,
  ClaimRequest,
  CreateRunRequest,
  CreateRunResult,
  DecideApprovalRequest,
  LeaseRef,
  LeaseState,
  RateGrant,
  RateRequest,
  ReadEventsOptions,
  RenewLeasesRequest,
  RequestApprovalRequest,
  RunQuery,
  SendSignalRequest,
  Store,
  StoreCapabilities,
  StoredSignal,
  SuspendRequest,
  SuspendResult,
} from '../../core/store.js';
import type { ValueRef } from '../../core/value-ref.js';
import { type ApprovalRow, toApproval } from '../approval-row.js';
import { unpackBlob } from '../blob-packing.js';
import { type RunRow, toRunRecord } from '../run-row.js';
import { AppendBatcher } from './append-batcher.js';
import { PostgresAppends, packBlobRows } from './postgres-append.js';
import { ALL_TENANTS, PostgresConnection, type PostgresConnectionOptions } from './postgres-connection.js';
import { PostgresRateBuckets } from './postgres-rate-buckets.js';
import { runNotFound, staleWriter } from './postgres-refusals.js';
import { PostgresWakeups } from './postgres-wakeups.js';

export type PostgresStoreOptions = PostgresConnectionOptions;

const LIVE = `('runnable','running','waiting','needs_attention')`;
const WAKE = `wake_seq = wake_seq + 1,
  status = CASE WHEN status IN ('waiting','needs_attention') THEN 'runnable' ELSE status END,
  available_at = CASE WHEN status IN ('waiting','needs_attention','runnable') THEN $3::bigint ELSE available_at END,
  updated_at = $3::bigint`;

/**
 * The distributed store: PostgreSQL, shared by any number of workers on any number of machines.
 * Claiming takes runs with `FOR UPDATE SKIP LOCKED`, so workers never wait on each other's claims;
 * every change that makes a run claimable notifies the schema's channel, so workers start woken runs
 * within milliseconds instead of at their next poll. Appends run as one server-side function call.
 */
export class PostgresStore implements Store {
  readonly capabilities: StoreCapabilities = { concurrentWriters: true, pushWakeups: true };
  private readonly wakeups: PostgresWakeups;
  private readonly channel: string;
  private readonly appends: AppendBatcher;
  private readonly rateBuckets: PostgresRateBuckets;

  private constructor(
    private readonly db: PostgresConnection,
    url: string,
  ) {
    this.channel = `cairn_wake_${db.schema}`;
    this.wakeups = new PostgresWakeups(url, this.channel);
    this.appends = new AppendBatcher(new PostgresAppends(db, this.channel));
    this.rateBuckets = new PostgresRateBuckets(db);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    return new PostgresStore(await PostgresConnection.open(options), options.url);
  }

  get schema(): string {
    return this.db.schema;
  }

  async createRun(request: CreateRunRequest): Promise<CreateRunResult> {
    const { s } = this.db;
    return this.db.transaction(request.tenantId, async (client) => {
      const lease = request.leaseTo;
      const inserted = await client.query<RunRow>(
        `INSERT INTO ${s}.runs (tenant_id, run_id, workflow, status, parent_run_id, last_seq, fence, lease_owner,
           available_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT DO NOTHING RETURNING *`,
        [
          request.tenantId,
          request.runId,
          request.workflow,
          lease === undefined ? 'runnable' : 'running',
          request.parentRunId ?? null,
          request.events.length,
          lease === undefined ? 0 : 1,
          lease?.workerId ?? null,
          request.now + (lease?.leaseMs ?? 0),
          request.now,
        ],
      );
      const row = inserted.rows[0];
      if (row === undefined) {
        const existing = await client.query<RunRow>(
          `SELECT * FROM ${s}.runs WHERE tenant_id = $1 AND run_id = $2`,
          [request.tenantId, request.runId],
        );
        return { created: false, run: toRunRecord(existing.rows[0]!) };
      }
      await this.insertBlobs(client, request.tenantId, request.blobs);
      await client.query(
        `INSERT INTO ${s}.events (tenant_id, run_id, seq, kind, v, body, at)
         SELECT $1, $2, e.ord, e.kind, $5, e.body, $6 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS e(kind, body, ord)`,
        [
          request.tenantId,
          request.runId,
          request.events.map((event) => event.kind),
          request.events.map(encodeJournalEvent),
          JOURNAL_VERSION,
          request.now,
        ],
      );
      if (lease === undefined) await this.notify(client);
      const run = toRunRecord(row);
      const claimed =
        lease === undefined
          ? undefined
          : {
              ...leaseOf(row),
              workflow: run.workflow,
              parentRunId: run.parentRunId,
              lastSeq: run.lastSeq,
              wakeSeq: 0,
              cancelRequested: false,
            };
      return { created: true, run, claimed };
    });
  }

  async getRun(tenantId: string, runId: string): Promise<RunRecord | undefined> {
    const rows = await this.db.query<RunRow>(
      tenantId,
      `SELECT * FROM ${this.db.s}.runs WHERE tenant_id = $1 AND run_id = $2`,
      [tenantId, runId],
    );
    return rows[0] === undefined ? undefined : toRunRecord(rows[0]);
  }

  async listRuns(query: RunQuery): Promise<RunRecord[]> {
    const values: unknown[] = [query.tenantId];
    const where = ['tenant_id = $1'];
    const add = (clause: (n: string) => string, value: unknown) => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (query.status !== undefined) add((n) => `status = ANY(${n}::text[])`, query.status);
    if (query.workflow !== undefined) add((n) => `workflow = ${n}`, query.workflow);
    if (query.parentRunId !== undefined) add((n) => `parent_run_id = ${n}`, query.parentRunId);
    if (query.before !== undefined) {
      values.push(query.before.createdAt, query.before.runId);
      where.push(`(created_at, run_id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(query.limit ?? 100);
    const rows = await this.db.query<RunRow>(
      query.tenantId,
      `SELECT * FROM ${this.db.s}.runs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, run_id DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(toRunRecord);
  }

  async readEvents(
    tenantId: string,
    runId: string,
    afterSeq = 0,
    options: ReadEventsOptions = {},
  ): Promise<StoredEvent[]> {
    const rows = await this.db.query<{ seq: number; v: number; body: string; at: number }>(
      tenantId,
      `SELECT seq, v, body, at FROM ${this.db.s}.events
       WHERE tenant_id = $1 AND run_id = $2 AND seq > $3 AND ($4::text[] IS NULL OR kind = ANY($4::text[]))
       ORDER BY seq LIMIT $5`,
      [tenantId, runId, afterSeq, options.kinds ?? null, options.limit ?? null],
    );
    return rows.map((row) => ({
      seq: row.seq,
      at: row.at,
      event: decodeJournalEvent(row.v, row.body, `Event ${row.seq} of run ${runId}`),
    }));
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    return this.appends.submit(request);
  }

  async putBlobs(tenantId: string, blobs: readonly Blob[]): Promise<void> {
    await this.db.transaction(tenantId, (client) => this.insertBlobs(client, tenantId, blobs));
  }

  async getBlobs(tenantId: string, hashes: readonly string[]): Promise<Map<string, Blob>> {
    const rows = await this.db.query<{
      hash: string;
      encoding: BlobEncoding;
      packing: 'none' | 'deflate';
      data: Buffer;
    }>(
      tenantId,
      `SELECT hash, encoding, packing, data FROM ${this.db.s}.blobs WHERE tenant_id = $1 AND hash = ANY($2::text[])`,
      [tenantId, hashes],
    );
    return new Map(
      rows.map((row) => [
        row.hash,
        { hash: row.hash, encoding: row.encoding, data: unpackBlob(row.packing, row.data) },
      ]),
    );
  }

  async claim(request: ClaimRequest): Promise<ClaimedRun[]> {
    const { s } = this.db;
    const rows = await this.db.query<RunRow>(
      ALL_TENANTS,
      `UPDATE ${s}.runs r SET status = 'running', lease_owner = $1, available_at = $2 + $3, fence = r.fence + 1, updated_at = $2
       FROM (SELECT tenant_id, run_id FROM ${s}.runs
             WHERE available_at <= $2 AND ($5::text[] IS NULL OR workflow = ANY($5::text[]))
               AND ($6::text IS NULL OR (tenant_id = $6 AND run_id = $7))
             ORDER BY available_at LIMIT $4 FOR UPDATE SKIP LOCKED) c
       WHERE r.tenant_id = c.tenant_id AND r.run_id = c.run_id
       RETURNING r.*`,
      [
        request.workerId,
        request.now,
        request.leaseMs,
        request.limit,
        request.workflows ?? null,
        request.only?.tenantId ?? null,
        request.only?.runId ?? null,
      ],
    );
    return rows.map((row) => ({
      ...leaseOf(row),
      workflow: row.workflow,
      parentRunId: row.parent_run_id ?? undefined,
      lastSeq: row.last_seq,
      wakeSeq: row.wake_seq,
      cancelRequested: Boolean(row.cancel_requested),
    }));
  }

  async renewLeases(request: RenewLeasesRequest): Promise<LeaseState[]> {
    if (request.leases.length === 0) return [];
    const rows = await this.db.query<{ tenant_id: string; run_id: string; cancel_requested: boolean }>(
      ALL_TENANTS,
      // Rows are locked in run order, as batched appends lock them, so that the two never deadlock.
      `UPDATE ${this.db.s}.runs r SET available_at = $2
       FROM (SELECT x.tenant_id, x.run_id FROM ${this.db.s}.runs x
             JOIN unnest($3::text[], $4::text[], $5::bigint[]) AS l(tenant_id, run_id, fence)
               ON x.tenant_id = l.tenant_id AND x.run_id = l.run_id AND x.fence = l.fence
             WHERE x.lease_owner = $1
             ORDER BY x.tenant_id COLLATE "C", x.run_id COLLATE "C" FOR UPDATE OF x) c
       WHERE r.tenant_id = c.tenant_id AND r.run_id = c.run_id
       RETURNING r.tenant_id, r.run_id, r.cancel_requested`,
      [
        request.workerId,
        request.now + request.leaseMs,
        request.leases.map((lease) => lease.tenantId),
        request.leases.map((lease) => lease.runId),
        request.leases.map((lease) => lease.fence),
      ],
    );
    const held = new Map(rows.map((row) => [`${row.tenant_id}/${row.run_id}`, row.cancel_requested]));
    return request.leases.map((lease) => {
      const cancel = held.get(`${lease.tenantId}/${lease.runId}`);
      return {
        tenantId: lease.tenantId,
        runId: lease.runId,
        held: cancel !== undefined,
        cancelRequested: cancel === true,
      };
    });
  }

  async suspend(request: SuspendRequest): Promise<SuspendResult> {
    return this.db.transaction(request.tenantId, async (client) => {
      const { rows } = await client.query<{ status: string }>(
        `UPDATE ${this.db.s}.runs SET
           status       = CASE WHEN wake_seq = $4 THEN $5::text ELSE 'runnable' END,
           available_at = CASE WHEN wake_seq = $4 THEN $6::bigint ELSE $7::bigint END,
           attention    = CASE WHEN wake_seq = $4 THEN $8::text ELSE NULL END,
           lease_owner = NULL, updated_at = $7::bigint
         WHERE tenant_id = $1 AND run_id = $2 AND fence = $3 AND lease_owner IS NOT NULL
         RETURNING status`,
        [
          request.tenantId,
          request.runId,
          request.fence,
          request.seenWakeSeq,
          request.status,
          request.wakeAt ?? null,
          request.now,
          request.attention ?? null,
        ],
      );
      if (rows[0] === undefined) throw staleWriter(request);
      const woken = rows[0].status === 'runnable';
      if (woken) await this.notify(client);
      return { woken };
    });
  }

  async release(request: LeaseRef & { readonly now: number }): Promise<void> {
    await this.db.transaction(request.tenantId, async (client) => {
      await client.query(
        `UPDATE ${this.db.s}.runs SET status = 'runnable', available_at = $4, lease_owner = NULL, updated_at = $4
         WHERE tenant_id = $1 AND run_id = $2 AND fence = $3 AND lease_owner IS NOT NULL`,
        [request.tenantId, request.runId, request.fence, request.now],
      );
      await this.notify(client);
    });
  }

  async expireLeases(owners: readonly string[], now: number): Promise<number> {
    return this.db.transaction(ALL_TENANTS, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE ${this.db.s}.runs SET available_at = $2 WHERE lease_owner = ANY($1::text[]) AND status = 'running'`,
        [owners, now],
      );
      await this.notify(client);
      return rowCount ?? 0;
    });
  }

  async leaseOwners(): Promise<string[]> {
    const rows = await this.db.query<{ lease_owner: string }>(
      ALL_TENANTS,
      `SELECT DISTINCT lease_owner FROM ${this.db.s}.runs WHERE available_at IS NOT NULL AND lease_owner IS NOT NULL`,
    );
    return rows.map((row) => row.lease_owner);
  }

  async countClaimable(now: number, workflows?: readonly string[]): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      ALL_TENANTS,
      `SELECT COUNT(*)::int AS n FROM ${this.db.s}.runs
       WHERE available_at <= $1 AND ($2::text[] IS NULL OR workflow = ANY($2::text[]))`,
      [now, workflows ?? null],
    );
    return rows[0]?.n ?? 0;
  }

  async sendSignal(request: SendSignalRequest): Promise<{ readonly signalId: number }> {
    return this.db.transaction(request.tenantId, async (client) => {
      const woken = await client.query(
        `UPDATE ${this.db.s}.runs SET ${WAKE} WHERE tenant_id = $1 AND run_id = $2`,
        [request.tenantId, request.runId, request.now],
      );
      if (woken.rowCount === 0) throw runNotFound(request.runId);
      await this.insertBlobs(client, request.tenantId, request.blobs);
      const signalId = await this.insertSignal(
        client,
        request.tenantId,
        request.runId,
        request.name,
        JSON.stringify(request.payload),
        request.now,
      );
      await this.notify(client);
      return { signalId };
    });
  }

  async readSignals(tenantId: string, runId: string, afterId = 0): Promise<StoredSignal[]> {
    const rows = await this.db.query<{
      signal_id: number;
      name: string;
      payload: string;
      created_at: number;
    }>(
      tenantId,
      `SELECT signal_id, name, payload, created_at FROM ${this.db.s}.signals
       WHERE tenant_id = $1 AND run_id = $2 AND signal_id > $3 ORDER BY signal_id`,
      [tenantId, runId, afterId],
    );
    return rows.map((row) => ({
      signalId: row.signal_id,
      name: row.name,
      payload: JSON.parse(row.payload) as ValueRef,
      at: row.created_at,
    }));
  }

  async requestCancel(
    tenantId: string,
    runId: string,
    now: number,
    reason?: string,
  ): Promise<RunRecord | undefined> {
    await this.db.transaction(tenantId, async (client) => {
      await client.query(
        `UPDATE ${this.db.s}.runs SET cancel_requested = true, cancel_reason = COALESCE(cancel_reason, $4), ${WAKE}
         WHERE tenant_id = $1 AND run_id = $2 AND status IN ${LIVE}`,
        [tenantId, runId, now, reason ?? null],
      );
      await this.notify(client);
    });
    return this.getRun(tenantId, runId);
  }

  async requestApproval(request: RequestApprovalRequest): Promise<ApprovalRecord> {
    const { s } = this.db;
    return this.db.transaction(request.tenantId, async (client) => {
      await client.query(
        `INSERT INTO ${s}.approvals (tenant_id, approval_id, run_id, status, request, requested_at, expires_at)
         VALUES ($1, $2, $3, 'pending', $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          request.tenantId,
          request.approvalId,
          request.runId,
          JSON.stringify(request.request),
          request.now,
          request.expiresAt ?? null,
        ],
      );
      const { rows } = await client.query<ApprovalRow>(
        `SELECT * FROM ${s}.approvals WHERE tenant_id = $1 AND approval_id = $2`,
        [request.tenantId, request.approvalId],
      );
      return toApproval(rows[0]!);
    });
  }

  async getApproval(tenantId: string, approvalId: string): Promise<ApprovalRecord | undefined> {
    const rows = await this.db.query<ApprovalRow>(
      tenantId,
      `SELECT * FROM ${this.db.s}.approvals WHERE tenant_id = $1 AND approval_id = $2`,
      [tenantId, approvalId],
    );
    return rows[0] === undefined ? undefined : toApproval(rows[0]);
  }

  async listApprovals(query: ApprovalQuery): Promise<ApprovalRecord[]> {
    const rows = await this.db.query<ApprovalRow>(
      query.tenantId,
      `SELECT * FROM ${this.db.s}.approvals
       WHERE tenant_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[])) AND ($3::text IS NULL OR run_id = $3)
       ORDER BY requested_at, approval_id LIMIT $4`,
      [query.tenantId, query.status ?? null, query.runId ?? null, query.limit ?? 100],
    );
    return rows.map(toApproval);
  }

  async decideApproval(
    request: DecideApprovalRequest,
  ): Promise<{ approval: ApprovalRecord; decided: boolean }> {
    const { s } = this.db;
    return this.db.transaction(request.tenantId, async (client) => {
      const updated = await client.query<ApprovalRow>(
        `UPDATE ${s}.approvals SET status = $3, decision = $4, decided_at = $5
         WHERE tenant_id = $1 AND approval_id = $2 AND status = 'pending' RETURNING *`,
        [request.tenantId, request.approvalId, request.status, JSON.stringify(request.decision), request.now],
      );
      const row = updated.rows[0];
      if (row === undefined) {
        const { rows } = await client.query<ApprovalRow>(
          `SELECT * FROM ${s}.approvals WHERE tenant_id = $1 AND approval_id = $2`,
          [request.tenantId, request.approvalId],
        );
        if (rows[0] === undefined)
          throw new CairnError(
            'approval_not_found',
            `No approval with id ${JSON.stringify(request.approvalId)}.`,
          );
        return { approval: toApproval(rows[0]), decided: false };
      }
      const payload = JSON.stringify({ inline: request.decision });
      await this.insertSignal(
        client,
        request.tenantId,
        row.run_id,
        approvalSignalName(request.approvalId),
        payload,
        request.now,
      );
      await client.query(`UPDATE ${s}.runs SET ${WAKE} WHERE tenant_id = $1 AND run_id = $2`, [
        request.tenantId,
        row.run_id,
        request.now,
      ]);
      await this.notify(client);
      return { approval: toApproval(row), decided: true };
    });
  }

  takeRate(request: RateRequest): Promise<RateGrant> {
    return this.rateBuckets.take(request);
  }

  debitRate(request: RateRequest): Promise<void> {
    return this.rateBuckets.debit(request);
  }

  watchWakeups(listener: () => void): Promise<() => Promise<void>> {
    return this.wakeups.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.wakeups.close();
    await this.db.close();
  }

  private async insertBlobs(client: pg.ClientBase, tenantId: string, blobs: readonly Blob[]): Promise<void> {
    if (blobs.length === 0) return;
    const rows = packBlobRows(blobs);
    await client.query(
      `INSERT INTO ${this.db.s}.blobs (tenant_id, hash, encoding, size, packing, data)
       SELECT $1, b.h, b.e, b.z, b.k, b.d FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::bytea[]) AS b(h, e, z, k, d)
       ON CONFLICT DO NOTHING`,
      [
        tenantId,
        rows.map((row) => row.hash),
        rows.map((row) => row.encoding),
        rows.map((row) => row.size),
        rows.map((row) => row.packing),
        rows.map((row) => row.data),
      ],
    );
  }

  private async insertSignal(
    client: pg.ClientBase,
    tenantId: string,
    runId: string,
    name: string,
    payload: string,
    now: number,
  ): Promise<number> {
    const { rows } = await client.query<{ signal_id: number }>(
      `INSERT INTO ${this.db.s}.signals (tenant_id, run_id, name, payload, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING signal_id`,
      [tenantId, runId, name, payload, now],
    );
    return rows[0]!.signal_id;
  }

  /** Tells listening workers, at commit, that a run may be claimable. */
  private async notify(client: pg.ClientBase): Promise<void> {
    await client.query('SELECT pg_notify($1, $2)', [this.channel, '']);
  }
}

function leaseOf(row: RunRow): LeaseRef {
  return { tenantId: row.tenant_id, runId: row.run_id, fence: row.fence };
}
