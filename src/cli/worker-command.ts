import { type Command, InvalidArgumentError } from 'commander';
import { CairnError } from '../core/errors.js';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import type { CliIo } from './cli-io.js';
import { globalOptions } from './global-options.js';
import { type HealthServer, startHealthServer } from './health-server.js';
import { loadWorkflows } from './load-workflows.js';
import { parseNonNegativeInt, parsePort, parsePositiveInt } from './parse-args.js';
import { redactStoreUrl } from './redact-store-url.js';
import { listenForShutdown } from './shutdown-signals.js';
import { workerProbe } from './worker-probe.js';

interface WorkerOptions {
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly drainMs: number;
  readonly healthPort?: number;
  readonly workerId?: string;
}

/** How long running executions get to finish or reach a wait after SIGTERM, unless told otherwise. */
export const DEFAULT_DRAIN_MS = 30_000;

/**
 * How long a drained worker waits for the event loop to empty before it exits anyway: a step it gave up
 * on may still be running user code that ignores its abort signal (a slow request, a timer), and that
 * must not keep a stopped worker's pod alive. Its run was released; another worker carries it on.
 */
const EXIT_AFTER_DRAIN_MS = 1_000;

/**
 * `cairn worker <file>`: a long-lived process that executes the runs of every workflow and agent a file
 * exports (their children and sub-agents too), on the store, until SIGTERM or SIGINT. Then it drains:
 * it stops claiming, gives running executions `--drain-ms` to finish or reach a wait, releases the rest
 * for another worker at once, closes the store and exits 0. `--health-port` serves /healthz, /readyz
 * and /metrics.
 */
export function registerWorkerCommand(program: Command, io: CliIo): void {
  program
    .command('worker')
    .description(
      'execute the runs of the workflows and agents a .ts/.js file exports, until SIGTERM or SIGINT; then drain',
    )
    .argument('<file>', 'a .ts, .mts, .js or .mjs file exporting workflows or agents')
    .option('--concurrency <n>', 'runs executed at once (default 32)', parsePositiveInt)
    .option('--lease-ms <ms>', 'how long a claim lasts without a heartbeat (default 30000)', parsePositiveInt)
    .option(
      '--poll-ms <ms>',
      'how often to look for runs when no wakeup comes (default 1000 on PostgreSQL, 250 on SQLite)',
      parsePositiveInt,
    )
    .option(
      '--drain-ms <ms>',
      'on SIGTERM or SIGINT, how long running executions get to finish or reach a wait before they are released',
      parseNonNegativeInt,
      DEFAULT_DRAIN_MS,
    )
    .option(
      '--health-port <port>',
      'serve GET /healthz, /readyz and /metrics on this port, on all interfaces (0: any free port)',
      parsePort,
    )
    .option(
      '--worker-id <id>',
      'the id its leases carry, unique per process (default <host>:<pid namespace>/<pid>/<random>)',
      parseWorkerId,
    )
    .action(async (file: string, options: WorkerOptions, command: Command) => {
      await runWorker(file, options, globalOptions(command).store, io);
      // Unref'd: it fires only if something still holds the process open once the worker has drained.
      setTimeout(() => process.exit(), EXIT_AFTER_DRAIN_MS).unref();
    });
}

async function runWorker(file: string, options: WorkerOptions, store: string, io: CliIo): Promise<void> {
  // Listening from the start: a SIGTERM that comes while the worker starts drains it as soon as it has.
  const shutdown = listenForShutdown((signal) => {
    io.err(
      `error: ${signal} again while draining: exiting now; the runs still executing are taken over by another worker when their leases expire\n`,
    );
    process.exit(1);
  });
  let runtime: Runtime | undefined;
  let health: HealthServer | undefined;
  try {
    const workflows = await loadWorkflows(file);
    if (workflows.length === 0) {
      throw new CairnError(
        'workflow_not_found',
        `${file} exports no workflow or agent. Export the ones to run, made with defineWorkflow() or defineAgent().`,
      );
    }
    if (options.healthPort !== undefined) health = await listen(options.healthPort, () => runtime);
    const { concurrency, leaseMs, pollMs, workerId } = options;
    runtime = await createRuntime({ store, workflows, worker: { concurrency, leaseMs, pollMs, workerId } });
    const status = runtime.workerStatus();
    const served = health === undefined ? '' : `, health on port ${health.port}`;
    io.out(
      `Worker ${status.workerId} started: store ${redactStoreUrl(store)}, workflows ${status.workflows.join(', ')}, concurrency ${status.concurrency}${served}`,
    );
    const signal = await shutdown.received;
    const began = Date.now();
    await runtime.close(options.drainMs);
    io.out(
      `Worker ${status.workerId} drained after ${signal} in ${((Date.now() - began) / 1000).toFixed(1)} s.`,
    );
  } finally {
    // A worker that failed to start still releases what it may have claimed.
    await runtime?.close(0);
    await health?.close();
    shutdown.dispose();
  }
}

async function listen(port: number, runtime: () => Runtime | undefined): Promise<HealthServer> {
  try {
    return await startHealthServer(port, workerProbe(runtime));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'it is in use' : (error as Error).message;
    throw new CairnError('invalid_argument', `Cannot serve health checks on port ${port}: ${reason}.`, {
      cause: error,
    });
  }
}

/** A worker id: what its leases carry; printable, no spaces, at most 200 characters. */
function parseWorkerId(text: string): string {
  if (!/^[\x21-\x7e]{1,200}$/.test(text)) {
    throw new InvalidArgumentError('Expected 1 to 200 printable characters without spaces.');
  }
  return text;
}
