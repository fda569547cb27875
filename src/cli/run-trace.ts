import type { ModelTurn } from '../agent/model-call.js';
import { isFinalStatus, type RunStatus } from '../core/run.js';
import type { TokenUsage } from '../models/token-usage.js';
import { parseRateOperationName } from '../runtime/rate-limit-names.js';
import type { Runtime } from '../runtime/runtime.js';
import { duration, isoTime, preview, truncate } from './format-value.js';
import {
  type OperationEvents,
  type OperationKind,
  operationEnded,
  operationStatus,
  operationsOf,
} from './trace-operations.js';

const DETAIL_WIDTH = 70;

/** A run's operations, each with its duration and status; child runs nested under theirs. */
export interface RunTrace {
  readonly runId: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly createdAt: number;
  readonly durationMs: number;
  readonly operations: readonly TraceOperation[];
}

/** One operation of a run in its trace. */
export interface TraceOperation {
  readonly position: number;
  readonly kind: OperationKind;
  readonly name: string;
  readonly status: string;
  readonly startedAt: number;
  /** From its first journal event to its last (to now, while it is still going on). */
  readonly durationMs: number;
  /** The start was not journaled (a model call): the duration is measured from when the run last moved on. */
  readonly approximate: boolean;
  readonly ended: boolean;
  readonly attempts: number;
  /** A short description: a tool's result, an error, a wake-up time, an approval id. */
  readonly detail: string;
  /** For a model call: what it used and answered. */
  readonly model?: TraceModelCall;
  /** For a child operation: the child run's own trace (when the child run exists). */
  readonly child?: RunTrace;
}

/** What a model call used and answered, from its journaled `ModelTurn`. */
export interface TraceModelCall {
  readonly model: string;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly toolCalls: readonly string[];
  readonly text: string;
}

/** Builds the trace of a run and, recursively, of its child runs, from their journals. */
export async function traceRun(
  runtime: Runtime,
  runId: string,
  options: { tenant?: string; now?: number } = {},
): Promise<RunTrace> {
  const now = options.now ?? Date.now();
  const { run, events } = await runtime.inspect(runId, { tenant: options.tenant });
  const live = !isFinalStatus(run.status);
  const operations: TraceOperation[] = [];
  for (const op of operationsOf(events)) {
    const ended = operationEnded(op);
    const last = op.events.at(-1)!;
    const endedAt = ended || !live ? last.at : now;
    const base = {
      position: op.position,
      kind: op.kind,
      name: op.name,
      status: operationStatus(op, live),
      startedAt: op.startedAt,
      durationMs: Math.max(0, endedAt - op.startedAt),
      approximate: op.approximateStart,
      ended,
      attempts: Math.max(1, ...op.events.map(({ event }) => ('attempt' in event ? event.attempt : 1))),
    };
    const described = await describe(runtime, run.tenantId, op, now);
    // A model call measures its own latency: better than the journal's upper bound.
    const measured =
      described.latencyMs === undefined ? {} : { durationMs: described.latencyMs, approximate: false };
    operations.push({ ...base, ...measured, ...described });
  }
  return {
    runId: run.runId,
    workflow: run.workflow,
    status: run.status,
    createdAt: run.createdAt,
    durationMs: (live ? now : run.updatedAt) - run.createdAt,
    operations,
  };
}

async function describe(
  runtime: Runtime,
  tenant: string,
  op: OperationEvents,
  now: number,
): Promise<{ detail: string; model?: TraceModelCall; child?: RunTrace; latencyMs?: number }> {
  const last = op.events.at(-1)!.event;
  const decode = (ref: Parameters<Runtime['decode']>[0]) => runtime.decode(ref, { tenant });
  if (op.kind === 'rate-limit') return { detail: await describeRateLimit(op, decode, now) };
  switch (last.kind) {
    case 'step.completed': {
      const value = await decode(last.result);
      if (op.kind !== 'model') return { detail: preview(value, DETAIL_WIDTH) };
      const turn = value as ModelTurn;
      const model = {
        model: turn.model,
        usage: turn.usage,
        costUsd: turn.costUsd,
        toolCalls: turn.toolCalls.map((call) => call.name),
        text: turn.text,
      };
      return {
        detail: '',
        model,
        ...(typeof turn.latencyMs === 'number' ? { latencyMs: turn.latencyMs } : {}),
      };
    }
    case 'step.failed':
    case 'step.in_doubt':
      return { detail: truncate('error' in last ? last.error.message : last.reason, DETAIL_WIDTH) };
    case 'timer.set':
      return { detail: `until ${isoTime(last.wakeAt)}` };
    case 'signal.received':
      return { detail: preview(await decode(last.payload), DETAIL_WIDTH) };
    case 'approval.requested':
      return { detail: `approval ${last.approvalId}` };
    case 'approval.decided':
      return {
        detail: `approval ${last.approvalId}${last.decision.reason ? `: ${last.decision.reason}` : ''}`,
      };
    case 'child.started':
    case 'child.completed': {
      const exists = (await runtime.getRun(last.childRunId, { tenant })) !== undefined;
      const child = exists ? await traceRun(runtime, last.childRunId, { tenant, now }) : undefined;
      return { detail: `run ${last.childRunId}`, ...(child === undefined ? {} : { child }) };
    }
    default:
      return { detail: '' };
  }
}

/** A rate-limit take (granted, or refused until when) or wait ("waited 1.2s for rate limit tool:search"). */
async function describeRateLimit(
  op: OperationEvents,
  decode: (ref: Parameters<Runtime['decode']>[0]) => Promise<unknown>,
  now: number,
): Promise<string> {
  const { event: last, at } = op.events.at(-1)!;
  const rate = parseRateOperationName(op.name);
  const limit = `${rate?.operation === 'rate-limit' ? 'rate' : 'token'} limit ${rate?.key ?? op.name}`;
  switch (last.kind) {
    case 'timer.set':
      return `waiting ${duration(now - op.startedAt)} for ${limit}, until ${isoTime(last.wakeAt)}`;
    case 'timer.fired':
      return `waited ${duration(at - op.startedAt)} for ${limit}`;
    case 'step.completed': {
      const result = (await decode(last.result)) as
        | { granted?: boolean; retryAt?: number; debited?: number }
        | undefined;
      if (rate?.operation === 'token-debit') return `debited ${result?.debited ?? '?'} tokens`;
      return result?.granted ? 'granted' : `refused: next try at ${isoTime(result?.retryAt)}`;
    }
    default:
      return 'error' in last ? truncate(last.error.message, DETAIL_WIDTH) : '';
  }
}
