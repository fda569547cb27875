import { z } from 'zod';
import { serializedErrorSchema } from './serialized-error.js';
import { valueRefSchema } from './value-ref.js';

/**
 * The journal's format version. Every stored event carries the version it was written with; readers
 * upcast older versions (see `decodeJournalEvent`) so old journals always replay. Bump it only together
 * with an upcaster and a frozen fixture journal of the previous version under `test/fixtures/`.
 */
export const JOURNAL_VERSION = 1;

/** How a step may be repeated after a crash left its outcome unknown. */
export const stepEffectSchema = z.enum(['pure', 'idempotent', 'side-effect']);
export type StepEffect = z.infer<typeof stepEffectSchema>;

const position = z.number().int().nonnegative();
const attempt = z.number().int().positive();
const time = z.number().int().nonnegative();

/**
 * Every way a run's journal can grow. A workflow's operations (steps, timers, signal waits, child runs,
 * recorded values) are numbered by `position`, the order in which the workflow code called them; replay
 * matches code to journal by position, and checks the name, to detect code that no longer matches.
 */
export const journalEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run.started'),
    workflow: z.string(),
    input: valueRefSchema,
    parentRunId: z.string().optional(),
    forkedFrom: z.object({ runId: z.string(), position }).optional(),
  }),
  // The intent: appended before the step's function runs, so a crash leaves a visible trace.
  z.object({
    kind: z.literal('step.started'),
    position,
    name: z.string(),
    effect: stepEffectSchema,
    attempt,
    key: z.string(),
    // What the step was asked to do (a model request, tool arguments), when the caller records it.
    request: valueRefSchema.optional(),
  }),
  z.object({
    kind: z.literal('step.completed'),
    position,
    name: z.string(),
    attempt,
    result: valueRefSchema,
    via: z.enum(['execute', 'reconcile', 'resolve']).optional(),
    // A `pure` step has no intent, so its request (if recorded) travels with its result.
    request: valueRefSchema.optional(),
  }),
  // `retryAt` present: another attempt follows at that time. Absent: the step failed for good.
  z.object({
    kind: z.literal('step.failed'),
    position,
    name: z.string(),
    attempt,
    error: serializedErrorSchema,
    retryAt: time.optional(),
  }),
  // An intent found without an outcome after a crash, and what was done about it.
  z.object({
    kind: z.literal('step.in_doubt'),
    position,
    name: z.string(),
    attempt,
    resolution: z.enum(['retry', 'reconcile', 'needs_attention', 'exhausted']),
    reason: z.string(),
  }),
  // A person's answer to a step left in doubt (see Runtime.resolve).
  z.object({
    kind: z.literal('step.resolved'),
    position,
    name: z.string(),
    action: z.enum(['retry', 'complete', 'fail']),
    signalId: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal('value.recorded'),
    position,
    name: z.enum(['now', 'random']),
    value: z.number(),
  }),
  z.object({ kind: z.literal('timer.set'), position, name: z.string(), wakeAt: time }),
  z.object({ kind: z.literal('timer.fired'), position, name: z.string() }),
  z.object({ kind: z.literal('signal.waiting'), position, name: z.string(), deadline: time.optional() }),
  z.object({
    kind: z.literal('signal.received'),
    position,
    name: z.string(),
    signalId: z.number().int().positive(),
    payload: valueRefSchema,
  }),
  z.object({ kind: z.literal('signal.timed_out'), position, name: z.string() }),
  // A person's decision was asked for (see WorkflowContext.waitForApproval) ...
  z.object({
    kind: z.literal('approval.requested'),
    position,
    name: z.string(),
    approvalId: z.string(),
    request: valueRefSchema,
    deadline: time.optional(),
  }),
  // ... and given (or taken by the timeout: `decision.by` is then `timeout`).
  z.object({
    kind: z.literal('approval.decided'),
    position,
    name: z.string(),
    approvalId: z.string(),
    decision: z.object({
      approved: z.boolean(),
      by: z.string(),
      reason: z.string().optional(),
      args: z.json().optional(),
      at: time,
    }),
    signalId: z.number().int().positive(),
  }),
  z.object({ kind: z.literal('child.started'), position, name: z.string(), childRunId: z.string() }),
  z.object({
    kind: z.literal('child.completed'),
    position,
    name: z.string(),
    childRunId: z.string(),
    outcome: z.discriminatedUnion('status', [
      z.object({ status: z.literal('completed'), result: valueRefSchema }),
      z.object({ status: z.enum(['failed', 'cancelled']), error: serializedErrorSchema }),
    ]),
  }),
  // An incremental checkpoint of a loop-shaped workflow (see WorkflowContext.checkpoint): replay starts
  // after the latest one, handing the workflow every checkpoint's state in order.
  z.object({
    kind: z.literal('snapshot.recorded'),
    position,
    name: z.string(),
    state: valueRefSchema,
    consumedSignals: z.array(z.number().int().positive()),
  }),
  z.object({ kind: z.literal('run.completed'), result: valueRefSchema }),
  z.object({ kind: z.literal('run.failed'), error: serializedErrorSchema }),
  z.object({ kind: z.literal('run.cancelled'), reason: z.string() }),
]);

export type JournalEvent = z.infer<typeof journalEventSchema>;
export type JournalEventKind = JournalEvent['kind'];
export type EventOf<K extends JournalEventKind> = Extract<JournalEvent, { kind: K }>;

/** An event as read back from the store: its place in the run's journal and when it was written. */
export interface StoredEvent {
  readonly seq: number;
  readonly at: number;
  readonly event: JournalEvent;
}

/** Events that belong to one workflow operation (everything but the run-level ones). */
export type OperationEvent = Extract<JournalEvent, { position: number }>;

export function isOperationEvent(event: JournalEvent): event is OperationEvent {
  return 'position' in event;
}
