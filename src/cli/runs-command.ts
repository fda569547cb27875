import type { Command } from 'commander';
import type { RunStatus } from '../core/run.js';
import { agentRunView } from './agent-run-view.js';
import { type CliIo, printJson } from './cli-io.js';
import { decodeEvents, decodeRun, eventJson } from './decode-values.js';
import { formatRunHeader, formatRunTable } from './format-run.js';
import { formatTimeline } from './format-timeline.js';
import { globalOptions } from './global-options.js';
import { withCliRuntime } from './open-cli-runtime.js';
import { parsePositiveInt, parseStatuses } from './parse-args.js';
import { addRunControlCommands } from './runs-control-command.js';

const DEFAULT_LIMIT = 100;

interface ListOptions {
  readonly status?: RunStatus[];
  readonly workflow?: string;
  readonly limit: number;
  readonly json?: boolean;
}

/** `cairn runs ...`: list and inspect runs, and act on them (cancel, fork, resolve, resume). */
export function registerRunsCommand(program: Command, io: CliIo): void {
  const runs = program.command('runs').description('list, inspect and control runs');

  runs
    .command('list')
    .description('list runs, newest first')
    .option('--status <statuses>', 'only runs with these statuses (comma-separated)', parseStatuses)
    .option('--workflow <name>', 'only runs of this workflow')
    .option('--limit <n>', 'at most this many runs', parsePositiveInt, DEFAULT_LIMIT)
    .option('--json', 'print the runs as JSON, values decoded')
    .action(async (options: ListOptions, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        const found = await runtime.listRuns({
          status: options.status,
          workflow: options.workflow,
          limit: options.limit,
        });
        if (options.json) {
          printJson(io, await Promise.all(found.map((run) => decodeRun(runtime, run))));
          return;
        }
        if (found.length === 0) {
          io.out(emptyListMessage(command, options));
          return;
        }
        for (const line of formatRunTable(found)) io.out(line);
        if (found.length === options.limit) {
          io.out(`(showing the ${options.limit} most recent runs; use --limit to see more)`);
        }
      });
    });

  runs
    .command('show')
    .description("show a run and its journal as a timeline, led by an agent's summary (tokens, cost, tools)")
    .argument('<runId>', 'the run to show')
    .option('--json', 'print { run, events, usage } as JSON, values decoded')
    .action(async (runId: string, options: { json?: boolean }, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        const { run, events } = await runtime.inspect(runId);
        const decodedRun = await decodeRun(runtime, run);
        const decodedEvents = await decodeEvents(runtime, run.tenantId, events);
        const agent = await agentRunView(runtime, decodedRun);
        if (options.json) {
          printJson(io, { run: decodedRun, events: decodedEvents.map(eventJson), usage: agent.usage });
          return;
        }
        for (const line of agent.lines) io.out(line);
        if (agent.lines.length > 0) io.out();
        const first = decodedEvents[0];
        for (const line of formatRunHeader(decodedRun, first?.raw, first?.value)) io.out(line);
        io.out();
        io.out(`Journal: ${events.length} event${events.length === 1 ? '' : 's'}`);
        for (const line of formatTimeline(decodedEvents)) io.out(`  ${line}`);
      });
    });

  addRunControlCommands(runs, io);
}

function emptyListMessage(command: Command, options: ListOptions): string {
  if (options.status !== undefined || options.workflow !== undefined) return 'No runs match these filters.';
  const { store, tenant } = globalOptions(command);
  return `No runs yet in ${store} (tenant ${tenant}). Start one with: npm run demo`;
}
