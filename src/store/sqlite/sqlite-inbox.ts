import type { SqliteConnection } from './sqlite-connection.js';

/** A waiting run (or one stopped for attention) becomes runnable when woken. */
export const WAKE_STATUS = `CASE WHEN status IN ('waiting','needs_attention') THEN 'runnable' ELSE status END`;
/** ... and claimable now; a running run keeps its lease expiry. */
export const WAKE_AT = `CASE WHEN status IN ('waiting','needs_attention','runnable') THEN @now ELSE available_at END`;

/** Bumps the run's inbox counter and makes it claimable if it was waiting. False if there is no such run. */
export function wakeRun(connection: SqliteConnection, tenantId: string, runId: string, now: number): boolean {
  return (
    connection
      .sql(
        `UPDATE runs SET wake_seq = wake_seq + 1, status = ${WAKE_STATUS}, available_at = ${WAKE_AT}, updated_at = @now
         WHERE tenant_id = @tenantId AND run_id = @runId`,
      )
      .run({ tenantId, runId, now }).changes === 1
  );
}

/** Puts a signal in a run's inbox (the caller wakes the run, in the same transaction). */
export function insertSignal(
  connection: SqliteConnection,
  signal: { tenantId: string; runId: string; name: string; payload: string; now: number },
): number {
  const inserted = connection
    .sql('INSERT INTO signals (tenant_id, run_id, name, payload, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(signal.tenantId, signal.runId, signal.name, signal.payload, signal.now);
  return Number(inserted.lastInsertRowid);
}
