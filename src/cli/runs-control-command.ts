import { type Command, Option } from 'commander';
import { isFinalStatus } from '../core/run.js';
import type { StepResolution } from '../runtime/step-resolution.js';
import { type CliIo, printJson } from './cli-io.js';
import { withCliRuntime } from './open-cli-runtime.js';
import { parseJson, parsePosition } from './parse-args.js';

interface ResolveOptions {
  readonly retry?: boolean;
  readonly complete?: unknown;
  readonly result?: unknown;
  readonly fail?: string;
  readonly skip?: boolean;
  readonly position?: number;
  readonly json?: boolean;
}

const JSON_HELP = 'print what was done as JSON';

/** `cairn runs cancel|fork|resolve|resume`: the commands that change a run. */
export function addRunControlCommands(runs: Command, io: CliIo): void {
  runs
    .command('cancel')
    .description('cancel a run and its children')
    .argument('<runId>', 'the run to cancel')
    .option('--reason <text>', 'why, recorded in the journal')
    .option('--json', JSON_HELP)
    .action(async (runId: string, options: { reason?: string; json?: boolean }, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        const before = await runtime.getRun(runId);
        const after = await runtime.cancel(runId, { reason: options.reason });
        const finished = before !== undefined && isFinalStatus(before.status);
        if (options.json) {
          const { status, cancelRequested } = after;
          return printJson(io, { runId, previousStatus: before?.status, status, cancelRequested, finished });
        }
        if (finished) {
          io.out(`Run ${runId} is already ${before?.status}; nothing to cancel.`);
        } else if (after.status === 'cancelled') {
          io.out(`Run ${runId}: cancelled.`);
        } else {
          io.out(`Run ${runId}: cancel requested (status ${after.status}).`);
          io.out('The worker executing it will cancel it at its next journal write or heartbeat.');
        }
      });
    });

  runs
    .command('fork')
    .description(
      'start a new run that reuses the results recorded before a position, and runs live from there',
    )
    .argument('<runId>', 'the run to fork')
    // `--at` is the older name; commander takes two long flags for one option.
    .requiredOption(
      '--at, --from-step <position>',
      'the first position to run live (see the POS column of runs show, or cairn trace)',
      parsePosition,
    )
    .option('--run-id <id>', 'the new run id (default: derived from the source run id)')
    .option('--json', JSON_HELP)
    .action(
      async (
        runId: string,
        options: { fromStep: number; runId?: string; json?: boolean },
        command: Command,
      ) => {
        await withCliRuntime(command, async (runtime) => {
          const at = options.fromStep;
          const handle = await runtime.fork(runId, { at, runId: options.runId });
          const run = await handle.status();
          if (options.json) {
            return printJson(io, {
              sourceRunId: runId,
              fromStep: at,
              runId: handle.runId,
              workflow: run.workflow,
              status: run.status,
            });
          }
          io.out(`Forked ${runId} at #${at}: new run ${handle.runId}`);
          io.out(`A worker running workflow '${run.workflow}' will execute it. Follow it with:`);
          io.out(`  cairn runs show ${handle.runId}`);
        });
      },
    );

  runs
    .command('resolve')
    .description('settle a side-effect step that a crash left in doubt (the run needs attention)')
    .argument('<runId>', 'the run whose step to settle')
    .addOption(
      new Option('--retry', 'the effect did not happen: run the step again').conflicts([
        'complete',
        'result',
        'fail',
        'skip',
      ]),
    )
    .addOption(
      new Option('--complete <json>', 'the effect happened: record this JSON value as the step result')
        .argParser(parseJson)
        .conflicts(['result', 'fail', 'skip']),
    )
    .addOption(
      new Option('--result <json>', 'the same as --complete')
        .argParser(parseJson)
        .conflicts(['fail', 'skip']),
    )
    .addOption(
      new Option(
        '--fail <message>',
        'fail the step with this message; the workflow sees the error',
      ).conflicts('skip'),
    )
    .addOption(
      new Option(
        '--skip',
        "give up on the step, outcome unknown: it fails with code 'skipped' (an agent's model is told so)",
      ),
    )
    .option('--position <n>', 'the step to settle (default: the first one waiting)', parsePosition)
    .option('--json', JSON_HELP)
    .action(async (runId: string, options: ResolveOptions, command: Command) => {
      const resolution = resolutionOf(options);
      if (resolution === undefined) {
        command.error(
          'error: say how to resolve the step: --retry, --complete <json>, --fail <message> or --skip',
          {
            exitCode: 2,
            code: 'cairn.missingResolution',
          },
        );
      }
      await withCliRuntime(command, async (runtime) => {
        const position = await runtime.resolve(runId, resolution);
        const run = await runtime.getRun(runId);
        if (options.json) return printJson(io, { runId, position, action: resolution.action });
        io.out(`Sent '${resolution.action}' for the step at #${position} of run ${runId}.`);
        io.out(`A worker running workflow '${run?.workflow ?? '?'}' will apply it.`);
      });
    });

  runs
    .command('resume')
    .description('re-run a run that stopped for attention (after deploying code that matches its journal)')
    .argument('<runId>', 'the run to resume')
    .option('--json', JSON_HELP)
    .action(async (runId: string, options: { json?: boolean }, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        await runtime.resume(runId);
        const run = await runtime.getRun(runId);
        if (options.json)
          return printJson(io, { runId, resumed: true, status: run?.status, workflow: run?.workflow });
        io.out(`Run ${runId} woken (status ${run?.status ?? '?'}).`);
        io.out(`A worker running workflow '${run?.workflow ?? '?'}' will replay it.`);
      });
    });
}

function resolutionOf(options: ResolveOptions): StepResolution | undefined {
  const { position } = options;
  if (options.retry === true) return { action: 'retry', position };
  if ('complete' in options) return { action: 'complete', result: options.complete, position };
  if ('result' in options) return { action: 'complete', result: options.result, position };
  if (options.fail !== undefined) return { action: 'fail', message: options.fail, position };
  if (options.skip === true) return { action: 'skip', position };
  return undefined;
}
