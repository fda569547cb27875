import type { JournalEvent, OperationEvent, StoredEvent } from '../core/journal-event.js';
import { parseRateOperationName } from '../runtime/rate-limit-names.js';

/**
 * What kind of operation a journal position holds, as a trace shows it. `rate-limit`: a take from a
 * rate limit's bucket (a step) or a wait for it to refill (a timer), see `ctx.rateLimit`.
 */
export type OperationKind =
  | 'model'
  | 'tool'
  | 'step'
  | 'timer'
  | 'signal'
  | 'approval'
  | 'child'
  | 'rate-limit';

/** One operation of a run: the journal events at one position, from the first to the last. */
export interface OperationEvents {
  readonly position: number;
  readonly kind: OperationKind;
  readonly name: string;
  readonly events: readonly (StoredEvent & { readonly event: OperationEvent })[];
  /**
   * When it started. A step that records no intent (a `pure` one: a model call) has no event of its own
   * before its result, so its start is taken from the journal event before its first one: when the run
   * last moved on. Then `approximateStart` is true and the duration is an upper bound.
   */
  readonly startedAt: number;
  readonly approximateStart: boolean;
}

/**
 * Groups a journal into its operations, in the order they first appear. Recorded values (`now`,
 * `random`) and checkpoints are bookkeeping, not operations, and are left out.
 */
export function operationsOf(journal: readonly StoredEvent[]): OperationEvents[] {
  const byPosition = new Map<
    number,
    { first: number; events: (StoredEvent & { event: OperationEvent })[] }
  >();
  journal.forEach((stored, index) => {
    const { event } = stored;
    if (!('position' in event) || event.kind === 'value.recorded' || event.kind === 'snapshot.recorded')
      return;
    const entry = byPosition.get(event.position) ?? { first: index, events: [] };
    entry.events.push({ ...stored, event });
    byPosition.set(event.position, entry);
  });
  return [...byPosition.entries()].map(([position, { first, events }]) => {
    const head = events[0]!.event;
    const kind = kindOf(head);
    // Timers, waits, approvals and children begin with an event of their own; steps only when not pure.
    const hasIntent = !head.kind.startsWith('step.') || head.kind === 'step.started';
    const before = journal[first - 1];
    return {
      position,
      kind,
      name: head.name,
      events,
      startedAt: hasIntent || before === undefined ? events[0]!.at : before.at,
      approximateStart: !hasIntent && before !== undefined,
    };
  });
}

function kindOf(event: JournalEvent & { name: string }): OperationKind {
  const rateOperation = event.kind.startsWith('step.') || event.kind.startsWith('timer.');
  if (rateOperation && parseRateOperationName(event.name) !== undefined) return 'rate-limit';
  if (event.kind.startsWith('step.')) {
    if (event.name === 'model' || event.name === 'plan') return 'model';
    return event.name.startsWith('tool:') ? 'tool' : 'step';
  }
  if (event.kind.startsWith('timer.')) return 'timer';
  if (event.kind.startsWith('signal.')) return 'signal';
  if (event.kind.startsWith('approval.')) return 'approval';
  return 'child';
}

/** Where an operation stands, in a word or three, from its last event. */
export function operationStatus(op: OperationEvents, runIsLive: boolean): string {
  const last = op.events.at(-1)!.event;
  switch (last.kind) {
    case 'step.completed':
      return last.via === undefined || last.via === 'execute' ? 'completed' : `completed (${last.via})`;
    case 'step.failed':
      return last.retryAt === undefined ? 'failed' : 'retrying';
    case 'step.in_doubt':
      return last.resolution === 'needs_attention' ? 'in doubt' : `in doubt: ${last.resolution}`;
    case 'step.resolved':
      return `resolved: ${last.action}`;
    case 'timer.fired':
      return op.kind === 'rate-limit' ? 'waited' : 'fired';
    case 'signal.received':
      return 'received';
    case 'signal.timed_out':
      return 'timed out';
    case 'approval.decided':
      return `${last.decision.approved ? 'approved' : 'rejected'} by ${last.decision.by}`;
    case 'child.completed':
      return last.outcome.status;
    case 'timer.set':
    case 'signal.waiting':
    case 'approval.requested':
      return runIsLive ? 'waiting' : 'never ended';
    default:
      return runIsLive ? 'running' : 'never ended';
  }
}

/** True when the operation reached its outcome (so its duration is final). */
export function operationEnded(op: OperationEvents): boolean {
  const last = op.events.at(-1)!.event;
  if (last.kind === 'step.failed') return last.retryAt === undefined;
  return ENDINGS.has(last.kind);
}

const ENDINGS = new Set<JournalEvent['kind']>([
  'step.completed',
  'timer.fired',
  'signal.received',
  'signal.timed_out',
  'approval.decided',
  'child.completed',
]);
