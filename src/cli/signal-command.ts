import type { Command } from 'commander';
import { type CliIo, printJson } from './cli-io.js';
import { withCliRuntime } from './open-cli-runtime.js';
import { parseJson } from './parse-args.js';

/** `cairn signal <runId> <name> [json]`: sends a signal to a run, for a `ctx.waitForSignal(name)`. */
export function registerSignalCommand(program: Command, io: CliIo): void {
  program
    .command('signal')
    .description('send a signal to a run; it waits in the run’s inbox until ctx.waitForSignal(name) takes it')
    .argument('<runId>', 'the run to signal')
    .argument('<name>', 'the signal name, as the workflow waits for it')
    .argument('[json]', 'the payload, as JSON (default: null)', parseJson)
    .option('--json', 'print what was sent as JSON')
    .action(
      async (
        runId: string,
        name: string,
        payload: unknown,
        options: { json?: boolean },
        command: Command,
      ) => {
        await withCliRuntime(command, async (runtime) => {
          const sent = payload === undefined ? null : payload;
          await runtime.signal(runId, name, sent);
          if (options.json) return printJson(io, { runId, signal: name, payload: sent });
          io.out(`Sent signal '${name}' to run ${runId}.`);
        });
      },
    );
}
