import type { ApprovalRecord } from '../core/approval.js';
import { formatTable } from './format-table.js';
import { isoTime, preview, truncate } from './format-value.js';

const DETAILS_WIDTH = 60;

/**
 * The `approvals list` table. Pending approvals show what is asked; with `decided`, who decided, when
 * and why are added.
 */
export function formatApprovalTable(approvals: readonly ApprovalRecord[], decided: boolean): string[] {
  const header = ['ID', 'RUN', 'STATUS', 'REQUESTED', 'ASKS', 'DETAILS'];
  if (decided) header.push('BY', 'DECIDED', 'REASON');
  const rows = approvals.map((approval) => {
    const row = [
      approval.approvalId,
      approval.runId,
      approval.status,
      isoTime(approval.requestedAt),
      approval.request.title,
      detailsOf(approval),
    ];
    if (decided) {
      const decision = approval.decision;
      row.push(decision?.by ?? '-', isoTime(decision?.at), truncate(decision?.reason ?? '', DETAILS_WIDTH));
    }
    return row;
  });
  return formatTable(header, rows);
}

/** A tool approval asks about the call's arguments: show those; otherwise whatever details it has. */
function detailsOf(approval: ApprovalRecord): string {
  const details = approval.request.details as { args?: unknown } | undefined | null;
  const shown = details !== null && typeof details === 'object' && 'args' in details ? details.args : details;
  return shown === undefined ? '' : preview(shown, DETAILS_WIDTH);
}

/** A one-line account of a decision just taken. */
export function decisionLine(approval: ApprovalRecord): string {
  const decision = approval.decision;
  const reason = decision?.reason === undefined ? '' : `: ${decision.reason}`;
  const edited =
    decision?.args === undefined ? '' : ` with arguments ${preview(decision.args, DETAILS_WIDTH)}`;
  return `Approval ${approval.approvalId} (${approval.request.title}, run ${approval.runId}) ${approval.status} by ${decision?.by ?? '?'}${edited}${reason}.`;
}
