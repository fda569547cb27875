/**
 * Every failure Cairn raises on purpose is a `CairnError` with a string `code` from this closed list,
 * a message that says what to do about it, and the `cause` when there is one.
 *
 * The `kind` tells three families apart, because callers treat them differently:
 * - `expected`: the outside world said no (bad input, a step failed, a run not found). Handle it.
 * - `interruption`: work stopped on purpose (cancelled, lease lost, process shutting down). Let it unwind.
 * - `defect`: a bug or a broken invariant (corrupt journal, non-deterministic workflow code). Fix the code.
 */
export type CairnErrorCode =
  | 'invalid_argument'
  | 'invalid_duration'
  | 'invalid_store_url'
  | 'store_not_found'
  | 'not_serializable'
  | 'run_not_found'
  | 'run_exists'
  | 'run_finished'
  | 'nothing_to_resolve'
  | 'nothing_to_resume'
  | 'approval_not_found'
  | 'approval_decided'
  | 'workflow_not_found'
  | 'workflow_already_defined'
  | 'step_failed'
  | 'child_failed'
  | 'run_failed'
  | 'run_cancelled'
  | 'run_needs_attention'
  | 'signal_timeout'
  | 'stale_writer'
  | 'sequence_conflict'
  | 'lease_lost'
  | 'runtime_closed'
  | 'non_determinism'
  | 'journal_corrupt'
  | 'journal_version_unsupported'
  | 'store_schema_newer'
  | 'tool_timeout'
  | 'mcp_connect_failed'
  | 'mcp_timeout'
  | 'mcp_server_exited'
  | 'mcp_call_failed';

export type CairnErrorKind = 'expected' | 'interruption' | 'defect';

const KIND_BY_CODE: Record<CairnErrorCode, CairnErrorKind> = {
  invalid_argument: 'expected',
  invalid_duration: 'expected',
  invalid_store_url: 'expected',
  store_not_found: 'expected',
  not_serializable: 'expected',
  run_not_found: 'expected',
  run_exists: 'expected',
  run_finished: 'expected',
  nothing_to_resolve: 'expected',
  nothing_to_resume: 'expected',
  approval_not_found: 'expected',
  approval_decided: 'expected',
  workflow_not_found: 'expected',
  workflow_already_defined: 'expected',
  step_failed: 'expected',
  child_failed: 'expected',
  run_failed: 'expected',
  run_cancelled: 'interruption',
  run_needs_attention: 'expected',
  signal_timeout: 'expected',
  stale_writer: 'interruption',
  sequence_conflict: 'interruption',
  lease_lost: 'interruption',
  runtime_closed: 'interruption',
  non_determinism: 'defect',
  journal_corrupt: 'defect',
  journal_version_unsupported: 'defect',
  store_schema_newer: 'defect',
  tool_timeout: 'expected',
  mcp_connect_failed: 'expected',
  mcp_timeout: 'expected',
  mcp_server_exited: 'expected',
  mcp_call_failed: 'expected',
};

export interface CairnErrorOptions {
  readonly cause?: unknown;
  /** Structured facts about the failure (run id, position, names), kept for logs and the journal. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Marks Cairn's errors across module copies (two installs, a loader's copy), where instanceof fails. */
const BRAND = Symbol.for('cairn.error');

export class CairnError extends Error {
  readonly [BRAND] = true;
  readonly code: CairnErrorCode;
  readonly kind: CairnErrorKind;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: CairnErrorCode, message: string, options: CairnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    this.kind = KIND_BY_CODE[code];
    this.details = options.details ?? {};
  }
}

/** True when `error` is a CairnError (from this copy of Cairn or another), optionally with the given code. */
export function isCairnError(error: unknown, code?: CairnErrorCode): error is CairnError {
  const branded =
    typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
  return branded && (code === undefined || (error as CairnError).code === code);
}
