import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { payer, researcher, transfers } from './agent-fixtures.js';
import { WORKER } from './cli-fixtures.js';
import { spawnCli } from './spawn-cli.js';

describe('cairn CLI on agent runs', () => {
  const dir = tempDir('cairn-cli-agents-');
  const store = `sqlite:${join(dir, 'cairn.db')}`;
  const cli = (...args: string[]) => spawnCli([...args, '--store', store]);
  let runtime: Runtime;
  const approvalOf = async (runId: string) => (await runtime.listApprovals({ runId }))[0]!.approvalId;

  beforeAll(async () => {
    // A runtime with a worker stays open, so that runs carry on once the CLI decides their approvals.
    runtime = await createRuntime({ store, workflows: [payer, researcher], worker: WORKER });
    await runtime.start(payer, { prompt: 'Pay the rent' }, { runId: 'pay-1' });
    await runtime.start(payer, { prompt: 'Pay the bill' }, { runId: 'pay-2' });
    await (await runtime.start(researcher, { prompt: 'Cairns?' }, { runId: 'research-1' })).result();
    await waitFor(async () => (await runtime.listApprovals()).length === 2);
  });

  afterAll(async () => {
    await runtime?.close(100);
  });

  it('lists pending approvals, and shows the usage so far of a run that waits for one', async () => {
    const [table, asJson, shown] = await Promise.all([
      cli('approvals', 'list'),
      cli('approvals', 'list', '--run', 'pay-1', '--json'),
      cli('runs', 'show', 'pay-1'),
    ]);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+RUN\s+STATUS\s+REQUESTED\s+ASKS\s+DETAILS$/);
    expect(table.stdout).toMatch(
      /^pay-1:\d+\s+pay-1\s+pending\s+\S+Z\s+Call tool 'transfer'\s+\{"amount":100\}$/m,
    );
    expect(table.stdout).toMatch(/^pay-2:\d+\s+pay-2\s+pending/m);
    expect(table.stdout).toContain('cairn approvals reject <id> --reason <text>');

    expect(JSON.parse(asJson.stdout)).toEqual([
      expect.objectContaining({ approvalId: await approvalOf('pay-1'), runId: 'pay-1', status: 'pending' }),
    ]);

    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout).toMatch(
      /^Usage so far\s+1 model call, \d+ in \(0 cached\) \/ \d+ out \(0 reasoning\), \$0\.0\d+\n\nRun\s+pay-1$/m,
    );
  });

  it('approves (with edited arguments) and rejects (a reason is required); the runs carry on', async () => {
    const [first, second] = [await approvalOf('pay-1'), await approvalOf('pay-2')];
    const [approved, noReason] = await Promise.all([
      cli(
        'approvals',
        'approve',
        first,
        '--args',
        '{"amount":50}',
        '--by',
        'alice',
        '--reason',
        'half now',
        '--json',
      ),
      cli('approvals', 'reject', second),
    ]);
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(approved.stdout)).toMatchObject({
      approvalId: first,
      status: 'approved',
      decision: { approved: true, by: 'alice', reason: 'half now', args: { amount: 50 } },
    });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");

    const rejected = await cli('approvals', 'reject', second, '--reason', 'not this month');
    expect(rejected).toMatchObject({ code: 0, stderr: '' });
    expect(rejected.stdout).toContain(`Approval ${second} (Call tool 'transfer', run pay-2) rejected by `);

    expect((await runtime.handle<{ output: string }>('pay-1').result()).output).toContain('sent 50 EUR');
    const refused = await runtime.handle<{ output: string }>('pay-2').result();
    expect(refused.output).toContain('not this month');
    expect(transfers).toEqual([50]);

    const [all, pending, again] = await Promise.all([
      cli('approvals', 'list', '--all'),
      cli('approvals', 'list', '--all', '--json'),
      cli('approvals', 'approve', first),
    ]);
    expect(all.stdout).toMatch(/^ID\s+RUN\s+STATUS\s+REQUESTED\s+ASKS\s+DETAILS\s+BY\s+DECIDED\s+REASON$/m);
    expect(all.stdout).toMatch(
      new RegExp(`^${first}\\s+pay-1\\s+approved\\s.*\\salice\\s+\\S+Z\\s+half now$`, 'm'),
    );
    expect(all.stdout).toMatch(new RegExp(`^${second}\\s+pay-2\\s+rejected\\s.*\\s+not this month$`, 'm'));
    const decided = JSON.parse(pending.stdout) as { runId: string; decision: { by: string } }[];
    // Without --by, the decision is recorded under the OS user's name.
    expect(decided.find((approval) => approval.runId === 'pay-2')?.decision.by).toBe(userInfo().username);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toBe(`error: Approval ${first} was already approved by alice.\n`);
    expect((await cli('approvals', 'list')).stdout).toBe('No approvals are waiting.\n');
  });

  it('traces an agent run: operations with durations, model tokens and cost, the sub-agent nested', async () => {
    const [text, asJson] = await Promise.all([
      cli('trace', 'research-1'),
      cli('trace', 'research-1', '--json'),
    ]);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    const out = text.stdout;
    expect(out).toMatch(/^researcher {2}research-1 {2}completed {2}[\d.]+m?s$/m);
    expect(out).toMatch(
      /^├─ #1 model\s+completed\s+~?[\d.]+m?s {2}200 in \/ 20 out tokens, \$0\.000042 → calls helper$/m,
    );
    expect(out).toMatch(/^├─ #2 child helper\s+completed\s+[\d.]+m?s {2}run research-1:2:helper$/m);
    expect(out).toMatch(
      /^│ {2}└─ #1 model\s+completed\s+~?[\d.]+m?s {2}100 in \/ 10 out tokens, \$0\.000021 → "Cairns mark trails\."$/m,
    );
    expect(out).toMatch(
      /^└─ #3 model\s+completed\s+.*300 in \/ 15 out tokens, .*→ "Cairns mark trails, says my helper\."$/m,
    );
    expect(out).toMatch(
      /^Totals \(with 1 child run\): 3 model calls, 600 in \(0 cached\) \/ 45 out \(0 reasoning\), \$0\.0001$/m,
    );

    const { trace, totals } = JSON.parse(asJson.stdout);
    expect(totals).toMatchObject({ modelCalls: 3, usage: { input: 600, output: 45 } });
    expect(trace.operations.map((op: { kind: string }) => op.kind)).toEqual(['model', 'child', 'model']);
    expect(trace.operations[1].child).toMatchObject({ runId: 'research-1:2:helper', status: 'completed' });
    expect(trace.operations[0].model).toMatchObject({
      usage: { input: 200, output: 20 },
      toolCalls: ['helper'],
    });
  });

  it('shows an agent run led by its summary: output, steps, tools, tokens, cost, duration', async () => {
    const [shown, asJson] = await Promise.all([
      cli('runs', 'show', 'research-1'),
      cli('runs', 'show', 'research-1', '--json'),
    ]);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    const lines = shown.stdout.split('\n');
    expect(lines.slice(0, 9)).toEqual([
      expect.stringMatching(/^Output\s+Cairns mark trails, says my helper\.$/),
      expect.stringMatching(/^Steps\s+2 model calls$/),
      expect.stringMatching(/^Tool calls\s+1 \(helper 1\)$/),
      expect.stringMatching(/^Tokens\s+500 in \(0 cached\) \/ 35 out \(0 reasoning\)$/),
      expect.stringMatching(/^Cost\s+\$0\.000096$/),
      expect.stringMatching(/^With sub-agents\s+3 model calls, 600 in .*, \$0\.0001$/),
      expect.stringMatching(/^Duration\s+[\d.]+m?s$/),
      expect.stringMatching(/^Approvals\s+0$/),
      expect.stringMatching(/^Stopped by\s+answer$/),
    ]);
    expect(shown.stdout).toMatch(/^Run\s+research-1$/m);
    expect(JSON.parse(asJson.stdout).usage).toMatchObject({ modelCalls: 3 });
  });
});
