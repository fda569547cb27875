import { setTimeout as delay } from 'node:timers/promises';
import { CairnError } from '../core/errors.js';
import type { StoredEvent } from '../core/journal-event.js';
import { isFinalStatus, type RunRecord } from '../core/run.js';
import type { Runtime } from '../runtime/runtime.js';
import type { CliIo } from './cli-io.js';
import { decodeEvents } from './decode-values.js';
import { progressLines } from './format-progress.js';
import { offset } from './format-value.js';

/** How far a follower has read: the last seq read of each run it follows, and how deep that run is. */
export type FollowPosition = ReadonlyMap<string, { readonly seq: number; readonly depth: number }>;

/** How to follow a run. */
export interface FollowOptions {
  readonly tenant?: string;
  /** Follow child runs too, their lines indented under their parent's. Default false. */
  readonly children?: boolean;
  /** How often to read the journal. Default 100 ms. */
  readonly pollMs?: number;
  /** Printed before every line. Default two spaces. */
  readonly indent?: string;
  /** Carry on from where an earlier follower stopped (its `position`), instead of from the start. */
  readonly from?: FollowPosition;
  /** Checked before each read: once true, the follower prints what is committed and returns. */
  readonly until?: () => boolean;
  /** Called after each event's lines are printed (the demo answers an approval from here). */
  readonly onEvent?: (event: StoredEvent, runId: string) => void | Promise<void>;
}

/** Where a follower stopped, and why. */
export interface FollowOutcome {
  /** The run as it stood when the follower stopped. */
  readonly run: RunRecord;
  readonly position: FollowPosition;
  readonly stoppedBecause: 'finished' | 'needs_attention' | 'until';
}

interface Pending {
  readonly runId: string;
  readonly depth: number;
  readonly events: StoredEvent[];
}

/**
 * Follows a run by polling its journal, printing each new event as a progress line, until the run is
 * final or needs attention (whose reason it prints). It works on any store the runtime reads, whichever
 * process executes the run: it only reads. Times are shown from the run's creation.
 */
export async function followRun(
  runtime: Runtime,
  runId: string,
  io: CliIo,
  options: FollowOptions = {},
): Promise<FollowOutcome> {
  const tenant = options.tenant;
  const indent = options.indent ?? '  ';
  const read = new Map(options.from ?? [[runId, { seq: 0, depth: 0 }]]);
  let started: number | undefined;
  for (;;) {
    const stopping = options.until?.() === true;
    // Read the run before its journal: if it is done now, the read below sees all of its events.
    const run = await runtime.getRun(runId, { tenant });
    if (run === undefined)
      throw new CairnError('run_not_found', `No run with id ${JSON.stringify(runId)} to follow.`);
    started ??= run.createdAt;
    for (const pending of merge(await readNew(runtime, run.tenantId, read, options.children === true))) {
      const { runId: owner, depth, events } = pending;
      const [stored] = events;
      if (stored === undefined) continue;
      for (const line of await linesOf(runtime, run.tenantId, owner, stored)) {
        io.out(`${indent}${offset(stored.at - started).padStart(7)}  ${'  '.repeat(depth)}${line}`);
      }
      await options.onEvent?.(stored, owner);
    }
    const done = isFinalStatus(run.status) || run.status === 'needs_attention';
    if (done && (read.get(runId)?.seq ?? 0) >= run.lastSeq) {
      if (run.status === 'needs_attention')
        io.out(`${indent}! run ${runId} needs attention: ${run.attention}`);
      return {
        run,
        position: read,
        stoppedBecause: isFinalStatus(run.status) ? 'finished' : 'needs_attention',
      };
    }
    if (stopping) return { run, position: read, stoppedBecause: 'until' };
    await delay(options.pollMs ?? 100);
  }
}

/** New events of every followed run; a child run that starts is followed from then on. */
async function readNew(
  runtime: Runtime,
  tenant: string,
  read: Map<string, { seq: number; depth: number }>,
  children: boolean,
): Promise<Pending[]> {
  const batches: Pending[] = [];
  const queue = [...read.keys()];
  for (let runId = queue.shift(); runId !== undefined; runId = queue.shift()) {
    const cursor = read.get(runId)!;
    const events = await runtime.store.readEvents(tenant, runId, cursor.seq);
    if (events.length === 0) continue;
    read.set(runId, { ...cursor, seq: events.at(-1)!.seq });
    batches.push({ runId, depth: cursor.depth, events });
    for (const { event } of events) {
      if (!children || event.kind !== 'child.started' || read.has(event.childRunId)) continue;
      read.set(event.childRunId, { seq: 0, depth: cursor.depth + 1 });
      queue.push(event.childRunId);
    }
  }
  return batches;
}

/**
 * The events of several runs in the order they happened, each run's own order kept: a merge by time.
 * On a tie, a parent's `child.completed` goes after its child's events, and the child's after the rest.
 */
function* merge(batches: Pending[]): Generator<Pending> {
  const rank = (batch: Pending): [number, number] => {
    const head = batch.events[0]!;
    return [head.at, head.event.kind === 'child.completed' ? 2 : batch.depth > 0 ? 1 : 0];
  };
  for (;;) {
    let next: Pending | undefined;
    for (const batch of batches) {
      if (batch.events.length === 0) continue;
      if (next === undefined) next = batch;
      else {
        const [at, tie] = rank(batch);
        const [bestAt, bestTie] = rank(next);
        if (at < bestAt || (at === bestAt && tie < bestTie)) next = batch;
      }
    }
    if (next === undefined) return;
    yield { ...next, events: [next.events.shift()!] };
  }
}

async function linesOf(
  runtime: Runtime,
  tenant: string,
  runId: string,
  stored: StoredEvent,
): Promise<string[]> {
  const [decoded] = await decodeEvents(runtime, tenant, [stored]);
  const { event } = stored;
  const request =
    event.kind === 'step.started' && event.request !== undefined
      ? await runtime.decode(event.request, { tenant })
      : undefined;
  return progressLines({ event, value: decoded?.value, request, runId });
}
