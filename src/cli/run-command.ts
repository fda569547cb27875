import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { isAgent } from '../agent/define-agent.js';
import { CairnError } from '../core/errors.js';
import { type AnyWorkflow, createRuntime, type Runtime } from '../runtime/runtime.js';
import { type CliIo, printJson } from './cli-io.js';
import { detach } from './detach-run.js';
import { followRun } from './follow-run.js';
import { globalOptions } from './global-options.js';
import { loadWorkflows, pickWorkflow } from './load-workflows.js';
import { parseJson } from './parse-args.js';
import { notCompleted, outcomeJson, printOutcome } from './run-outcome.js';

interface RunOptions {
  readonly workflow?: string;
  readonly input?: unknown;
  readonly prompt?: string;
  readonly runId?: string;
  readonly detach?: boolean;
  readonly quiet?: boolean;
  readonly json?: boolean;
}

const SILENT: CliIo = { out: () => undefined, write: () => undefined, err: () => undefined };

/**
 * `cairn run <file>`: runs a workflow or agent that a file exports, on the store, in this process:
 * starts the run, prints its progress as it goes, then its result. With `--detach`, a background
 * process runs it instead, and the command returns at once with the run's id.
 */
export function registerRunCommand(program: Command, io: CliIo): void {
  program
    .command('run')
    .description('run a workflow or agent exported by a .ts/.js file, with live progress, then its result')
    .argument('<file>', 'a .ts, .mts, .js or .mjs file exporting workflows or agents')
    .option('--workflow <name>', 'which exported workflow or agent (needed when there are several)')
    .addOption(new Option('--input <json>', 'the input, as JSON').argParser(parseJson).conflicts('prompt'))
    .option('--prompt <text>', 'an agent\'s task (the same as --input \'{"prompt":"..."}\')')
    .option(
      '--run-id <id>',
      'the run id (default: generated); an existing run is followed, not started again',
    )
    .option('--detach', 'start the run, print its id, and leave a background process to run it')
    .option('--json', 'no progress; print the outcome (or, with --detach, the run id) as JSON')
    .addOption(new Option('--quiet', 'internal: print nothing (the background process)').hideHelp())
    .action(async (file: string, options: RunOptions, command: Command) => {
      const workflows = await loadWorkflows(file);
      const workflow = pickWorkflow(file, workflows, options.workflow);
      const { store, tenant } = globalOptions(command);
      const worker = options.detach ? false : { pollMs: 50 };
      const runtime = await createRuntime({ store, tenant, workflows, worker });
      try {
        const runId = await startOrFind(runtime, workflow, options);
        if (options.detach) {
          const args = ['run', resolve(file), '--workflow', workflow.name, '--run-id', runId, '--quiet'];
          const pid = detach([...args, '--store', store, '--tenant', tenant]);
          if (options.json) return printJson(io, { runId, workflow: workflow.name, detached: true, pid });
          io.out(runId);
          return;
        }
        const quiet = options.quiet === true || options.json === true;
        if (!quiet) io.out(`Run ${runId} (${workflow.name}), store ${store}:`);
        const { run } = await followRun(runtime, runId, quiet ? SILENT : io, { children: true });
        if (options.json) {
          printJson(io, await outcomeJson(runtime, run));
          if (run.status !== 'completed') throw notCompleted(run);
        } else if (!quiet) await printOutcome(runtime, run, io);
        else if (run.status !== 'completed') throw notCompleted(run);
      } finally {
        await runtime.close();
      }
    });
}

/** Starts the run; or, when `--run-id` names a run that exists already (a detached one), takes it up. */
async function startOrFind(runtime: Runtime, workflow: AnyWorkflow, options: RunOptions): Promise<string> {
  const existing = options.runId === undefined ? undefined : await runtime.getRun(options.runId);
  if (existing !== undefined) {
    if (existing.workflow === workflow.name) return existing.runId;
    throw new CairnError(
      'run_exists',
      `Run ${existing.runId} exists already, for workflow '${existing.workflow}', not '${workflow.name}'. Choose another --run-id.`,
    );
  }
  const handle = await runtime.start(workflow, inputOf(workflow, options), { runId: options.runId });
  return handle.runId;
}

function inputOf(workflow: AnyWorkflow, options: RunOptions): unknown {
  if (options.prompt !== undefined) return { prompt: options.prompt };
  if ('input' in options) return options.input;
  if (isAgent(workflow)) {
    throw new CairnError(
      'invalid_argument',
      `'${workflow.name}' is an agent: give it a task with --prompt <text> (or --input '{"prompt":"..."}').`,
    );
  }
  return undefined;
}
