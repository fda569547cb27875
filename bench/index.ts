/**
 * `npm run bench`: Cairn and its peers on the same workloads, in one process run, so ratios are
 * measured side by side on the same machine. Prints one line per figure: `bench: <name> <value> <unit>`.
 * Set BENCH_QUICK=1 for a smaller, faster run (the figures are then only indicative). The PostgreSQL
 * figures use CAIRN_BENCH_POSTGRES_URL (default: the local server, database `test`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cairnAgentResume } from './cairn/agent-resume.js';
import { cairnLongRun, type LongRunResult } from './cairn/long-run.js';
import { cairnPostgresTenStepRuns } from './cairn/postgres-ten-step-runs.js';
import { cairnPostgresWakeLatency, cairnPostgresWorkers } from './cairn/postgres-workers.js';
import { cairnRecovery } from './cairn/recovery.js';
import { cairnTenStepRuns } from './cairn/ten-step-runs.js';
import { cairnWaitingRuns } from './cairn/waiting-runs.js';
import { dbosConcurrentRuns, dbosTenStepRuns } from './peers/dbos.js';
import { langGraphLongRun, langGraphTenStepRuns } from './peers/langgraph.js';
import { postgresUnreachable } from './postgres-reachable.js';

const quick = process.env.BENCH_QUICK === '1';
const root = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
const folder = (name: string) => mkdtempSync(join(root, `${name}-`));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function report(name: string, value: number, unit: string): void {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 3;
  console.log(`bench: ${name} ${value.toFixed(digits)} ${unit}`);
}

try {
  // 1. Sequential 10-step runs. The machine is noisy, so both sides are measured in alternating
  // rounds, and the figures are the medians over the rounds (the ratio is the median of the rounds'
  // ratios, each taken from measurements seconds apart).
  const rounds = quick ? 1 : 3;
  const tenStep = {
    langgraph: [] as number[],
    cairn: [] as number[],
    deferred: [] as number[],
    defaults: [] as number[],
    full: [] as number[],
  };
  for (let round = 0; round < rounds; round++) {
    // About a second of work on each side per round.
    const runs = quick ? 100 : 1_000;
    tenStep.langgraph.push(
      (await langGraphTenStepRuns({ dir: folder('langgraph-ten'), runs: quick ? 20 : 60 })).stepsPerSecond,
    );
    tenStep.cairn.push(
      (await cairnTenStepRuns({ dir: folder('cairn-ten'), runs, synchronous: 'normal' })).stepsPerSecond,
    );
    tenStep.deferred.push(
      (
        await cairnTenStepRuns({
          dir: folder('cairn-ten-deferred'),
          runs,
          synchronous: 'normal',
          effects: 'deferred',
        })
      ).stepsPerSecond,
    );
    const defaults = await cairnTenStepRuns({
      dir: folder('cairn-ten-d'),
      runs,
      synchronous: 'normal',
      effects: 'defaults',
    });
    tenStep.defaults.push(defaults.stepsPerSecond);
    tenStep.full.push(
      (await cairnTenStepRuns({ dir: folder('cairn-ten-full'), runs: runs / 10, synchronous: 'full' }))
        .stepsPerSecond,
    );
  }
  const ratios = (side: number[]) => side.map((value, round) => value / tenStep.langgraph[round]!);
  report('langgraph.ten_step.steps_per_s', median(tenStep.langgraph), 'steps/s');
  report('cairn.ten_step.steps_per_s', median(tenStep.cairn), 'steps/s');
  report('cairn.ten_step.vs_langgraph', median(ratios(tenStep.cairn)), 'x');
  report('cairn.ten_step_deferred_model_result.steps_per_s', median(tenStep.deferred), 'steps/s');
  report('cairn.ten_step_deferred_model_result.vs_langgraph', median(ratios(tenStep.deferred)), 'x');
  report('cairn.ten_step_default_effects.steps_per_s', median(tenStep.defaults), 'steps/s');
  report('cairn.ten_step_default_effects.vs_langgraph', median(ratios(tenStep.defaults)), 'x');
  report('cairn.ten_step_power_loss_safe.steps_per_s', median(tenStep.full), 'steps/s');

  // 2. One long run: storage and time per step as the history grows.
  const steps = quick ? 200 : 1_000;
  const samples = [10, 100, steps];
  const peerLong = await langGraphLongRun({ dir: folder('langgraph-long'), steps, sampleAt: samples });
  // Cairn's steps take a fraction of a millisecond, so a noisy neighbour can swamp one sample: take
  // each figure as the median of three runs.
  const cairnLong = async (uniqueOutputs: boolean) => {
    const results: LongRunResult[] = [];
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      results.push(
        await cairnLongRun({ dir: folder('cairn-long'), steps, sampleAt: samples, uniqueOutputs }),
      );
    }
    const pick = (figure: (result: LongRunResult) => number) => median(results.map(figure));
    const perStep = (field: 'bytesPerStepAt' | 'msPerStepAt') =>
      Object.fromEntries(samples.map((step) => [step, pick((result) => result[field][step]!)])) as Record<
        number,
        number
      >;
    return {
      steps,
      payloadBytes: results[0]!.payloadBytes,
      storedBytes: pick((result) => result.storedBytes),
      bytesPerStepAt: perStep('bytesPerStepAt'),
      msPerStepAt: perStep('msPerStepAt'),
    };
  };
  const long = await cairnLong(false);
  const unique = await cairnLong(true);
  for (const [name, result] of [
    ['langgraph', peerLong],
    ['cairn', long],
    ['cairn_unique_outputs', unique],
  ] as const) {
    for (const step of samples)
      report(`${name}.long_run.bytes_per_step_at_${step}`, result.bytesPerStepAt[step]!, 'bytes');
    for (const step of samples)
      report(`${name}.long_run.ms_per_step_at_${step}`, result.msPerStepAt[step]!, 'ms');
    report(`${name}.long_run.stored_bytes`, result.storedBytes, 'bytes');
    report(`${name}.long_run.stored_vs_payload`, result.storedBytes / result.payloadBytes, 'x');
  }
  for (const [name, result] of [
    ['cairn', long],
    ['cairn_unique_outputs', unique],
  ] as const) {
    report(
      `${name}.long_run.bytes_per_step_${steps}_vs_100`,
      result.bytesPerStepAt[steps]! / result.bytesPerStepAt[100]!,
      'x',
    );
    report(
      `${name}.long_run.ms_per_step_${steps}_vs_10`,
      result.msPerStepAt[steps]! / result.msPerStepAt[10]!,
      'x',
    );
  }

  // 3. Many runs waiting on a signal.
  const waiting = cairnWaitingRuns({ dir: folder('cairn-waiting'), runs: quick ? 2_000 : 10_000 });
  report(`cairn.waiting_runs_${waiting.runs}.rss_growth`, waiting.rssGrowthMb, 'MB');
  report(`cairn.waiting_runs_${waiting.runs}.heap_growth`, waiting.heapGrowthMb, 'MB');
  report(`cairn.waiting_runs_${waiting.runs}.finish_after_signal`, waiting.secondsToFinishAfterSignal, 's');

  // 4. Recovery of runs in flight when the process is killed.
  const recovery = await cairnRecovery({ dir: folder('cairn-recovery'), runs: quick ? 200 : 1_000 });
  report(`cairn.recovery_${recovery.runs}.in_flight_at_kill`, recovery.inFlight, 'runs');
  report(`cairn.recovery_${recovery.runs}.seconds_to_last_completion`, recovery.secondsToLastCompletion, 's');
  // 5. Resuming a long agent run: it must not rebuild itself from its first event.
  const agentRun = await cairnAgentResume({
    dir: folder('cairn-agent-resume'),
    steps: quick ? 1_000 : 10_000,
  });
  report(`cairn.agent_${agentRun.steps}_steps.journal_events`, agentRun.events, 'events');
  report(`cairn.agent_${agentRun.steps}_steps.seconds_to_build`, agentRun.secondsToBuild, 's');
  report(`cairn.agent_${agentRun.steps}_steps.resume`, agentRun.secondsToResume, 's');

  // 6. PostgreSQL: Cairn's workers and DBOS Transact on the same server and the same workload.
  const databaseUrl = process.env.CAIRN_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const unreachable = await postgresUnreachable(databaseUrl);
  if (unreachable !== undefined) {
    console.log(`bench: skipping the PostgreSQL figures: ${unreachable}`);
  } else {
    // Sequential runs (one at a time, each awaited), in alternating rounds as for LangGraph.
    const sequential = { dbos: [] as number[], cairn: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      sequential.dbos.push((await dbosTenStepRuns({ databaseUrl, runs: quick ? 30 : 100 })).stepsPerSecond);
      sequential.cairn.push(
        (await cairnPostgresTenStepRuns({ databaseUrl, runs: quick ? 60 : 300 })).stepsPerSecond,
      );
    }
    report('dbos.postgres.ten_step.steps_per_s', median(sequential.dbos), 'steps/s');
    report('cairn.postgres.ten_step.steps_per_s', median(sequential.cairn), 'steps/s');
    report(
      'cairn.postgres.ten_step.vs_dbos',
      median(sequential.cairn.map((value, round) => value / sequential.dbos[round]!)),
      'x',
    );

    // Runs executing concurrently: DBOS with 16 workflows in flight; Cairn with 1, 2 and 4 worker
    // processes of 16 runs each.
    const concurrency = 16;
    const dbos = await dbosConcurrentRuns({ databaseUrl, runs: quick ? 100 : 400, concurrency });
    report(`dbos.postgres.concurrent_${concurrency}.steps_per_s`, dbos.stepsPerSecond, 'steps/s');
    // One, two and four worker processes of `concurrency` runs each; reports each figure under
    // `prefix` and returns the throughput by number of workers.
    const workerScaling = async (prefix: string, runs: number, modelLatencyMs = 0) => {
      const byWorkers = new Map<number, number>();
      for (const workers of [1, 2, 4]) {
        const result = await cairnPostgresWorkers({
          databaseUrl,
          workers,
          concurrency,
          runs,
          modelLatencyMs,
        });
        byWorkers.set(workers, result.stepsPerSecond);
        const name = `${prefix}workers_${workers}x${concurrency}`;
        report(`${name}.steps_per_s`, result.stepsPerSecond, 'steps/s');
        if (result.postgresCpuMsPerStep !== undefined)
          report(`${name}.postgres_cpu_per_step`, result.postgresCpuMsPerStep, 'ms');
      }
      report(`${prefix}workers_2_vs_1`, byWorkers.get(2)! / byWorkers.get(1)!, 'x');
      report(`${prefix}workers_4_vs_1`, byWorkers.get(4)! / byWorkers.get(1)!, 'x');
      return byWorkers;
    };
    const byWorkers = await workerScaling('cairn.postgres.', quick ? 400 : 2_000);
    report(
      `cairn.postgres.workers_1x${concurrency}.vs_dbos_concurrent_${concurrency}`,
      byWorkers.get(1)! / dbos.stepsPerSecond,
      'x',
    );
    // The same with each model call taking 20 ms, as agents' do (more): throughput is then bounded
    // by the runs in flight, which each worker adds to, until the machine's CPU is used up.
    await workerScaling('cairn.postgres.model_20ms.', quick ? 200 : 1_000, 20);

    // Wake latency: a signal sent from another process, to the next step starting.
    const wake = await cairnPostgresWakeLatency({ databaseUrl, runs: quick ? 20 : 100 });
    report('cairn.postgres.wake_latency.median', wake.medianMs, 'ms');
    report('cairn.postgres.wake_latency.p90', wake.p90Ms, 'ms');
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
