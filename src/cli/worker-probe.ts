import type { Runtime } from '../runtime/runtime.js';
import type { HealthProbe } from './health-server.js';

/** One gauge of the worker's metrics. */
interface Gauge {
  readonly name: string;
  readonly help: string;
  readonly value: number;
}

/**
 * The health of `cairn worker`, from its runtime; `runtime()` is undefined while the worker starts (the
 * health server listens first, so that a taken port fails the worker before it claims anything).
 */
export function workerProbe(runtime: () => Runtime | undefined): HealthProbe {
  return {
    live: () => {
      const phase = runtime()?.workerStatus().phase;
      return phase === 'running' || phase === 'draining';
    },
    notReady: async () => {
      const current = runtime();
      if (current === undefined) return 'starting';
      const { phase } = current.workerStatus();
      if (phase !== 'running') return phase;
      try {
        await current.queueDepth();
        return undefined;
      } catch (error) {
        return `the store does not answer: ${(error as Error).message}`;
      }
    },
    metrics: async () => {
      const current = runtime();
      if (current === undefined) return '# the worker is starting\n';
      const status = current.workerStatus();
      // Without an answer from the store the queue depth is left out rather than reported as 0: an
      // autoscaler reading 0 would take workers away during a database outage.
      const depth = await current.queueDepth().catch(() => undefined);
      const gauges: Gauge[] = [
        ...(depth === undefined
          ? []
          : [
              {
                name: 'cairn_queue_depth',
                help: "Runs of this worker's workflows that a claim would take now.",
                value: depth,
              },
            ]),
        {
          name: 'cairn_worker_active_runs',
          help: 'Runs this worker is executing.',
          value: status.activeRuns,
        },
        {
          name: 'cairn_worker_concurrency',
          help: 'Runs this worker executes at once, at most.',
          value: status.concurrency,
        },
        {
          name: 'cairn_worker_draining',
          help: '1 while the worker drains (it stopped claiming, after SIGTERM or SIGINT), else 0.',
          value: status.phase === 'draining' || status.phase === 'stopped' ? 1 : 0,
        },
      ];
      return formatGauges(gauges);
    },
  };
}

/** Gauges in Prometheus' text exposition format (version 0.0.4). */
export function formatGauges(gauges: readonly Gauge[]): string {
  return gauges
    .map(({ name, help, value }) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`)
    .join('');
}
