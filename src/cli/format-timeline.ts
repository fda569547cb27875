import type { JournalEvent } from '../core/journal-event.js';
import type { DecodedEvent } from './decode-values.js';
import { formatError } from './format-run.js';
import { formatTable } from './format-table.js';
import { isoTime, offset, preview, truncate } from './format-value.js';

const DETAIL_WIDTH = 100;
const VALUE_WIDTH = 80;

/** The journal as a timeline: one line per event, times relative to the first event. */
export function formatTimeline(events: readonly DecodedEvent[]): string[] {
  const start = events[0]?.at ?? 0;
  const rows = events.map(({ seq, at, raw, value }) => [
    String(seq),
    offset(at - start),
    raw.kind,
    'position' in raw ? `#${raw.position}` : '',
    'name' in raw ? raw.name : '',
    truncate(eventDetail(raw, value), DETAIL_WIDTH),
  ]);
  return formatTable(['SEQ', 'TIME', 'KIND', 'POS', 'NAME', 'DETAIL'], rows);
}

/** A short description of what an event says, beyond its kind, position and name. */
export function eventDetail(event: JournalEvent, value: unknown): string {
  switch (event.kind) {
    case 'run.started': {
      const from = [
        event.parentRunId === undefined ? '' : `, child of ${event.parentRunId}`,
        event.forkedFrom === undefined
          ? ''
          : `, forked from ${event.forkedFrom.runId} at #${event.forkedFrom.position}`,
      ];
      return `${event.workflow}, input ${preview(value, VALUE_WIDTH)}${from.join('')}`;
    }
    case 'step.started':
      return `attempt ${event.attempt}, ${event.effect}${value === undefined ? '' : `, ${preview(value, VALUE_WIDTH)}`}`;
    case 'step.completed': {
      const via = event.via === undefined || event.via === 'execute' ? '' : ` (via ${event.via})`;
      return `${preview(value, VALUE_WIDTH)}${via}`;
    }
    case 'step.failed': {
      const next = event.retryAt === undefined ? 'no more attempts' : `retry at ${isoTime(event.retryAt)}`;
      return `attempt ${event.attempt}: ${truncate(formatError(event.error), VALUE_WIDTH)}; ${next}`;
    }
    case 'step.in_doubt':
      return `attempt ${event.attempt}: ${event.resolution}; ${event.reason}`;
    case 'step.resolved':
      return `${event.action} (signal ${event.signalId})`;
    case 'value.recorded':
      return event.name === 'now' ? `${event.value} (${isoTime(event.value)})` : String(event.value);
    case 'timer.set':
      return `wake at ${isoTime(event.wakeAt)}`;
    case 'signal.waiting':
      return event.deadline === undefined ? '' : `until ${isoTime(event.deadline)}`;
    case 'signal.received':
      return `payload ${preview(value, VALUE_WIDTH)}`;
    case 'child.started':
      return `child run ${event.childRunId}`;
    case 'child.completed':
      return event.outcome.status === 'completed'
        ? `child run ${event.childRunId} completed: ${preview(value, VALUE_WIDTH)}`
        : `child run ${event.childRunId} ${event.outcome.status}: ${formatError(event.outcome.error)}`;
    case 'approval.requested':
      return `approval ${event.approvalId} asked: ${preview(value, VALUE_WIDTH)}`;
    case 'approval.decided': {
      const { approved, by, reason } = event.decision;
      return `${approved ? 'approved' : 'rejected'} by ${by}${reason === undefined ? '' : `: ${reason}`}`;
    }
    case 'snapshot.recorded':
      return 'checkpoint: replay after a restart starts here';
    case 'run.completed':
      return `result ${preview(value, VALUE_WIDTH)}`;
    case 'run.failed':
      return formatError(event.error);
    case 'run.cancelled':
      return event.reason;
    case 'timer.fired':
    case 'signal.timed_out':
      return '';
  }
}
