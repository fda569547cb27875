import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createRuntime } from '../../dist/index.js';
import { agentWorkflow, type WorkloadOptions } from './agent-workload.js';
import { postgresCpuSeconds } from './postgres-cpu.js';
import { countFinished, dropSchema, storeAddress } from './postgres-schema.js';
import type { TenStepResult } from './ten-step-runs.js';
import { wakeWorkflow } from './wake-workload.js';

const APP = fileURLToPath(new URL('./postgres-worker-app.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Worker processes (postgres-worker-app.ts) on one store, each ready and waiting for `go`. */
async function spawnWorkers(store: string, count: number, concurrency: number, effects = 'declared') {
  const workers: ChildProcessByStdio<Writable, Readable, null>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
        '--import',
        'tsx',
        APP,
        store,
        String(concurrency),
        effects,
      ],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`a bench worker exited (${code}) before it was ready`)));
      child.stdout.once('data', () => resolve());
    });
    child.removeAllListeners('exit');
    workers.push(child);
  }
  return {
    go: () => {
      for (const child of workers) child.stdin.write('go\n');
    },
    stop: () =>
      Promise.all(
        workers.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.stdin.end();
            }),
        ),
      ),
  };
}

/**
 * Throughput of `workers` worker processes on one PostgreSQL schema: `runs` 10-step runs (the SQLite
 * bench's workload) are created first, then every worker is told to go at once; the time is from `go`
 * to the last run finished, with up to `workers` × `concurrency` runs executing at once.
 */
export async function cairnPostgresWorkers(options: {
  databaseUrl: string;
  workers: number;
  concurrency: number;
  runs: number;
  effects?: WorkloadOptions['effects'];
  /** Each model call takes this long (default 0): throughput is then bounded by the runs in flight. */
  modelLatencyMs?: number;
}): Promise<TenStepResult & { readonly postgresCpuMsPerStep: number | undefined }> {
  const schema = 'cairn_bench_workers';
  await dropSchema(options.databaseUrl, schema);
  const store = storeAddress(options.databaseUrl, schema);
  const runtime = await createRuntime({ store, worker: false });
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const workflow = agentWorkflow({ effects: options.effects });
    for (let i = 0; i < options.runs; i += 50) {
      const batch = Array.from({ length: Math.min(50, options.runs - i) }, () =>
        runtime.start(workflow, { steps: 10, modelLatencyMs: options.modelLatencyMs }),
      );
      await Promise.all(batch);
    }
    const workers = await spawnWorkers(store, options.workers, options.concurrency, options.effects);
    const cpuBefore = postgresCpuSeconds();
    const started = performance.now();
    workers.go();
    while ((await countFinished(client, schema)) < options.runs) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const seconds = (performance.now() - started) / 1_000;
    const cpuAfter = postgresCpuSeconds();
    await workers.stop();
    const steps = options.runs * 10;
    const postgresCpuMsPerStep =
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) * 1_000) / steps;
    return { runs: options.runs, steps, seconds, stepsPerSecond: steps / seconds, postgresCpuMsPerStep };
  } finally {
    await client.end();
    await runtime.close();
    await dropSchema(options.databaseUrl, schema);
  }
}

export interface WakeLatencyResult {
  readonly runs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
}

/**
 * Wake latency: runs wait in a worker process for a signal; this process sends each its signal in turn
 * and measures the time from sending to the start of the step after `waitForSignal` (both on this
 * machine's clock).
 */
export async function cairnPostgresWakeLatency(options: {
  databaseUrl: string;
  runs: number;
}): Promise<WakeLatencyResult> {
  const schema = 'cairn_bench_wake';
  await dropSchema(options.databaseUrl, schema);
  const store = storeAddress(options.databaseUrl, schema);
  const runtime = await createRuntime({ store, worker: false });
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const workers = await spawnWorkers(store, 1, 64);
  try {
    workers.go();
    const handles = [];
    for (let i = 0; i < options.runs; i++) handles.push(await runtime.start(wakeWorkflow, undefined));
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM "${schema}".runs WHERE status = 'waiting'`,
      );
      if (Number(rows[0]!.n) === options.runs) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const latencies: number[] = [];
    for (const handle of handles) {
      await new Promise((resolve) => setTimeout(resolve, 20)); // the worker idle, as between real signals
      const sent = Date.now();
      await runtime.signal(handle.runId, 'go');
      const stepStarted = await handle.result();
      latencies.push(stepStarted - sent);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return { runs: options.runs, medianMs: at(0.5), p90Ms: at(0.9) };
  } finally {
    await workers.stop();
    await client.end();
    await runtime.close();
    await dropSchema(options.databaseUrl, schema);
  }
}
