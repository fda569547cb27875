import { isAgentResult } from '../agent/agent-summary.js';
import type { ModelTurn } from '../agent/model-call.js';
import type { JournalEvent } from '../core/journal-event.js';
import { isToolResult } from '../tools/tool-result.js';
import { toolResultText } from '../tools/tool-result-view.js';
import { formatError } from './format-run.js';
import { formatTokens, formatUsd } from './format-usage.js';
import { isoTime, preview, truncate } from './format-value.js';

const WIDTH = 90;

/** A finished tool call: its result's content, or the error it gave the model. */
function toolLine(tool: string, value: unknown): string {
  if (!isToolResult(value)) return `✓ ${tool} → ${preview(value, WIDTH)}`;
  const shown = truncate(toolResultText(value), WIDTH);
  return value.error === undefined ? `✓ ${tool} → ${shown}` : `✗ ${tool} → ${shown}`;
}

/** What a progress line is made from: an event, the value it carries, and whose it is. */
export interface ProgressEvent {
  readonly event: JournalEvent;
  /** The event's decoded value (a result, a payload, a request), if it carries one. */
  readonly value: unknown;
  /** A step intent's decoded request (a tool call's arguments), if it recorded one. */
  readonly request: unknown;
  readonly runId: string;
}

/**
 * One event of a run's journal as the friendly lines the follower prints: a model call with its tokens,
 * cost and what it asked for, a tool call started or finished, an approval with how to decide it, a
 * child run, a wait. Events nobody needs to watch (recorded times, checkpoints) give no line.
 */
export function progressLines({ event, value, request, runId }: ProgressEvent): string[] {
  switch (event.kind) {
    case 'run.started':
      return [
        `${event.workflow} started (run ${runId})${value === undefined ? '' : `: ${preview(value, WIDTH)}`}`,
      ];
    case 'step.started':
      if (event.name.startsWith('tool:'))
        return [`→ ${event.name.slice(5)} ${preview(argsOf(request), WIDTH)}`];
      return event.attempt > 1 ? [`… ${event.name}: attempt ${event.attempt}`] : [];
    case 'step.completed':
      if (event.name === 'model' || event.name === 'plan') return [modelLine(event.name, value)];
      if (event.name.startsWith('tool:')) return [toolLine(event.name.slice(5), value)];
      return [
        `✓ ${event.name} → ${preview(value, WIDTH)}${event.via === 'reconcile' ? ' (reconciled)' : ''}`,
      ];
    case 'step.failed': {
      const next = event.retryAt === undefined ? 'no more attempts' : `retrying at ${isoTime(event.retryAt)}`;
      return [`✗ ${event.name} failed (attempt ${event.attempt}): ${event.error.message}; ${next}`];
    }
    case 'step.in_doubt':
      // The reason is long (it says how to resolve); a run that needs attention prints it once, at the end.
      return [`? ${event.name} was in doubt after a crash: ${event.resolution.replace('_', ' ')}`];
    case 'step.resolved':
      return [`✓ ${event.name} settled by a person: ${event.action}`];
    case 'timer.set':
      return [`⏲ sleeping until ${isoTime(event.wakeAt)}`];
    case 'timer.fired':
      return ['⏲ timer fired'];
    case 'signal.waiting':
      return [
        `… waiting for signal '${event.name}'${event.deadline === undefined ? '' : ` until ${isoTime(event.deadline)}`}`,
      ];
    case 'signal.received':
      return [`✓ signal '${event.name}' received: ${preview(value, WIDTH)}`];
    case 'signal.timed_out':
      return [`✗ signal '${event.name}' timed out`];
    case 'approval.requested':
      return approvalLines(event.approvalId, value);
    case 'approval.decided': {
      const { approved, by, reason } = event.decision;
      const why = reason === undefined ? '' : `: ${reason}`;
      return [
        `${approved ? '✓' : '✗'} approval ${event.approvalId} ${approved ? 'approved' : 'rejected'} by ${by}${why}`,
      ];
    }
    case 'child.started':
      return [`↳ child run ${event.childRunId} (${event.name}) started`];
    case 'child.completed':
      return [`↲ child run ${event.childRunId} ${event.outcome.status}${childOutcome(event, value)}`];
    case 'run.completed':
      return [`✓ run ${runId} completed`];
    case 'run.failed':
      return [`✗ run ${runId} failed: ${formatError(event.error)}`];
    case 'run.cancelled':
      return [`✗ run ${runId} cancelled: ${event.reason}`];
    case 'value.recorded':
    case 'snapshot.recorded':
      return [];
  }
}

/** `model: 412 in / 38 out tokens, $0.0001 → search_flights, search_hotels` (or the answer's text). */
function modelLine(name: string, value: unknown): string {
  const turn = value as Partial<ModelTurn> | undefined;
  if (turn?.usage === undefined) return `${name}: ${preview(value, WIDTH)}`;
  const used = `${name}: ${formatTokens(turn.usage)}, ${formatUsd(turn.costUsd ?? 0)}`;
  const calls = turn.toolCalls ?? [];
  if (calls.length > 0) return `${used} → calls ${calls.map((call) => call.name).join(', ')}`;
  return `${used} → ${preview(turn.text ?? '', WIDTH)}`;
}

function approvalLines(approvalId: string, value: unknown): string[] {
  const request = value as { title?: string; details?: { args?: unknown } } | undefined;
  const details = request?.details?.args ?? request?.details;
  return [
    `⏸ waiting for approval ${approvalId}: ${request?.title ?? ''} ${details === undefined ? '' : preview(details, WIDTH)}`.trimEnd(),
    `  decide with: cairn approvals approve ${approvalId}  (or: reject ${approvalId} --reason <text>)`,
  ];
}

function childOutcome(event: Extract<JournalEvent, { kind: 'child.completed' }>, value: unknown): string {
  if (event.outcome.status !== 'completed') return `: ${event.outcome.error.message}`;
  return `: ${preview(isAgentResult(value) ? value.output : value, WIDTH)}`;
}

/** A tool step records `{ toolCallId, args }` as its request: show the arguments. */
function argsOf(request: unknown): unknown {
  const recorded = request as { args?: unknown } | undefined;
  return recorded?.args ?? request ?? {};
}
