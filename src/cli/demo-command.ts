import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { CairnError } from '../core/errors.js';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import type { CliIo } from './cli-io.js';
import { decodeEvents } from './decode-values.js';
import { BookingLedger } from './demo/booking-ledger.js';
import { tripWorkflows } from './demo/trip-workflows.js';
import { formatTimeline } from './format-timeline.js';
import { globalOptions } from './global-options.js';

interface DemoOptions {
  readonly phase: 'all' | 'worker';
  readonly runId?: string;
}

/**
 * `cairn demo`: a trip-booking workflow on the embedded store. A worker process starts it and is
 * killed with SIGKILL right after booking the hotel, before Cairn records the booking; a new worker
 * then resumes the run, reconciles the hotel with the booking system instead of booking it twice,
 * waits durably for a timer and an approval, starts a child run, and completes.
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('run a durable workflow, kill its worker mid-run, and watch a new worker finish it')
    .addOption(
      new Option('--phase <phase>', 'internal: run only the worker that gets killed')
        .choices(['all', 'worker'])
        .default('all')
        .hideHelp(),
    )
    .addOption(new Option('--run-id <id>', 'internal: the run to work on').hideHelp())
    .action(async (options: DemoOptions, command: Command) => {
      const { store } = globalOptions(command);
      if (options.phase === 'worker') return workerPhase(store, options.runId ?? '', io);
      return demo(store, io);
    });
}

async function demo(store: string, io: CliIo): Promise<void> {
  const runId = `trip-${Date.now().toString(36)}`;
  io.out(`Cairn demo: a durable trip-booking workflow on the embedded store (${store}).`);
  io.out('');
  io.out(`1. A worker process starts run ${runId} ...`);
  const exit = await runKilledWorker(store, runId, io);
  if (exit !== 'SIGKILL')
    throw new CairnError(
      'invalid_argument',
      `The demo worker should have been killed, but it ended with ${exit}.`,
    );
  io.out('  ✗ the worker was killed with SIGKILL right after booking the hotel, before Cairn recorded it');
  io.out('');
  io.out('2. A new worker starts. It resumes the run without being asked ...');
  const ledger = new BookingLedger(ledgerPath(store));
  const { trip, itinerary } = tripWorkflows(ledger, (line) => io.out(line));
  const runtime = await createRuntime({ store, workflows: [trip, itinerary], worker: { pollMs: 50 } });
  try {
    await approveWhenAsked(runtime, runId, io);
    const result = await runtime.handle(runId).result();
    io.out('');
    io.out(`3. Run ${runId} completed: ${JSON.stringify(result)}`);
    io.out(
      `   Bookings made for it: ${ledger.count('flight', `default:${runId}:`)} flight, ${ledger.count('hotel', `default:${runId}:`)} hotel (each exactly once).`,
    );
    const { run, events } = await runtime.inspect(runId);
    io.out('');
    io.out(`   Its journal (${events.length} events):`);
    for (const line of formatTimeline(await decodeEvents(runtime, run.tenantId, events)))
      io.out(`   ${line}`);
    io.out('');
    io.out(`   Inspect it again with: npx cairn runs show ${runId}`);
  } finally {
    await runtime.close();
  }
}

/** Phase 1, in a child process armed to die right after the hotel booking. */
async function workerPhase(store: string, runId: string, io: CliIo): Promise<void> {
  const { trip, itinerary } = tripWorkflows(new BookingLedger(ledgerPath(store)), (line) => io.out(line));
  const runtime = await createRuntime({ store, workflows: [trip, itinerary], worker: { pollMs: 50 } });
  await runtime.start(trip, { city: 'Lisbon', nights: 2 }, { runId });
  await runtime.handle(runId).result(); // never returns: the crash point kills this process first
}

function runKilledWorker(store: string, runId: string, io: CliIo): Promise<string> {
  const entry = process.argv[1] ?? '';
  const child = spawn(
    process.execPath,
    [...process.execArgv, entry, 'demo', '--phase', 'worker', '--run-id', runId, '--store', store],
    {
      env: { ...process.env, CAIRN_CRASH_AT: 'after-effect:book-hotel' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout.on('data', (chunk: Buffer) => io.write(chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise(signal ?? `exit code ${code}`));
  });
}

/** Plays the approver: once the run waits for approval, sends it. */
async function approveWhenAsked(runtime: Runtime, runId: string, io: CliIo): Promise<void> {
  for (;;) {
    const { run, events } = await runtime.inspect(runId);
    if (run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled') return;
    if (events.some(({ event }) => event.kind === 'signal.waiting' && event.name === 'approval')) break;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
  io.out("  … the run is waiting for a person's approval (held by no worker, in no memory); approving");
  await runtime.signal(runId, 'approval', { by: 'ada@example.com' });
}

/** The booking system's file sits next to the store. */
function ledgerPath(store: string): string {
  const path = store.replace(/^sqlite:/, '').split('?')[0] ?? '.cairn/cairn.db';
  return join(dirname(resolve(path)), 'demo-bookings.json');
}
