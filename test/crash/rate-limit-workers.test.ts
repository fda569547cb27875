import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rateLimitBuckets } from '../../src/core/rate-limit.js';
import { describePostgres, freshSchema, POSTGRES_URL } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';
import { CallTimesLedger } from './call-times-ledger.js';

const APP = fileURLToPath(new URL('./rate-limit-app.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 4; // per process
const CALLS = 2; // per run
// The limit the app declares: { calls: 5, per: '1s' }. Imported values would run the app's top level.
const LIMIT = rateLimitBuckets({ calls: 5, per: '1s' }).calls!;

/** Runs the app as a real process; resolves with its exit code and what it wrote to stderr. */
function runApp(
  store: string,
  ledger: string,
  prefix: string,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', APP, store, ledger, prefix, String(RUNS), String(CALLS)],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/**
 * Two processes on one store, each with its own runs, all calling one API limited to 5 calls a second.
 * A token bucket grants at most `capacity + rate × window` in any window (a full bucket's burst, then
 * the refill), so no second may hold more than 10 calls, whichever process made them. (A call is
 * recorded a commit or two after its token was granted; the count holds as long as those delays vary
 * by less than the 200 ms between tokens.)
 */
async function expectOneLimitAcrossTwoProcesses(store: string): Promise<void> {
  const ledgerPath = join(tempDir(), 'calls.db');
  const exits = await Promise.all([runApp(store, ledgerPath, 'a'), runApp(store, ledgerPath, 'b')]);
  for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);

  const ledger = new CallTimesLedger(ledgerPath);
  const calls = ledger.calls();
  ledger.close();
  expect(calls).toHaveLength(2 * RUNS * CALLS);
  expect(new Set(calls.map((call) => call.pid)).size, 'calls made by each process').toBe(2);

  const mostInOneSecond = Math.floor(LIMIT.capacity + LIMIT.refillPerMs * 1_000);
  for (const [index, call] of calls.entries()) {
    const inWindow = calls.slice(index).filter((later) => later.at < call.at + 1_000).length;
    expect(inWindow, `calls in the second from ${call.at}`).toBeLessThanOrEqual(mostInOneSecond);
  }
  // After the first burst, the rest came at the shared rate (2.2 s here; two buckets would take 0.6 s).
  const span = calls.at(-1)!.at - calls[0]!.at;
  expect(span).toBeGreaterThanOrEqual(0.75 * ((calls.length - LIMIT.capacity) / LIMIT.refillPerMs));
}

describe('a rate limit shared by worker processes on one SQLite file', () => {
  it('two processes never exceed the limit together, and every run completes', {
    timeout: 30_000,
  }, async () => {
    await expectOneLimitAcrossTwoProcesses(`sqlite:${join(tempDir(), 'cairn.db')}`);
  });
});

await describePostgres('a rate limit shared by worker processes on one PostgreSQL schema', () => {
  it('two processes never exceed the limit together, and every run completes', {
    timeout: 30_000,
  }, async () => {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('schema', freshSchema('cairn_rate'));
    await expectOneLimitAcrossTwoProcesses(url.toString());
  });
});
