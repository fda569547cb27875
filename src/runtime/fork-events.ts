import { CairnError } from '../core/errors.js';
import { isOperationEvent, type JournalEvent, type StoredEvent } from '../core/journal-event.js';
import { isCompletion } from './replay-history.js';

/**
 * The journal a fork starts with: the source's `run.started` (marked as forked) and every operation
 * before position `at` that finished, in their original order. Operations before `at` that had not
 * finished are left out, so the fork runs them again (live) at the same positions.
 */
export function forkEvents(sourceRunId: string, source: readonly StoredEvent[], at: number): JournalEvent[] {
  const first = source[0]?.event;
  if (first?.kind !== 'run.started') {
    throw new CairnError(
      'journal_corrupt',
      `The journal of run ${sourceRunId} does not begin with run.started.`,
    );
  }
  const finished = new Set<number>();
  for (const { event } of source) {
    if (!isOperationEvent(event) || event.position >= at) continue;
    if (isCompletion(event) || event.kind === 'value.recorded' || event.kind === 'snapshot.recorded') {
      finished.add(event.position);
    }
  }
  const kept = source
    .map(({ event }) => event)
    .filter((event) => isOperationEvent(event) && finished.has(event.position));
  return [{ ...first, forkedFrom: { runId: sourceRunId, position: at } }, ...kept];
}
