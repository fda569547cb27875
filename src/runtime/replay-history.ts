import {
  type EventOf,
  isOperationEvent,
  type JournalEvent,
  type OperationEvent,
  type StoredEvent,
} from '../core/journal-event.js';

/** The kinds of operation a workflow can call, as replay matches them against the journal. */
export type OperationKind = 'step' | 'sleep' | 'signal' | 'approval' | 'child' | 'value' | 'checkpoint';

/** An event that settles an operation: what replay hands back to the workflow, in journal order. */
export type CompletionEvent =
  | EventOf<'step.completed'>
  | EventOf<'timer.fired'>
  | EventOf<'signal.received'>
  | EventOf<'signal.timed_out'>
  | EventOf<'child.completed'>
  | EventOf<'approval.decided'>
  | (EventOf<'step.failed'> & { retryAt?: undefined });

/**
 * A run's journal, indexed for replay: the events of each operation by position, and the completions
 * in the order they were recorded (the order in which replay delivers them).
 */
export class ReplayHistory {
  readonly started: EventOf<'run.started'>;
  readonly completions: CompletionEvent[] = [];
  readonly consumedSignals = new Set<number>();
  private readonly byPosition = new Map<number, OperationEvent[]>();

  /** `events`: the journal after `run.started` (after the latest checkpoint, when there is one). */
  constructor(
    started: EventOf<'run.started'>,
    events: readonly StoredEvent[],
    consumedSignals: readonly number[] = [],
  ) {
    this.started = started;
    for (const id of consumedSignals) this.consumedSignals.add(id);
    for (const { event } of events) {
      if (!isOperationEvent(event)) continue;
      const list = this.byPosition.get(event.position);
      if (list === undefined) this.byPosition.set(event.position, [event]);
      else list.push(event);
      if (isCompletion(event)) this.completions.push(event);
      if (
        event.kind === 'signal.received' ||
        event.kind === 'step.resolved' ||
        event.kind === 'approval.decided'
      )
        this.consumedSignals.add(event.signalId);
    }
  }

  /** The recorded events of the operation at `position`, oldest first; undefined if it never ran. */
  at(position: number): readonly OperationEvent[] | undefined {
    return this.byPosition.get(position);
  }

  /** The highest position the journal knows, or -1. */
  get lastPosition(): number {
    let last = -1;
    for (const position of this.byPosition.keys()) last = Math.max(last, position);
    return last;
  }
}

export function isCompletion(event: JournalEvent): event is CompletionEvent {
  switch (event.kind) {
    case 'step.completed':
    case 'timer.fired':
    case 'signal.received':
    case 'signal.timed_out':
    case 'child.completed':
    case 'approval.decided':
      return true;
    case 'step.failed':
      return event.retryAt === undefined;
    default:
      return false;
  }
}

/** Which operation kind and name an operation's first recorded event says it was. */
export function recordedIdentity(events: readonly OperationEvent[]): { kind: OperationKind; name: string } {
  const first = events[0]!;
  return { kind: operationKindOf(first), name: first.name };
}

function operationKindOf(event: OperationEvent): OperationKind {
  switch (event.kind) {
    case 'step.started':
    case 'step.completed':
    case 'step.failed':
    case 'step.in_doubt':
    case 'step.resolved':
      return 'step';
    case 'timer.set':
    case 'timer.fired':
      return 'sleep';
    case 'signal.waiting':
    case 'signal.received':
    case 'signal.timed_out':
      return 'signal';
    case 'child.started':
    case 'child.completed':
      return 'child';
    case 'approval.requested':
    case 'approval.decided':
      return 'approval';
    case 'value.recorded':
      return 'value';
    case 'snapshot.recorded':
      return 'checkpoint';
  }
}
