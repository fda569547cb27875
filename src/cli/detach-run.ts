import { spawn } from 'node:child_process';
import { CairnError } from '../core/errors.js';

/**
 * Starts this CLI again in a background process with `args` (a `cairn run ... --run-id <id> --quiet`),
 * detached from this one and with no stdio, so it carries on after this command returns and the
 * terminal closes. The same Node flags are passed on (`--import tsx` when the CLI runs from source).
 * Returns the new process's pid.
 */
export function detach(args: readonly string[]): number {
  const entry = process.argv[1];
  if (entry === undefined) throw new CairnError('invalid_argument', 'Cannot tell how this CLI was started.');
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    detached: true,
    stdio: 'ignore',
    cwd: process.cwd(),
    env: process.env,
  });
  // Spawning fails after this returns, if it does; say so instead of crashing on an unhandled event.
  child.on('error', (error) => {
    process.stderr.write(`error: the background process did not start: ${error.message}\n`);
  });
  child.unref();
  return child.pid ?? 0;
}
