import type { JournalEvent, StoredEvent } from '../core/journal-event.js';
import type { RunRecord } from '../core/run.js';
import type { ValueRef } from '../core/value-ref.js';
import type { Runtime } from '../runtime/runtime.js';

/** A run with its result read back from the store (instead of a reference to it). */
export type DecodedRun = Omit<RunRecord, 'result'> & { readonly result?: unknown };

/** A journal event with the value it carries (input, result, payload) read back, in place of its reference. */
export interface DecodedEvent {
  readonly seq: number;
  readonly at: number;
  readonly event: JournalEvent | Record<string, unknown>;
  /** The original event, for formatting. */
  readonly raw: JournalEvent;
  /** The decoded value of the event, when it carries one. */
  readonly value?: unknown;
}

export async function decodeRun(runtime: Runtime, run: RunRecord): Promise<DecodedRun> {
  const { result, ...rest } = run;
  if (result === undefined) return rest;
  return { ...rest, result: await runtime.decode(result, { tenant: run.tenantId }) };
}

export async function decodeEvents(
  runtime: Runtime,
  tenant: string,
  events: readonly StoredEvent[],
): Promise<DecodedEvent[]> {
  return Promise.all(
    events.map(async ({ seq, at, event }): Promise<DecodedEvent> => {
      const ref = valueRefOf(event);
      if (ref === undefined) return { seq, at, event, raw: event };
      const value = await runtime.decode(ref, { tenant });
      return { seq, at, event: withValue(event, value), raw: event, value };
    }),
  );
}

/** The event as JSON output shows it: `{ seq, at, event }`, values decoded. */
export function eventJson({ seq, at, event }: DecodedEvent): { seq: number; at: number; event: unknown } {
  return { seq, at, event };
}

function valueRefOf(event: JournalEvent): ValueRef | undefined {
  switch (event.kind) {
    case 'run.started':
      return event.input;
    case 'step.completed':
    case 'run.completed':
      return event.result;
    case 'signal.received':
      return event.payload;
    case 'approval.requested':
      return event.request;
    case 'step.started':
      return event.request; // what the step was asked to do (a tool call's arguments)
    case 'child.completed':
      return event.outcome.status === 'completed' ? event.outcome.result : undefined;
    default:
      return undefined;
  }
}

function withValue(event: JournalEvent, value: unknown): Record<string, unknown> {
  switch (event.kind) {
    case 'run.started':
      return { ...event, input: value };
    case 'step.completed':
    case 'run.completed':
      return { ...event, result: value };
    case 'signal.received':
      return { ...event, payload: value };
    case 'approval.requested':
    case 'step.started':
      return { ...event, request: value };
    case 'child.completed':
      return { ...event, outcome: { ...event.outcome, result: value } };
    default:
      return { ...event };
  }
}
