// DBOS Transact peer for the side-by-side benchmark.
//
// Workload (the same as Cairn's, from ../cairn/agent-workload.ts): an agent loop over a growing history.
// One *step* is one model call (`fakeModel`: a plain function, no latency) and one tool call (the fixed
// 2 KB `TOOL_OUTPUT`), each its own `DBOS.runStep`, so DBOS checkpoints both results in its PostgreSQL
// system database before the workflow moves on; both are appended to a history array kept in the
// workflow. A run is one DBOS workflow of 10 steps.
//
// Each call gets a fresh system database (`dbos_bench_sys` on the server of `databaseUrl`), launches
// DBOS, warms up, measures, then shuts DBOS down and clears its registry, so a process can call these
// functions more than once (DBOS is a process-wide singleton: workflows must be registered before
// `DBOS.launch()`, and `shutdown({ deregister: true })` is what allows registering and launching again).

import { DBOS } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import { fakeModel, type Message, TOOL_OUTPUT } from '../cairn/agent-workload.js';

export interface DbosResult {
  runs: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

const STEPS_PER_RUN = 10;
const WARM_UP_RUNS = 10;
const SYSTEM_DATABASE = 'dbos_bench_sys';

/** The workflow body: `steps` iterations of (model step, tool step), each a checkpointed DBOS step. */
async function agentRun(input: { steps: number }): Promise<{ messages: number }> {
  const history: Message[] = [{ role: 'user', content: 'Find the answer.' }];
  for (let i = 0; i < input.steps; i++) {
    const reply = await DBOS.runStep(async () => fakeModel(history, i), { name: 'model' });
    history.push(reply);
    const output = await DBOS.runStep(async () => TOOL_OUTPUT, { name: 'tool' });
    history.push({ role: 'tool', content: output, toolCallId: `call_${i}` });
  }
  return { messages: history.length };
}

/** `databaseUrl` with its database name replaced by `name`. */
function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops and recreates the system database, connecting through `databaseUrl` (any database on the server). */
async function freshSystemDatabase(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${SYSTEM_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${SYSTEM_DATABASE}`);
  } finally {
    await client.end();
  }
  return withDatabase(databaseUrl, SYSTEM_DATABASE);
}

/**
 * Launches DBOS on a fresh system database with the workload registered, runs `body` with the workflow,
 * and always shuts DBOS down (closing its pools, so the process can exit) and clears its registry.
 */
async function withDbos<T>(
  databaseUrl: string,
  body: (workflow: (input: { steps: number }) => Promise<{ messages: number }>) => Promise<T>,
): Promise<T> {
  const systemDatabaseUrl = await freshSystemDatabase(databaseUrl);
  // Registration must come before launch; after `shutdown({ deregister: true })` a fresh wrapper is
  // needed, so register on every call.
  const workflow = DBOS.registerWorkflow(agentRun, { name: 'bench-agent' });
  DBOS.setConfig({
    name: 'cairn-bench',
    systemDatabaseUrl,
    // A fixed version: without one DBOS derives it by hashing the registered workflows' source.
    applicationVersion: 'bench',
    // DBOS logs at `info` by default (launch banner, system database URL, ...).
    logLevel: 'warn',
    // By default DBOS sends `SET idle_in_transaction_session_timeout` on each new pool connection from a
    // 'connect' handler, which races pg-pool's first query and makes pg print a DeprecationWarning
    // ("client.query() when the client is already executing a query"). 0 keeps the server's setting.
    systemDatabaseIdleTransactionTimeoutMs: 0,
  });
  await DBOS.launch();
  try {
    return await body(workflow);
  } finally {
    await DBOS.shutdown({ deregister: true });
  }
}

/** Starts one run as a DBOS workflow and waits for its result. */
async function oneRun(workflow: (input: { steps: number }) => Promise<{ messages: number }>): Promise<void> {
  const handle = await DBOS.startWorkflow(workflow)({ steps: STEPS_PER_RUN });
  const result = await handle.getResult();
  if (result.messages !== 1 + 2 * STEPS_PER_RUN)
    throw new Error(`unexpected result ${JSON.stringify(result)}`);
}

/** Sequential 10-step runs: each run is a DBOS workflow with 10 iterations of (model step, tool step), awaited before the next run starts. */
export async function dbosTenStepRuns(options: { databaseUrl: string; runs: number }): Promise<DbosResult> {
  return withDbos(options.databaseUrl, async (workflow) => {
    for (let run = 0; run < WARM_UP_RUNS; run++) await oneRun(workflow);
    const started = performance.now();
    for (let run = 0; run < options.runs; run++) await oneRun(workflow);
    const seconds = (performance.now() - started) / 1_000;
    const steps = options.runs * STEPS_PER_RUN;
    return { runs: options.runs, steps, seconds, stepsPerSecond: steps / seconds };
  });
}

/** The same workload with `concurrency` runs in flight at once (to compare with Cairn's multi-worker throughput). */
export async function dbosConcurrentRuns(options: {
  databaseUrl: string;
  runs: number;
  concurrency: number;
}): Promise<DbosResult> {
  return withDbos(options.databaseUrl, async (workflow) => {
    // `concurrency` loops, each starting a run and awaiting it before taking the next, until `total`
    // runs have been started.
    const inFlight = async (total: number) => {
      let next = 0;
      const loop = async () => {
        while (next < total) {
          next++;
          await oneRun(workflow);
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, total) }, loop));
    };
    await inFlight(Math.max(WARM_UP_RUNS, options.concurrency));
    const started = performance.now();
    await inFlight(options.runs);
    const seconds = (performance.now() - started) / 1_000;
    const steps = options.runs * STEPS_PER_RUN;
    return { runs: options.runs, steps, seconds, stepsPerSecond: steps / seconds };
  });
}
