/**
 * The `cairn` command: `bin/cairn.js` imports the built copy of this file. It sets the exit code rather
 * than calling `process.exit`, so that output written to a pipe is flushed before the process ends.
 */
import { runCli } from './run-cli.js';

// The reader of our output went away (`cairn runs list | head`): nobody is left to tell, so stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2));
