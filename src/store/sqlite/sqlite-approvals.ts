import { type ApprovalRecord, approvalSignalName } from '../../core/approval.js';
import type { ApprovalQuery, DecideApprovalRequest, RequestApprovalRequest } from '../../core/store.js';
import { type ApprovalRow, toApproval } from '../approval-row.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { insertSignal, wakeRun } from './sqlite-inbox.js';

/** The `approvals` table: requests for a person's decision, listed and decided from outside the run. */
export class SqliteApprovals {
  constructor(private readonly connection: SqliteConnection) {}

  request(request: RequestApprovalRequest): ApprovalRecord {
    this.connection
      .sql(
        `INSERT INTO approvals (tenant_id, approval_id, run_id, status, request, requested_at, expires_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        request.tenantId,
        request.approvalId,
        request.runId,
        JSON.stringify(request.request),
        request.now,
        request.expiresAt ?? null,
      );
    return this.mustGet(request.tenantId, request.approvalId);
  }

  get(tenantId: string, approvalId: string): ApprovalRecord | undefined {
    const row = this.connection
      .sql('SELECT * FROM approvals WHERE tenant_id = ? AND approval_id = ?')
      .get(tenantId, approvalId) as ApprovalRow | undefined;
    return row === undefined ? undefined : toApproval(row);
  }

  list(query: ApprovalQuery): ApprovalRecord[] {
    const where = ['tenant_id = @tenantId'];
    if (query.status !== undefined) where.push('status IN (SELECT value FROM json_each(@status))');
    if (query.runId !== undefined) where.push('run_id = @runId');
    const rows = this.connection
      .sql(
        `SELECT * FROM approvals WHERE ${where.join(' AND ')} ORDER BY requested_at, approval_id LIMIT @limit`,
      )
      .all({
        tenantId: query.tenantId,
        status: query.status === undefined ? null : JSON.stringify(query.status),
        runId: query.runId ?? null,
        limit: query.limit ?? 100,
      }) as ApprovalRow[];
    return rows.map(toApproval);
  }

  /** Records the decision and sends it to the run, atomically, if the approval is still pending. */
  decide(request: DecideApprovalRequest): { approval: ApprovalRecord; decided: boolean } {
    return this.connection.immediate(() => {
      const updated = this.connection
        .sql(
          `UPDATE approvals SET status = ?, decision = ?, decided_at = ?
           WHERE tenant_id = ? AND approval_id = ? AND status = 'pending'`,
        )
        .run(
          request.status,
          JSON.stringify(request.decision),
          request.now,
          request.tenantId,
          request.approvalId,
        );
      const approval = this.mustGet(request.tenantId, request.approvalId);
      if (updated.changes === 0) return { approval, decided: false };
      insertSignal(this.connection, {
        tenantId: request.tenantId,
        runId: approval.runId,
        name: approvalSignalName(request.approvalId),
        payload: JSON.stringify({ inline: request.decision }),
        now: request.now,
      });
      wakeRun(this.connection, request.tenantId, approval.runId, request.now);
      return { approval, decided: true };
    });
  }

  private mustGet(tenantId: string, approvalId: string): ApprovalRecord {
    const approval = this.get(tenantId, approvalId);
    if (approval === undefined) throw new Error(`approval ${approvalId} vanished inside its own transaction`);
    return approval;
  }
}
