import { CairnError } from '../core/errors.js';
import type { EventOf, StoredEvent } from '../core/journal-event.js';
import type { ClaimedRun, Store } from '../core/store.js';

/** What an execution needs of a run's journal. */
export interface LoadedJournal {
  readonly started: EventOf<'run.started'>;
  /** Checkpoints, oldest first (the last one is where replay starts). */
  readonly checkpoints: readonly EventOf<'snapshot.recorded'>[];
  /** The events after the latest checkpoint (or after `run.started` when there is none). */
  readonly tail: readonly StoredEvent[];
}

/**
 * Reads a run's journal for execution: with checkpoints, only the events after the latest one (and the
 * checkpoints themselves), so a long run resumes in time proportional to its last stretch, not its length.
 */
export async function loadJournal(
  store: Store,
  run: ClaimedRun,
  preloaded?: readonly StoredEvent[],
): Promise<LoadedJournal> {
  const { tenantId, runId } = run;
  if (preloaded !== undefined) return split(runId, preloaded, []);
  const checkpoints = await store.readEvents(tenantId, runId, 0, { kinds: ['snapshot.recorded'] });
  const last = checkpoints.at(-1);
  if (last === undefined) return split(runId, await store.readEvents(tenantId, runId), []);
  const first = await store.readEvents(tenantId, runId, 0, { limit: 1 });
  const tail = await store.readEvents(tenantId, runId, last.seq);
  return split(runId, [...first, ...tail], checkpoints);
}

function split(
  runId: string,
  events: readonly StoredEvent[],
  checkpoints: readonly StoredEvent[],
): LoadedJournal {
  const started = events[0]?.event;
  if (started?.kind !== 'run.started') {
    throw new CairnError('journal_corrupt', `The journal of run ${runId} does not begin with run.started.`);
  }
  return {
    started,
    checkpoints: checkpoints.flatMap(({ event }) => (event.kind === 'snapshot.recorded' ? [event] : [])),
    tail: events.slice(1),
  };
}
