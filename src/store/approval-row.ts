import type { ApprovalRecord, ApprovalStatus } from '../core/approval.js';

/** An `approvals` row as the SQL drivers return it. */
export interface ApprovalRow {
  tenant_id: string;
  approval_id: string;
  run_id: string;
  status: string;
  request: string;
  decision: string | null;
  requested_at: number;
  expires_at: number | null;
}

/** The approval a row describes. */
export function toApproval(row: ApprovalRow): ApprovalRecord {
  return {
    tenantId: row.tenant_id,
    approvalId: row.approval_id,
    runId: row.run_id,
    status: row.status as ApprovalStatus,
    request: JSON.parse(row.request) as ApprovalRecord['request'],
    requestedAt: row.requested_at,
    expiresAt: row.expires_at ?? undefined,
    decision: row.decision === null ? undefined : (JSON.parse(row.decision) as ApprovalRecord['decision']),
  };
}
