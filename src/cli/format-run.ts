import type { JournalEvent } from '../core/journal-event.js';
import type { RunRecord } from '../core/run.js';
import type { SerializedError } from '../core/serialized-error.js';
import type { DecodedRun } from './decode-values.js';
import { formatTable } from './format-table.js';
import { isoTime, offset, preview, truncate } from './format-value.js';

const VALUE_WIDTH = 200;
const NOTE_WIDTH = 60;

/** The `runs list` table: one row per run, newest first, with a short note on runs that need one. */
export function formatRunTable(runs: readonly RunRecord[]): string[] {
  const rows = runs.map((run) => [
    run.runId,
    run.workflow,
    run.status,
    isoTime(run.createdAt),
    isoTime(run.updatedAt),
    runNote(run),
  ]);
  return formatTable(['RUN ID', 'WORKFLOW', 'STATUS', 'CREATED', 'UPDATED', 'NOTE'], rows);
}

/** Why a run is where it is, in a few words: its attention, its error, or a pending cancel. */
function runNote(run: RunRecord): string {
  if (run.status === 'needs_attention') return truncate(run.attention ?? 'needs attention', NOTE_WIDTH);
  if (run.status === 'failed' && run.error !== undefined) return truncate(run.error.message, NOTE_WIDTH);
  if (run.cancelRequested && run.status !== 'cancelled') return 'cancel requested';
  if (run.status === 'waiting' && run.wakeAt !== undefined) return `wakes at ${isoTime(run.wakeAt)}`;
  return '';
}

/** The header of `runs show`: the run's facts, one per line, with values shortened to fit. */
export function formatRunHeader(run: DecodedRun, first: JournalEvent | undefined, input: unknown): string[] {
  const fields: [string, string][] = [
    ['Run', run.runId],
    ['Workflow', run.workflow],
    ['Status', run.status],
    ['Parent', run.parentRunId ?? '-'],
  ];
  if (first?.kind === 'run.started' && first.forkedFrom !== undefined) {
    fields.push(['Forked from', `${first.forkedFrom.runId} at #${first.forkedFrom.position}`]);
  }
  fields.push(
    ['Created', isoTime(run.createdAt)],
    ['Updated', `${isoTime(run.updatedAt)} (${offset(run.updatedAt - run.createdAt)})`],
  );
  if (run.status === 'waiting' && run.wakeAt !== undefined) fields.push(['Wake at', isoTime(run.wakeAt)]);
  if (run.leaseOwner !== undefined) fields.push(['Held by', run.leaseOwner]);
  if (run.cancelRequested) fields.push(['Cancel', 'requested']);
  if (run.attention !== undefined) fields.push(['Attention', truncate(run.attention, VALUE_WIDTH * 2)]);
  if (first?.kind === 'run.started') fields.push(['Input', preview(input, VALUE_WIDTH)]);
  if (run.status === 'completed') fields.push(['Result', preview(run.result, VALUE_WIDTH)]);
  if (run.error !== undefined) fields.push(['Error', truncate(formatError(run.error), VALUE_WIDTH)]);
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}

/** A recorded error as `Name: message`, with its code when it has one. */
export function formatError(error: SerializedError): string {
  const code = error.code === undefined ? '' : ` [${error.code}]`;
  return `${error.name}: ${error.message}${code}`;
}
