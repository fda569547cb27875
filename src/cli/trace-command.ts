import type { Command } from 'commander';
import { runUsage } from '../agent/agent-usage.js';
import { type CliIo, printJson } from './cli-io.js';
import { formatTrace } from './format-trace.js';
import { withCliRuntime } from './open-cli-runtime.js';
import { traceRun } from './run-trace.js';

/**
 * `cairn trace <runId>`: the run's operations as a tree (steps, model calls with their tokens and cost,
 * tool calls, timers, signals, approvals, child runs nested), each with its status and duration, then
 * the totals of the run and its children.
 */
export function registerTraceCommand(program: Command, io: CliIo): void {
  program
    .command('trace')
    .description('show a run’s operations as a tree, with durations, tokens and cost; child runs nested')
    .argument('<runId>', 'the run to trace')
    .option('--json', 'print { trace, totals } as JSON')
    .action(async (runId: string, options: { json?: boolean }, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        const trace = await traceRun(runtime, runId);
        const totals = await runUsage(runtime, runId, { tree: true });
        if (options.json) {
          printJson(io, { trace, totals });
          return;
        }
        for (const line of formatTrace(trace, totals)) io.out(line);
      });
    });
}
