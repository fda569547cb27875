import { spawn } from 'node:child_process';
import { runUsage } from '../../agent/agent-usage.js';
import { createRuntime } from '../../runtime/runtime.js';
import { CliExit } from '../cli-exit.js';
import type { CliIo } from '../cli-io.js';
import { followRun } from '../follow-run.js';
import { outcomeJson, printOutcome } from '../run-outcome.js';
import { approveWhenAsked } from './approve-when-asked.js';
import { BookingLedger } from './booking-ledger.js';
import { tripAgents } from './trip-agents.js';
import { TRIP_PROMPT } from './trip-scripts.js';

/** The worker dies right after the second model response is committed (the planner asking the guide). */
const CRASH_AT = 'after-result:model@2';

/**
 * `cairn demo --crash`. This process creates the run and watches its journal; a worker process executes
 * it and is killed with SIGKILL mid-run. A worker in this process then takes the run over and finishes
 * it, and the demo checks, by counting this process's model calls, that no journaled call was made again.
 */
export async function crashDemo(store: string, runId: string, io: CliIo): Promise<Record<string, unknown>> {
  io.out(`Cairn demo, with a crash: a trip-planner agent on the embedded store (${store}).`);
  io.out(
    'Its models are scripted: no network, no API key; token counts are made up, costs priced from them.',
  );
  io.out();
  const watcher = await createRuntime({ store, worker: false });
  try {
    const ledger = BookingLedger.besideStore(store);
    await watcher.start(tripAgents(ledger).planner, { prompt: TRIP_PROMPT }, { runId });
    io.out(`1. A worker process runs ${runId}. It is armed to die (CAIRN_CRASH_AT=${CRASH_AT}).`);
    const worker = startWorker(store, runId);
    const watched = await followRun(watcher, runId, io, { children: true, until: () => worker.exited() });
    const exit = await worker.exit;
    if (exit !== 'SIGKILL') {
      throw new CliExit(1, `The demo's worker process should have been killed, but it ended with ${exit}.`);
    }
    const before = (await runUsage(watcher, runId, { tree: true })).modelCalls;
    io.out(`  ✗ the worker process (pid ${worker.pid}) was killed with SIGKILL, mid-run.`);
    io.out(`    The run is still marked ${watched.run.status}, leased to a dead process.`);
    io.out(`    Its journal holds ${before} model responses, each committed before the run moved on.`);
    io.out();
    io.out('2. A new worker starts in this process, and takes the run over from its journal ...');
    const agents = tripAgents(ledger);
    const runtime = await createRuntime({ store, workflows: [agents.planner], worker: { pollMs: 50 } });
    try {
      const { run } = await followRun(runtime, runId, io, {
        children: true,
        from: watched.position,
        onEvent: approveWhenAsked(runtime, io),
      });
      await printOutcome(runtime, run, io);
      const total = (await runUsage(runtime, runId, { tree: true })).modelCalls;
      const after = agents.modelCalls();
      io.out();
      io.out(
        `Model calls: ${before} journaled before the crash were not made again; ${after} made after (${total} in the journal).`,
      );
      io.out(`Bookings made: ${ledger.count(`default:${runId}:`)}`);
      if (after !== total - before)
        throw new CliExit(1, `${after - (total - before)} model calls were made twice.`);
      return {
        ...(await outcomeJson(runtime, run)),
        crash: { killedPid: worker.pid, modelCallsBefore: before, modelCallsAfter: after },
      };
    } finally {
      await runtime.close();
    }
  } finally {
    await watcher.close();
  }
}

/** The worker process: this CLI again, with the crash point armed. */
function startWorker(store: string, runId: string) {
  const entry = process.argv[1] ?? '';
  const args = [...process.execArgv, entry, 'demo', '--phase', 'worker', '--run-id', runId, '--store', store];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, CAIRN_CRASH_AT: CRASH_AT },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let ended = false;
  const exit = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      ended = true;
      resolve(signal ?? `exit code ${code}`);
    });
  });
  return { pid: child.pid, exit, exited: () => ended };
}

/** In the worker process: execute the run until the armed crash point kills this process. */
export async function crashedWorker(store: string, runId: string): Promise<void> {
  const { planner } = tripAgents(BookingLedger.besideStore(store));
  const runtime = await createRuntime({ store, workflows: [planner], worker: { pollMs: 20 } });
  try {
    await runtime.handle(runId).result(); // never settles: the crash point kills this process first
  } finally {
    // If it did settle (the script changed, say), end the process: the demo reports how it ended.
    await runtime.close();
  }
}
