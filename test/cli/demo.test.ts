import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { spawnCli } from './spawn-cli.js';

describe('cairn demo', () => {
  it('kills its worker mid-run, and a new worker finishes the run with each booking made once', async () => {
    const dir = tempDir();
    const { code, stdout, stderr } = await spawnCli(['demo', '--store', `sqlite:${join(dir, 'cairn.db')}`]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('the worker was killed with SIGKILL right after booking the hotel');
    expect(stdout).toMatch(
      /hotel: in doubt after a crash; the booking system already has HT-\d+, so not booking again/,
    );
    expect(stdout).toMatch(/Run trip-\w+ completed: .*"approvedBy":"ada@example.com"/);
    expect(stdout).toContain('1 flight, 1 hotel (each exactly once)');
    const bookings = JSON.parse(readFileSync(join(dir, 'demo-bookings.json'), 'utf8')) as { kind: string }[];
    expect(bookings.map((booking) => booking.kind).sort()).toEqual(['flight', 'hotel']);
  });
});
