import { CommanderError } from 'commander';
import { isCairnError } from '../core/errors.js';
import { CliExit } from './cli-exit.js';
import { type CliIo, processIo } from './cli-io.js';
import { buildProgram } from './program.js';

/** Exit codes: 0 success, 1 the command failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs the CLI on `args` (without `node` and the script) and returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...args], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * Prints an error in one or two plain lines and returns the exit code. Usage errors were already
 * printed by commander. Errors Cairn raised on purpose print their message; anything else (a bug)
 * prints its stack. `CAIRN_DEBUG=1` prints the stack of every error.
 */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (error instanceof CliExit) {
    if (error.message !== '') io.err(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const debug = process.env.CAIRN_DEBUG !== undefined && process.env.CAIRN_DEBUG !== '';
  if (isCairnError(error) && !debug) {
    io.err(`error: ${error.message}\n`);
    if (error.kind === 'interruption') io.err(`(${error.code}: the operation was interrupted; try again)\n`);
    if (error.kind === 'defect') io.err(`(${error.code}: this is a defect, not a usage problem)\n`);
    return EXIT_FAILED;
  }
  io.err(`${error instanceof Error ? (error.stack ?? error.message) : `error: ${String(error)}`}\n`);
  return EXIT_FAILED;
}
