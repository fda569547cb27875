import { createRequire } from 'node:module';
import { Command } from 'commander';
import { registerApprovalsCommand } from './approvals-command.js';
import { type CliIo, processIo } from './cli-io.js';
import { registerDemoCommand } from './demo-command.js';
import { addGlobalOptions } from './global-options.js';
import { registerRunCommand } from './run-command.js';
import { registerRunsCommand } from './runs-command.js';
import { registerSignalCommand } from './signal-command.js';
import { registerToolsCommand } from './tools-command.js';
import { registerTraceCommand } from './trace-command.js';
import { registerWorkerCommand } from './worker-command.js';

/** Adds one command (or group of commands) to the program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** The commands that inspect and control runs in a store, in the order `cairn --help` lists them. */
const RUN_COMMANDS: readonly RegisterCommand[] = [
  registerRunsCommand,
  registerTraceCommand,
  registerApprovalsCommand,
  registerSignalCommand,
];

/** Commands that run workflows themselves (they open a runtime with a worker). */
const WORKER_COMMANDS: readonly RegisterCommand[] = [
  registerRunCommand,
  registerWorkerCommand,
  registerDemoCommand,
];

/** Every command of the program. */
export const COMMANDS: readonly RegisterCommand[] = [
  ...RUN_COMMANDS,
  ...WORKER_COMMANDS,
  registerToolsCommand,
];

/**
 * The `cairn` program. Commander's own errors (unknown command, bad option value) are printed by it and
 * then thrown as a `CommanderError` instead of exiting, so that `runCli` decides the exit code.
 */
export function buildProgram(
  io: CliIo = processIo,
  commands: readonly RegisterCommand[] = COMMANDS,
): Command {
  const program = new Command('cairn')
    .description('Run, inspect and control the durable runs of Cairn workflows and agents.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.write(text), writeErr: (text) => io.err(text) })
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  addGlobalOptions(program);
  // Settings above are inherited by the subcommands created below.
  for (const register of commands) register(program, io);
  return program;
}

function packageVersion(): string {
  // The same relative path from src/cli/ (tsx) and dist/cli/ (built).
  const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
  return String(pkg.version ?? '0.0.0');
}
