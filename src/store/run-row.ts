import type { RunRecord, RunStatus } from '../core/run.js';
import type { SerializedError } from '../core/serialized-error.js';
import type { ValueRef } from '../core/value-ref.js';

/** A `runs` row as the SQL drivers return it (SQLite gives 0/1 for booleans, PostgreSQL true/false). */
export interface RunRow {
  tenant_id: string;
  run_id: string;
  workflow: string;
  status: string;
  parent_run_id: string | null;
  last_seq: number;
  fence: number;
  lease_owner: string | null;
  available_at: number | null;
  wake_seq: number;
  cancel_requested: number | boolean;
  cancel_reason: string | null;
  result: string | null;
  error: string | null;
  attention: string | null;
  created_at: number;
  updated_at: number;
}

export function toRunRecord(row: RunRow): RunRecord {
  const status = row.status as RunStatus;
  return {
    tenantId: row.tenant_id,
    runId: row.run_id,
    workflow: row.workflow,
    status,
    parentRunId: row.parent_run_id ?? undefined,
    lastSeq: row.last_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    wakeAt: status === 'waiting' ? (row.available_at ?? undefined) : undefined,
    leaseOwner: row.lease_owner ?? undefined,
    cancelRequested: Boolean(row.cancel_requested),
    cancelReason: row.cancel_reason ?? undefined,
    result: row.result === null ? undefined : (JSON.parse(row.result) as ValueRef),
    error: row.error === null ? undefined : (JSON.parse(row.error) as SerializedError),
    attention: row.attention ?? undefined,
  };
}
