import { type Command, Option } from 'commander';
import { createRuntime } from '../runtime/runtime.js';
import { type CliIo, printJson } from './cli-io.js';
import { approveWhenAsked } from './demo/approve-when-asked.js';
import { BookingLedger } from './demo/booking-ledger.js';
import { crashDemo, crashedWorker } from './demo/crash-demo.js';
import { tripAgents } from './demo/trip-agents.js';
import { TRIP_PROMPT } from './demo/trip-scripts.js';
import { followRun } from './follow-run.js';
import { globalOptions } from './global-options.js';
import { outcomeJson, printOutcome } from './run-outcome.js';

interface DemoOptions {
  readonly crash?: boolean;
  readonly json?: boolean;
  readonly phase: 'all' | 'worker';
  readonly runId?: string;
}

const SILENT: CliIo = { out: () => undefined, write: () => undefined, err: () => undefined };

/**
 * `cairn demo`: a trip-planner agent on the embedded store, offline (scripted models, no API key): tool
 * calls in parallel, a sub-agent, an approval the demo answers itself, live progress, a summary.
 * `--crash`: a worker process runs it and is killed mid-run; this process then carries the run on
 * without making any model call the journal already holds.
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('run an example agent offline, with live progress; --crash kills its worker mid-run')
    .option('--crash', 'run it in a worker process that is killed mid-run, then carry on in this one')
    .option('--json', 'no story; print the outcome as JSON')
    .addOption(
      new Option('--phase <phase>', 'internal: run only the worker that gets killed')
        .choices(['all', 'worker'])
        .default('all')
        .hideHelp(),
    )
    .addOption(new Option('--run-id <id>', 'internal: the run to work on').hideHelp())
    .action(async (options: DemoOptions, command: Command) => {
      const { store } = globalOptions(command);
      if (options.phase === 'worker') return crashedWorker(store, options.runId ?? '');
      const runId = `trip-${Date.now().toString(36)}`;
      const story = options.json ? SILENT : io;
      const outcome = options.crash ? await crashDemo(store, runId, story) : await demo(store, runId, story);
      if (options.json) printJson(io, outcome);
      else {
        io.out();
        io.out(`Look at it again: npx cairn runs show ${runId}   npx cairn trace ${runId}`);
      }
    });
}

async function demo(store: string, runId: string, io: CliIo): Promise<Record<string, unknown>> {
  io.out(`Cairn demo: a trip-planner agent, on the embedded store (${store}).`);
  io.out(
    'Its models are scripted: no network, no API key; token counts are made up, costs priced from them.',
  );
  io.out();
  const ledger = BookingLedger.besideStore(store);
  const { planner } = tripAgents(ledger);
  const runtime = await createRuntime({ store, workflows: [planner], worker: { pollMs: 50 } });
  try {
    await runtime.start(planner, { prompt: TRIP_PROMPT }, { runId });
    const { run } = await followRun(runtime, runId, io, {
      children: true,
      onEvent: approveWhenAsked(runtime, io),
    });
    await printOutcome(runtime, run, io);
    io.out(`Bookings made: ${ledger.count(`default:${runId}:`)}`);
    return await outcomeJson(runtime, run);
  } finally {
    await runtime.close();
  }
}
