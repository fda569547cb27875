import type { ApprovalRecord } from '../../core/approval.js';
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
import { type BlobPacking, packBlob, unpackBlob } from '../blob-packing.js';
import { type RunRow, toRunRecord } from '../run-row.js';
import { SqliteApprovals } from './sqlite-approvals.js';
import { SqliteConnection, type SqliteConnectionOptions } from './sqlite-connection.js';
import { insertSignal, WAKE_AT, WAKE_STATUS, wakeRun } from './sqlite-inbox.js';
import { SqliteRateBuckets } from './sqlite-rate-buckets.js';

export type SqliteStoreOptions = SqliteConnectionOptions;

/** A run's journal length: the journal is the truth, so no counter on `runs` needs updating per append. */
const LAST_SEQ =
  '(SELECT MAX(seq) FROM events e WHERE e.tenant_id = runs.tenant_id AND e.run_id = runs.run_id)';
const LIVE = `('runnable','running','waiting','needs_attention')`;

/**
 * The embedded store: one SQLite file in WAL mode, shared safely by the processes of one machine.
 * better-sqlite3 is synchronous, so each method runs to completion without interleaving; writes that
 * must be atomic run in `BEGIN IMMEDIATE` transactions, which also serialize writers across processes.
 */
export class SqliteStore implements Store {
  readonly capabilities: StoreCapabilities = { concurrentWriters: false, pushWakeups: false };
  readonly path: string;
  private readonly connection: SqliteConnection;
  private readonly approvals: SqliteApprovals;
  private readonly rateBuckets: SqliteRateBuckets;

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.connection = new SqliteConnection(options);
    this.approvals = new SqliteApprovals(this.connection);
    this.rateBuckets = new SqliteRateBuckets(this.connection);
  }

  async createRun(request: CreateRunRequest): Promise<CreateRunResult> {
    return this.connection.immediate((): CreateRunResult => {
      const inserted = this.connection
        .sql(
          `INSERT INTO runs (tenant_id, run_id, workflow, status, parent_run_id, fence, lease_owner, available_at, created_at, updated_at)
           VALUES (@tenantId, @runId, @workflow, @status, @parentRunId, @fence, @owner, @availableAt, @now, @now)
           ON CONFLICT DO NOTHING`,
        )
        .run({
          tenantId: request.tenantId,
          runId: request.runId,
          workflow: request.workflow,
          status: request.leaseTo === undefined ? 'runnable' : 'running',
          parentRunId: request.parentRunId ?? null,
          fence: request.leaseTo === undefined ? 0 : 1,
          owner: request.leaseTo?.workerId ?? null,
          availableAt: request.now + (request.leaseTo?.leaseMs ?? 0),
          now: request.now,
        });
      if (inserted.changes === 1) {
        this.insertBlobs(request.tenantId, request.blobs);
        this.insertEvents(request.tenantId, request.runId, 0, request.events, request.now);
      }
      if (inserted.changes === 0)
        return { created: false, run: this.mustGetRun(request.tenantId, request.runId) };
      const run: RunRecord = {
        tenantId: request.tenantId,
        runId: request.runId,
        workflow: request.workflow,
        status: request.leaseTo === undefined ? 'runnable' : 'running',
        parentRunId: request.parentRunId,
        lastSeq: request.events.length,
        createdAt: request.now,
        updatedAt: request.now,
        wakeAt: undefined,
        leaseOwner: request.leaseTo?.workerId,
        cancelRequested: false,
        result: undefined,
        error: undefined,
        attention: undefined,
      };
      const claimed =
        request.leaseTo === undefined
          ? undefined
          : {
              tenantId: run.tenantId,
              runId: run.runId,
              workflow: run.workflow,
              parentRunId: run.parentRunId,
              fence: 1,
              lastSeq: run.lastSeq,
              wakeSeq: 0,
              cancelRequested: false,
            };
      return { created: true, run, claimed };
    });
  }

  async getRun(tenantId: string, runId: string): Promise<RunRecord | undefined> {
    return this.findRun(tenantId, runId);
  }

  async listRuns(query: RunQuery): Promise<RunRecord[]> {
    const where = ['tenant_id = @tenantId'];
    if (query.status !== undefined) where.push('status IN (SELECT value FROM json_each(@status))');
    if (query.workflow !== undefined) where.push('workflow = @workflow');
    if (query.parentRunId !== undefined) where.push('parent_run_id = @parentRunId');
    if (query.before !== undefined) where.push('(created_at, run_id) < (@beforeCreatedAt, @beforeRunId)');
    const rows = this.connection
      .sql(
        `SELECT *, ${LAST_SEQ} AS last_seq FROM runs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, run_id DESC LIMIT @limit`,
      )
      .all({
        tenantId: query.tenantId,
        status: query.status === undefined ? null : JSON.stringify(query.status),
        workflow: query.workflow ?? null,
        parentRunId: query.parentRunId ?? null,
        beforeCreatedAt: query.before?.createdAt ?? null,
        beforeRunId: query.before?.runId ?? null,
        limit: query.limit ?? 100,
      }) as RunRow[];
    return rows.map(toRunRecord);
  }

  async readEvents(
    tenantId: string,
    runId: string,
    afterSeq = 0,
    options: ReadEventsOptions = {},
  ): Promise<StoredEvent[]> {
    const kinds = options.kinds === undefined ? '' : 'AND kind IN (SELECT value FROM json_each(@kinds))';
    const rows = this.connection
      .sql(
        `SELECT seq, v, body, at FROM events WHERE tenant_id = @tenantId AND run_id = @runId AND seq > @afterSeq ${kinds}
       ORDER BY seq LIMIT @limit`,
      )
      .all({
        tenantId,
        runId,
        afterSeq,
        kinds: options.kinds === undefined ? null : JSON.stringify(options.kinds),
        limit: options.limit ?? -1,
      }) as { seq: number; v: number; body: string; at: number }[];
    return rows.map((row) => ({
      seq: row.seq,
      at: row.at,
      event: decodeJournalEvent(row.v, row.body, `Event ${row.seq} of run ${runId}`),
    }));
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    return this.connection.immediate((): AppendResult => {
      const run = this.connection
        .sql(
          `SELECT ${LAST_SEQ} AS last_seq, fence, lease_owner, cancel_requested, parent_run_id FROM runs
           WHERE tenant_id = ? AND run_id = ?`,
        )
        .get(request.tenantId, request.runId) as
        | Pick<RunRow, 'last_seq' | 'fence' | 'lease_owner' | 'cancel_requested' | 'parent_run_id'>
        | undefined;
      if (run === undefined) throw runNotFound(request.runId);
      if (run.fence !== request.fence || run.lease_owner === null) throw staleWriter(request);
      if (run.last_seq !== request.expectedSeq) {
        throw new CairnError(
          'sequence_conflict',
          `Run ${request.runId} has ${run.last_seq} events, but the writer expected ${request.expectedSeq}; another writer got there first.`,
        );
      }
      this.insertBlobs(request.tenantId, request.blobs);
      this.insertEvents(request.tenantId, request.runId, request.expectedSeq, request.events, request.now);
      const lastSeq = request.expectedSeq + request.events.length;
      const outcome = request.outcome;
      if (outcome !== undefined) {
        this.connection
          .sql(
            `UPDATE runs SET status = @status, result = @result, error = @error, attention = NULL,
               lease_owner = NULL, available_at = NULL, updated_at = @now
             WHERE tenant_id = @tenantId AND run_id = @runId`,
          )
          .run({
            status: outcome.status,
            result: outcome.status === 'completed' ? JSON.stringify(outcome.result) : null,
            error: outcome.status === 'completed' ? null : JSON.stringify(outcome.error),
            now: request.now,
            tenantId: request.tenantId,
            runId: request.runId,
          });
        if (run.parent_run_id !== null)
          wakeRun(this.connection, request.tenantId, run.parent_run_id, request.now);
      }
      return { lastSeq, cancelRequested: run.cancel_requested === 1 };
    });
  }

  async putBlobs(tenantId: string, blobs: readonly Blob[]): Promise<void> {
    this.connection.immediate(() => this.insertBlobs(tenantId, blobs));
  }

  async getBlobs(tenantId: string, hashes: readonly string[]): Promise<Map<string, Blob>> {
    const found = new Map<string, Blob>();
    const statement = this.connection.sql(
      'SELECT hash, encoding, packing, data FROM blobs WHERE tenant_id = ? AND hash = ?',
    );
    for (const hash of hashes) {
      const row = statement.get(tenantId, hash) as
        | { hash: string; encoding: BlobEncoding; packing: BlobPacking; data: string | Buffer }
        | undefined;
      if (row !== undefined)
        found.set(row.hash, { hash, encoding: row.encoding, data: unpackBlob(row.packing, row.data) });
    }
    return found;
  }

  async claim(request: ClaimRequest): Promise<ClaimedRun[]> {
    const filters = ['available_at <= @now'];
    if (request.workflows !== undefined)
      filters.push('workflow IN (SELECT value FROM json_each(@workflows))');
    if (request.only !== undefined) filters.push('tenant_id = @onlyTenant AND run_id = @onlyRun');
    // Find candidates without a write lock; the UPDATE re-checks each one, so a run another process
    // claimed in between is simply skipped.
    const candidates = this.connection
      .sql(
        `SELECT tenant_id, run_id FROM runs WHERE ${filters.join(' AND ')} ORDER BY available_at LIMIT @limit`,
      )
      .all({
        now: request.now,
        limit: request.limit,
        workflows: request.workflows === undefined ? null : JSON.stringify(request.workflows),
        onlyTenant: request.only?.tenantId ?? null,
        onlyRun: request.only?.runId ?? null,
      }) as Pick<RunRow, 'tenant_id' | 'run_id'>[];
    if (candidates.length === 0) return [];
    const take = this.connection.sql(
      `UPDATE runs SET status = 'running', lease_owner = @workerId, available_at = @expiresAt,
         fence = fence + 1, updated_at = @now
       WHERE tenant_id = @tenantId AND run_id = @runId AND available_at <= @now
       RETURNING tenant_id, run_id, workflow, parent_run_id, fence, wake_seq, cancel_requested, ${LAST_SEQ} AS last_seq`,
    );
    const rows = this.connection.immediate(() =>
      candidates.flatMap((candidate) => {
        const row = take.get({
          tenantId: candidate.tenant_id,
          runId: candidate.run_id,
          workerId: request.workerId,
          expiresAt: request.now + request.leaseMs,
          now: request.now,
        }) as RunRow | undefined;
        return row === undefined ? [] : [row];
      }),
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      runId: row.run_id,
      workflow: row.workflow,
      parentRunId: row.parent_run_id ?? undefined,
      fence: row.fence,
      lastSeq: row.last_seq,
      wakeSeq: row.wake_seq,
      cancelRequested: row.cancel_requested === 1,
    }));
  }

  async renewLeases(request: RenewLeasesRequest): Promise<LeaseState[]> {
    const renew = this.connection.sql(
      `UPDATE runs SET available_at = @expiresAt
       WHERE tenant_id = @tenantId AND run_id = @runId AND fence = @fence AND lease_owner = @workerId
       RETURNING cancel_requested`,
    );
    return this.connection.immediate(() =>
      request.leases.map((lease): LeaseState => {
        const row = renew.get({
          tenantId: lease.tenantId,
          runId: lease.runId,
          fence: lease.fence,
          workerId: request.workerId,
          expiresAt: request.now + request.leaseMs,
        }) as { cancel_requested: number } | undefined;
        return {
          tenantId: lease.tenantId,
          runId: lease.runId,
          held: row !== undefined,
          cancelRequested: row?.cancel_requested === 1,
        };
      }),
    );
  }

  async suspend(request: SuspendRequest): Promise<SuspendResult> {
    const row = this.connection
      .sql(
        `UPDATE runs SET
         status       = CASE WHEN wake_seq = @seen THEN @status ELSE 'runnable' END,
         available_at = CASE WHEN wake_seq = @seen THEN @wakeAt ELSE @now END,
         attention    = CASE WHEN wake_seq = @seen THEN @attention ELSE NULL END,
         lease_owner = NULL, updated_at = @now
       WHERE tenant_id = @tenantId AND run_id = @runId AND fence = @fence AND lease_owner IS NOT NULL
       RETURNING status`,
      )
      .get({
        tenantId: request.tenantId,
        runId: request.runId,
        fence: request.fence,
        seen: request.seenWakeSeq,
        status: request.status,
        wakeAt: request.wakeAt ?? null,
        attention: request.attention ?? null,
        now: request.now,
      }) as { status: string } | undefined;
    if (row === undefined) throw staleWriter(request);
    return { woken: row.status === 'runnable' };
  }

  async release(request: LeaseRef & { readonly now: number }): Promise<void> {
    this.connection
      .sql(
        `UPDATE runs SET status = 'runnable', available_at = @now, lease_owner = NULL, updated_at = @now
       WHERE tenant_id = @tenantId AND run_id = @runId AND fence = @fence AND lease_owner IS NOT NULL`,
      )
      .run({ tenantId: request.tenantId, runId: request.runId, fence: request.fence, now: request.now });
  }

  async expireLeases(owners: readonly string[], now: number): Promise<number> {
    return this.connection
      .sql(
        `UPDATE runs SET available_at = @now
       WHERE available_at IS NOT NULL AND lease_owner IN (SELECT value FROM json_each(@owners)) AND status = 'running'`,
      )
      .run({ owners: JSON.stringify(owners), now }).changes;
  }

  async leaseOwners(): Promise<string[]> {
    // Leased runs always have available_at set (their lease expiry), so the partial index finds them.
    const rows = this.connection
      .sql('SELECT DISTINCT lease_owner FROM runs WHERE available_at IS NOT NULL AND lease_owner IS NOT NULL')
      .all() as {
      lease_owner: string;
    }[];
    return rows.map((row) => row.lease_owner);
  }

  async countClaimable(now: number, workflows?: readonly string[]): Promise<number> {
    return this.connection
      .sql(
        `SELECT COUNT(*) AS n FROM runs WHERE available_at <= @now
         AND (@workflows IS NULL OR workflow IN (SELECT value FROM json_each(@workflows)))`,
      )
      .pluck()
      .get({ now, workflows: workflows === undefined ? null : JSON.stringify(workflows) }) as number;
  }

  async sendSignal(request: SendSignalRequest): Promise<{ readonly signalId: number }> {
    return this.connection.immediate(() => {
      if (!wakeRun(this.connection, request.tenantId, request.runId, request.now))
        throw runNotFound(request.runId);
      this.insertBlobs(request.tenantId, request.blobs);
      const payload = JSON.stringify(request.payload);
      return { signalId: insertSignal(this.connection, { ...request, payload }) };
    });
  }

  async readSignals(tenantId: string, runId: string, afterId = 0): Promise<StoredSignal[]> {
    const rows = this.connection
      .sql(
        `SELECT signal_id, name, payload, created_at FROM signals
       WHERE tenant_id = ? AND run_id = ? AND signal_id > ? ORDER BY signal_id`,
      )
      .all(tenantId, runId, afterId) as {
      signal_id: number;
      name: string;
      payload: string;
      created_at: number;
    }[];
    return rows.map((row) => ({
      signalId: row.signal_id,
      name: row.name,
      payload: JSON.parse(row.payload) as ValueRef,
      at: row.created_at,
    }));
  }

  async requestApproval(request: RequestApprovalRequest): Promise<ApprovalRecord> {
    return this.approvals.request(request);
  }

  async getApproval(tenantId: string, approvalId: string): Promise<ApprovalRecord | undefined> {
    return this.approvals.get(tenantId, approvalId);
  }

  async listApprovals(query: ApprovalQuery): Promise<ApprovalRecord[]> {
    return this.approvals.list(query);
  }

  async decideApproval(
    request: DecideApprovalRequest,
  ): Promise<{ approval: ApprovalRecord; decided: boolean }> {
    return this.approvals.decide(request);
  }

  async requestCancel(
    tenantId: string,
    runId: string,
    now: number,
    reason?: string,
  ): Promise<RunRecord | undefined> {
    this.connection
      .sql(
        `UPDATE runs SET cancel_requested = 1, cancel_reason = COALESCE(cancel_reason, @reason), wake_seq = wake_seq + 1, status = ${WAKE_STATUS},
         available_at = ${WAKE_AT}, updated_at = @now
       WHERE tenant_id = @tenantId AND run_id = @runId AND status IN ${LIVE}`,
      )
      .run({ tenantId, runId, now, reason: reason ?? null });
    return this.findRun(tenantId, runId);
  }

  async takeRate(request: RateRequest): Promise<RateGrant> {
    return this.rateBuckets.take(request);
  }

  async debitRate(request: RateRequest): Promise<void> {
    this.rateBuckets.debit(request);
  }

  /** SQLite cannot tell other processes when a run becomes claimable (`pushWakeups` is false). */
  async watchWakeups(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {
    this.connection.close();
  }

  private insertEvents(
    tenantId: string,
    runId: string,
    afterSeq: number,
    events: AppendRequest['events'],
    now: number,
  ): void {
    const insert = this.connection.sql(
      'INSERT INTO events (tenant_id, run_id, seq, kind, v, body, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    events.forEach((event, index) => {
      insert.run(
        tenantId,
        runId,
        afterSeq + index + 1,
        event.kind,
        JOURNAL_VERSION,
        encodeJournalEvent(event),
        now,
      );
    });
  }

  private insertBlobs(tenantId: string, blobs: readonly Blob[]): void {
    if (blobs.length === 0) return;
    const exists = this.connection.sql('SELECT 1 FROM blobs WHERE tenant_id = ? AND hash = ?').pluck();
    const insert = this.connection.sql(
      'INSERT INTO blobs (tenant_id, hash, encoding, size, packing, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    for (const blob of blobs) {
      // Stored once per tenant: a blob already there costs a lookup, not a compression.
      if (exists.get(tenantId, blob.hash) !== undefined) continue;
      const { packing, stored } = packBlob(blob.data);
      insert.run(tenantId, blob.hash, blob.encoding, Buffer.byteLength(blob.data), packing, stored);
    }
  }

  private findRun(tenantId: string, runId: string): RunRecord | undefined {
    const row = this.connection
      .sql(`SELECT *, ${LAST_SEQ} AS last_seq FROM runs WHERE tenant_id = ? AND run_id = ?`)
      .get(tenantId, runId) as RunRow | undefined;
    return row === undefined ? undefined : toRunRecord(row);
  }

  private mustGetRun(tenantId: string, runId: string): RunRecord {
    const run = this.findRun(tenantId, runId);
    if (run === undefined) throw runNotFound(runId);
    return run;
  }
}

function runNotFound(runId: string): CairnError {
  return new CairnError('run_not_found', `No run with id ${JSON.stringify(runId)} in this tenant.`, {
    details: { runId },
  });
}

function staleWriter(lease: LeaseRef): CairnError {
  return new CairnError(
    'stale_writer',
    `The lease on run ${lease.runId} (fence ${lease.fence}) is no longer held: another worker claimed the run. This writer must stop.`,
    { details: { runId: lease.runId, fence: lease.fence } },
  );
}
