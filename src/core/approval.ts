import type { JsonValue } from './value-ref.js';

/** Where an approval stands. `expired`: its timeout passed and its default decision was taken. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/** What a person decided (or what the timeout decided for them). */
export interface ApprovalDecision {
  readonly approved: boolean;
  /** Who decided: an approver's id, or `timeout` when the default was taken. */
  readonly by: string;
  /** Why (a rejection's reason reaches the model, so it can change course). */
  readonly reason?: string | undefined;
  /** Arguments the approver edited, to use instead of the requested ones. */
  readonly args?: JsonValue | undefined;
  readonly at: number;
}

/** A request for a person's decision, as the store keeps it (for listing and deciding from outside). */
export interface ApprovalRecord {
  readonly tenantId: string;
  readonly approvalId: string;
  readonly runId: string;
  readonly status: ApprovalStatus;
  /** What is asked: a title, and details such as the tool and its arguments. */
  readonly request: { readonly title: string; readonly details?: JsonValue | undefined };
  readonly requestedAt: number;
  readonly expiresAt: number | undefined;
  readonly decision: ApprovalDecision | undefined;
}

/** The inbox name under which a decision reaches its run. The `$` keeps it apart from user signals. */
export function approvalSignalName(approvalId: string): string {
  return `$approval:${approvalId}`;
}
