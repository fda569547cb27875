import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsage } from '../../src/agent/agent-usage.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { tempDir } from '../support/temp-dir.js';
import { spawnCli } from './spawn-cli.js';

describe('cairn demo', () => {
  it('runs the trip planner offline: parallel tools, a sub-agent, an approval, live progress, a summary', async () => {
    const dir = tempDir();
    const crashStore = `sqlite:${join(dir, 'crash.db')}`;
    const [plain, crashed] = await Promise.all([
      spawnCli(['demo', '--store', `sqlite:${join(dir, 'cairn.db')}`]),
      spawnCli(['demo', '--crash', '--store', crashStore]),
    ]);

    expect(plain.code, plain.stderr).toBe(0);
    const out = plain.stdout;
    expect(out).toMatch(
      /model: 1,210 in \/ 64 out tokens, \$0\.0002 → calls search_flights, search_hotels$/m,
    );
    expect(out).toContain('→ search_flights {"from":"London","to":"Lisbon","date":"2025-06-12"}');
    expect(out).toContain('✓ search_hotels → [{"hotel":"Casa do Largo"');
    expect(out).toMatch(/↳ child run trip-\w+:5:local-guide \(local-guide\) started$/m);
    expect(out).toMatch(/^\s+\+\S+ {4}model: 640 in \/ 22 out tokens, .* → calls weather$/m);
    expect(out).toMatch(/⏸ waiting for approval (trip-\w+:7): Call tool 'book_trip'/);
    expect(out).toContain('finds the approval with listApprovals and approves it');
    expect(out).toMatch(/✓ approval trip-\w+:7 approved by ada@example\.com: within budget$/m);
    expect(out).toMatch(/✓ book_trip → \{"confirmation":"TRIP-\d+"/);
    expect(out).toContain('Output:\n  Your trip is booked');
    expect(out).toMatch(
      /^Tool calls\s+4 \(search_flights 1, search_hotels 1, local_guide 1, book_trip 1\)$/m,
    );
    expect(out).toMatch(/^Tokens\s+7,260 in \(4,224 cached\) \/ 259 out \(0 reasoning\)$/m);
    expect(out).toMatch(/^Cost\s+\$0\.0012$/m);
    expect(out).toMatch(/^Approvals\s+1$/m);
    expect(out).toContain('Bookings made: 1\n');

    // --crash: killed mid-run, carried on in the demo's process, no journaled model call made again.
    expect(crashed.code, crashed.stderr).toBe(0);
    const story = crashed.stdout;
    expect(story).toMatch(/the worker process \(pid \d+\) was killed with SIGKILL, mid-run/);
    expect(story).toContain('Its journal holds 2 model responses, each committed before the run moved on.');
    expect(story).toMatch(/✓ run (trip-\w+) completed$/m);
    expect(story).toContain(
      'Model calls: 2 journaled before the crash were not made again; 4 made after (6 in the journal).',
    );
    expect(story).toContain('Bookings made: 1\n');
    const runId = /✓ run (trip-\w+) completed$/m.exec(story)?.[1] ?? '';
    const runtime = await createRuntime({ store: crashStore, worker: false });
    try {
      expect((await runtime.getRun(runId))?.status).toBe('completed');
      expect((await runUsage(runtime, runId, { tree: true })).modelCalls).toBe(6);
    } finally {
      await runtime.close();
    }
  });
});
