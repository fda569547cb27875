// LangGraph.js peer for the side-by-side benchmark.
//
// Workload (same as Cairn's side): an agent loop over a growing `messages` list. One *step* is one
// model call (a fake, zero-latency model returning an AIMessage `step <i>` with one `lookup` tool call)
// followed by one tool call (a ToolMessage whose content is a fixed 2048-character string). The graph
// is START -> model -> tools -> (model | END), checkpointed to SQLite after every node (super-step),
// as a normal LangGraph agent with a checkpointer is. Default durability ("async") is kept on purpose:
// it is what a typical LangGraph agent gets.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import Database from 'better-sqlite3';

export interface TenStepResult {
  runs: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

export interface LongRunResult {
  steps: number;
  payloadBytes: number;
  storedBytes: number;
  bytesPerStepAt: Record<number, number>;
  msPerStepAt: Record<number, number>;
}

/** The fixed tool output: 2048 characters of ASCII, so characters == bytes. */
const TOOL_OUTPUT = 'x'.repeat(2048);

/** The model node: a plain function, no latency, no network. Step numbers start at 1. */
function fakeModel(state: typeof MessagesAnnotation.State): { messages: BaseMessage[] } {
  // Messages alternate AI/tool and the run starts with an empty history, so this is step (length/2)+1.
  const i = state.messages.length / 2 + 1;
  const message = new AIMessage({
    content: `step ${i}`,
    tool_calls: [{ name: 'lookup', args: { i }, id: `call_${i}`, type: 'tool_call' }],
  });
  return { messages: [message] };
}

/** The tool node: answers every tool call of the last AIMessage with the fixed 2 KiB output. */
function fakeTools(state: typeof MessagesAnnotation.State): { messages: BaseMessage[] } {
  const last = state.messages.at(-1);
  const calls = last instanceof AIMessage ? (last.tool_calls ?? []) : [];
  return {
    messages: calls.map((call) => new ToolMessage({ content: TOOL_OUTPUT, tool_call_id: call.id ?? '' })),
  };
}

/** Builds the two-node agent graph that ends after `steps` steps (2 messages per step). */
function buildGraph(steps: number, checkpointer: SqliteSaver) {
  return new StateGraph(MessagesAnnotation)
    .addNode('model', fakeModel)
    .addNode('tools', fakeTools)
    .addEdge(START, 'model')
    .addEdge('model', 'tools')
    .addConditionalEdges('tools', (state) => (state.messages.length >= 2 * steps ? END : 'model'), [
      'model',
      END,
    ])
    .compile({ checkpointer });
}

/** Creates the saver's tables (and switches it to WAL) so that this is not timed as part of a step. */
async function createTables(saver: SqliteSaver): Promise<void> {
  // SqliteSaver.setup() is protected; any read runs it, and reading a thread that doesn't exist is cheap.
  await saver.getTuple({ configurable: { thread_id: 'bench-setup' } });
}

function runConfig(threadId: string, steps: number) {
  // Each step is two super-steps (model, tools), plus START; leave headroom.
  return { configurable: { thread_id: threadId }, recursionLimit: 2 * steps + 10 };
}

export async function langGraphTenStepRuns(options: { dir: string; runs: number }): Promise<TenStepResult> {
  const stepsPerRun = 10;
  const saver = SqliteSaver.fromConnString(join(options.dir, 'langgraph.db'));
  const graph = buildGraph(stepsPerRun, saver);
  try {
    await createTables(saver);
    // Warm up (JIT, prepared statements) as Cairn's side does, so neither pays for it in the timing.
    for (let run = 0; run < 10; run++)
      await graph.invoke({ messages: [] }, runConfig(`warm-up-${run}`, stepsPerRun));
    const start = performance.now();
    for (let run = 0; run < options.runs; run++) {
      await graph.invoke({ messages: [] }, runConfig(`ten-step-${run}`, stepsPerRun));
    }
    const seconds = (performance.now() - start) / 1000;
    const steps = options.runs * stepsPerRun;
    return { runs: options.runs, steps, seconds, stepsPerSecond: steps / seconds };
  } finally {
    saver.db.close();
  }
}

type PutArgs = Parameters<SqliteSaver['put']>;
type PutWritesArgs = Parameters<SqliteSaver['putWrites']>;

/**
 * A SqliteSaver that calls `onSaved` right after each checkpoint row is written. LangGraph streams
 * events from a background loop with no backpressure, so a stream consumer sees "tools finished" some
 * unknown time after the fact; the moment the checkpoint after a `tools` node is stored is the exact end
 * of a step. The hook is synchronous, and so are better-sqlite3 and statSync: while it measures, the
 * graph cannot move, so measurement never overlaps a step and can be left out of its time.
 */
class ObservedSqliteSaver extends SqliteSaver {
  onSaved: (metadata: PutArgs[2] | undefined) => void = () => {};
  /** Completed putWrites calls (one per node run), to check what a size reading covers. */
  writesDone = 0;

  override async put(...args: PutArgs) {
    const result = await super.put(...args);
    this.onSaved(args[2]);
    return result;
  }

  override async putWrites(...args: PutWritesArgs) {
    await super.putWrites(...args);
    this.writesDone++;
  }
}

export async function langGraphLongRun(options: {
  dir: string;
  steps: number;
  sampleAt: number[];
}): Promise<LongRunResult> {
  const { steps, sampleAt } = options;
  const dbPath = join(options.dir, 'langgraph.db');
  const saver = new ObservedSqliteSaver(new Database(dbPath));
  await createTables(saver);
  // A second connection, used only to measure: TRUNCATE-checkpointing the WAL into the main file before
  // every size reading makes the reading the real size of the stored data. Without it, db+wal is noisy:
  // SQLite reuses the WAL file from its start after each auto-checkpoint instead of shrinking it.
  const probe = new Database(dbPath);
  const diskBytes = (): number => {
    const [result] = probe.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy !== 0)
      throw new Error('wal_checkpoint(TRUNCATE) was blocked; the size reading would be off');
    const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    return size(dbPath) + size(`${dbPath}-wal`);
  };

  const WINDOW = 5; // msPerStepAt[n] averages steps n-4..n
  const stepMs = new Float64Array(steps + 1); // stepMs[k] = wall time of step k
  const sizeAfter = new Map<number, number>(); // disk bytes right after step k (k = 0: before step 1)
  const measureAfter = new Set(sampleAt.flatMap((n) => [n - 1, n]));

  // LangGraph numbers super-steps in the checkpoint metadata: -1 is the input, 0 is after START, then
  // model and tools alternate, so the checkpoint with metadata.step === 2k is the one after step k's
  // tools node. (Verified: the run's last checkpoint has step === 2 * steps.)
  let stepStart = 0;
  let lastSuperStep = -1;
  saver.onSaved = (metadata) => {
    const superStep = metadata?.step ?? -1;
    lastSuperStep = Math.max(lastSuperStep, superStep);
    if (superStep < 0 || superStep % 2 !== 0) return;
    const k = superStep / 2;
    const now = performance.now();
    if (k > 0) stepMs[k] = now - stepStart;
    if (measureAfter.has(k)) {
      // With the default "async" durability the next node already runs while this checkpoint is being
      // saved, but its writes land later (observed order: put(2k) done, then the next model's
      // putWrites). Check it, so a size reading holds exactly steps 1..k: START's writes plus 2 per step.
      if (saver.writesDone !== 1 + 2 * k) {
        throw new Error(`size reading after step ${k} saw ${saver.writesDone} node writes, not ${1 + 2 * k}`);
      }
      sizeAfter.set(k, diskBytes());
    }
    stepStart = performance.now(); // after measuring, so measurement is never part of a step's time
  };

  const graph = buildGraph(steps, saver);
  try {
    const final = await graph.invoke({ messages: [] }, runConfig('long-run', steps));
    if (lastSuperStep !== 2 * steps) {
      throw new Error(`expected the last checkpoint at super-step ${2 * steps}, saw ${lastSuperStep}`);
    }
    const payloadBytes = final.messages.reduce(
      (sum, m) =>
        sum + Buffer.byteLength(typeof m.content === 'string' ? m.content : JSON.stringify(m.content)),
      0,
    );
    const bytesPerStepAt: Record<number, number> = {};
    const msPerStepAt: Record<number, number> = {};
    for (const n of sampleAt) {
      if (n < 1 || n > steps) throw new Error(`sample step ${n} is outside 1..${steps}`);
      bytesPerStepAt[n] = (sizeAfter.get(n) ?? Number.NaN) - (sizeAfter.get(n - 1) ?? Number.NaN);
      const from = Math.max(1, n - WINDOW + 1);
      let total = 0;
      for (let k = from; k <= n; k++) total += stepMs[k] ?? 0;
      msPerStepAt[n] = total / (n - from + 1);
    }
    return { steps, payloadBytes, storedBytes: diskBytes(), bytesPerStepAt, msPerStepAt };
  } finally {
    probe.close();
    saver.db.close();
  }
}
