import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { ApprovalStatus } from '../core/approval.js';
import type { JsonValue } from '../core/value-ref.js';
import { type CliIo, printJson } from './cli-io.js';
import { decisionLine, formatApprovalTable } from './format-approvals.js';
import { withCliRuntime } from './open-cli-runtime.js';
import { parseJson } from './parse-args.js';

const ALL_STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];

interface ListOptions {
  readonly all?: boolean;
  readonly run?: string;
  readonly json?: boolean;
}

interface DecideOptions {
  readonly by: string;
  readonly reason?: string;
  readonly args?: JsonValue;
  readonly json?: boolean;
}

/** `cairn approvals list|approve|reject`: the people's side of `ctx.waitForApproval` and tools that need approval. */
export function registerApprovalsCommand(program: Command, io: CliIo): void {
  const approvals = program
    .command('approvals')
    .description('list the approvals runs are waiting for, and decide them');

  approvals
    .command('list')
    .description('list approvals waiting for a decision, oldest first')
    .option('--all', 'decided ones too, with who decided, when and why')
    .option('--run <runId>', 'only this run’s')
    .option('--json', 'print the approvals as JSON')
    .action(async (options: ListOptions, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        const found = await runtime.listApprovals({
          status: options.all ? ALL_STATUSES : 'pending',
          runId: options.run,
        });
        if (options.json) return printJson(io, found);
        if (found.length === 0) return io.out(options.all ? 'No approvals.' : 'No approvals are waiting.');
        for (const line of formatApprovalTable(found, options.all === true)) io.out(line);
        if (found.some((approval) => approval.status === 'pending')) {
          io.out('');
          io.out(
            'Decide with: cairn approvals approve <id> [--args <json>]  or  cairn approvals reject <id> --reason <text>',
          );
        }
      });
    });

  approvals
    .command('approve')
    .description('approve; the waiting run carries on')
    .argument('<approvalId>', 'the approval, as `approvals list` shows it')
    .option('--by <name>', 'who approves (recorded)', defaultApprover())
    .option('--reason <text>', 'why (recorded)')
    .option('--args <json>', 'arguments to use instead of the requested ones (a tool call’s, say)', parseJson)
    .option('--json', 'print the decided approval as JSON')
    .action(async (approvalId: string, options: DecideOptions, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        const { by, reason, args } = options;
        const decided = await runtime.approve(approvalId, { by, reason, args });
        if (options.json) return printJson(io, decided);
        io.out(decisionLine(decided));
      });
    });

  approvals
    .command('reject')
    .description('reject; the reason reaches the run (an agent’s model reads it)')
    .argument('<approvalId>', 'the approval, as `approvals list` shows it')
    .requiredOption('--reason <text>', 'why (required: the run, or its model, is told)')
    .option('--by <name>', 'who rejects (recorded)', defaultApprover())
    .option('--json', 'print the decided approval as JSON')
    .action(async (approvalId: string, options: DecideOptions, command: Command) => {
      await withCliRuntime(command, async (runtime) => {
        const decided = await runtime.reject(approvalId, { by: options.by, reason: options.reason });
        if (options.json) return printJson(io, decided);
        io.out(decisionLine(decided));
      });
    });
}

/** The OS user name: who is at the keyboard, unless `--by` says otherwise. */
function defaultApprover(): string {
  try {
    return userInfo().username;
  } catch {
    // No entry in the user database (a container running as an arbitrary uid).
    return process.env.USER ?? 'unknown';
  }
}
