import type { StoredEvent } from '../core/journal-event.js';

/** Positions of side-effect steps waiting for a person to resolve them (in doubt, not yet resolved). */
export function pendingResolutions(events: readonly StoredEvent[]): number[] {
  const waiting = new Set<number>();
  for (const { event } of events) {
    if (event.kind === 'step.in_doubt' && event.resolution === 'needs_attention') waiting.add(event.position);
    else if (
      event.kind === 'step.resolved' ||
      event.kind === 'step.completed' ||
      event.kind === 'step.failed'
    ) {
      waiting.delete(event.position);
    }
  }
  return [...waiting];
}
