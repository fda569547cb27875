import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { describePostgres, freshSchema, POSTGRES_URL } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { pause, relay } from './fixtures/worker-workflows.js';
import { spawnCli } from './spawn-cli.js';
import { FROM_SOURCE, metric, startWorkerProcess } from './worker-process.js';

const FIXTURE = 'test/cli/fixtures/worker-workflows.ts';

/** A workflow no worker of these tests serves: its runs wait in the store. */
const other = defineWorkflow('other', async () => 1);

describe('cairn worker: command-line errors', () => {
  const dir = tempDir('cairn-worker-');

  it('says what is wrong with the file, the numbers and the port, and exits', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const store = `sqlite:${join(dir, 'cairn.db')}`;
      const [missing, empty, zero, badPort, taken] = await Promise.all([
        spawnCli(['worker', 'test/cli/fixtures/nope.ts', '--store', store]),
        spawnCli(['worker', 'test/support/wait-for.ts', '--store', store]),
        spawnCli(['worker', FIXTURE, '--concurrency', '0', '--store', store]),
        spawnCli(['worker', FIXTURE, '--health-port', '70000', '--store', store]),
        spawnCli(['worker', FIXTURE, '--health-port', String(port), '--store', store]),
      ]);
      expect(missing).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: No such file: test/cli/fixtures/nope.ts\n',
      });
      expect(empty).toMatchObject({ code: 1, stdout: '' });
      expect(empty.stderr).toBe(
        'error: test/support/wait-for.ts exports no workflow or agent. Export the ones to run, made with defineWorkflow() or defineAgent().\n',
      );
      // Bad values are usage errors, as for every command: commander names the option, exit code 2.
      expect(zero.code).toBe(2);
      expect(zero.stderr).toMatch(
        /option '--concurrency <n>' argument '0' is invalid\. Expected a positive integer\./,
      );
      expect(badPort.code).toBe(2);
      expect(badPort.stderr).toMatch(/argument '70000' is invalid\. Expected a port number from 0 to 65535/);
      expect(taken).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: Cannot serve health checks on port ${port}: it is in use.\n`,
      });
    } finally {
      busy.close();
    }
  });
});

await describePostgres('cairn worker on PostgreSQL', () => {
  const schema = freshSchema('cairn_worker');
  const store = `${POSTGRES_URL}?schema=${schema}`;
  const served = ['pause', 'relay', 'echo'];
  let runtime: Runtime;

  beforeAll(async () => {
    // The test's side: starts and inspects runs, executes none.
    runtime = await createRuntime({ store, worker: false });
  });
  afterAll(() => runtime.close());

  const statusOf = async (runId: string) => (await runtime.getRun(runId))?.status;

  it('executes runs, answers health checks, reports queue depth, and drains on SIGTERM', async () => {
    const worker = await startWorkerProcess([
      ...FROM_SOURCE,
      'worker',
      FIXTURE,
      '--store',
      store,
      '--health-port',
      '0',
      '--concurrency',
      '1',
    ]);
    expect(worker.startLine).toMatch(
      new RegExp(
        `^Worker \\S+/${worker.pid}/\\w+ started: store ${store.replace(/[?.]/g, '\\$&')}, workflows pause, relay, echo, concurrency 1, health on port \\d+$`,
      ),
    );
    expect(await worker.get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await worker.get('/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
    expect((await worker.get('/nope')).status).toBe(404);
    const idle = await worker.get('/metrics');
    expect(idle.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(idle.body).toContain('# TYPE cairn_queue_depth gauge\ncairn_queue_depth 0\n');
    expect(metric(idle.body, 'cairn_worker_concurrency')).toBe(1);
    expect(metric(idle.body, 'cairn_worker_draining')).toBe(0);

    // A child workflow the file does not export is served too.
    const relayed = await runtime.start(relay, { text: 'hi' });
    expect(await relayed.result()).toBe('HI');

    // Its only slot busy, the worker leaves the next runs in the queue, where the metric counts them.
    const busy = await runtime.start(pause, { ms: 2_000 }, { runId: 'busy' });
    await waitFor(async () => (await statusOf('busy')) === 'running', 5_000, 'the busy run to be claimed');
    for (const runId of ['queued-1', 'queued-2']) await runtime.start(pause, { ms: 10 }, { runId });
    await runtime.start(other, undefined, { runId: 'unserved' });
    const full = (await worker.get('/metrics')).body;
    expect(metric(full, 'cairn_worker_active_runs')).toBe(1);
    expect(metric(full, 'cairn_queue_depth')).toBe(2);
    expect(await runtime.store.countClaimable(Date.now(), served)).toBe(2);
    expect(await runtime.store.countClaimable(Date.now())).toBe(3); // the unserved run too

    // SIGTERM mid-step: not ready any more, still live, and the step gets to finish.
    worker.kill('SIGTERM');
    await waitFor(async () => (await worker.get('/readyz')).status === 503, 1_000, 'readyz to turn 503');
    expect(await worker.get('/readyz')).toMatchObject({ status: 503, body: 'not ready: draining\n' });
    expect((await worker.get('/healthz')).status).toBe(200);
    expect(metric((await worker.get('/metrics')).body, 'cairn_worker_draining')).toBe(1);
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(exit.stdout).toMatch(/\nWorker \S+ drained after SIGTERM in \d+\.\d s\.\n$/);
    expect(await busy.result()).toEqual({ pid: worker.pid });
    // It stopped claiming: the queued runs are left for the next worker.
    expect(await statusOf('queued-1')).toBe('runnable');
    expect(await statusOf('queued-2')).toBe('runnable');
  });

  it('releases what is still running after --drain-ms, and another worker carries it on at once', async () => {
    const first = await startWorkerProcess([
      ...FROM_SOURCE,
      'worker',
      FIXTURE,
      '--store',
      store,
      '--drain-ms',
      '100',
    ]);
    await waitFor(async () => (await statusOf('queued-2')) === 'completed', 5_000, 'the queued runs');
    expect(await runtime.handle('queued-1').result()).toEqual({ pid: first.pid });

    const slow = await runtime.start(pause, { ms: 4_000 }, { runId: 'slow' });
    await waitFor(async () => (await statusOf('slow')) === 'running', 5_000, 'the slow run to be claimed');
    const signalled = Date.now();
    first.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toMatch(/drained after SIGTERM/);
    // It did not wait for the step (its timer would have held the process for 4 s).
    expect(exit.at - signalled).toBeLessThan(3_000);
    expect(await runtime.getRun('slow')).toMatchObject({ status: 'runnable', leaseOwner: undefined });

    // The lease was released, not left to expire (30 s): the next worker takes the run at once.
    const second = await startWorkerProcess([
      ...FROM_SOURCE,
      'worker',
      FIXTURE,
      '--store',
      store,
      '--worker-id',
      'second-worker',
    ]);
    expect(second.startLine).toMatch(/^Worker second-worker started: /);
    expect(await slow.result()).toEqual({ pid: second.pid });
    second.kill('SIGINT');
    expect(await second.exited).toMatchObject({ code: 0, stderr: '' });
    expect((await second.exited).stdout).toMatch(/drained after SIGINT/);
  });

  it('keeps renewing its leases while it drains: no other worker takes a run it is finishing', async () => {
    const first = await startWorkerProcess([
      ...FROM_SOURCE,
      'worker',
      FIXTURE,
      '--store',
      store,
      '--lease-ms',
      '600',
      '--drain-ms',
      '5000',
    ]);
    const finishing = await runtime.start(pause, { ms: 2_000 }, { runId: 'finishing' });
    await waitFor(async () => (await statusOf('finishing')) === 'running', 5_000, 'the run to be claimed');
    // Another worker stands by, ready to take over any run whose lease lapses.
    const standby = await createRuntime({ store, workflows: [pause], worker: { pollMs: 20 } });
    try {
      first.kill('SIGTERM');
      // The drain outlasts the lease three times over; the draining worker still finishes the step.
      expect(await finishing.result()).toEqual({ pid: first.pid });
      expect(await first.exited).toMatchObject({ code: 0, stderr: '' });
      const { events } = await runtime.inspect('finishing');
      expect(events.filter(({ event }) => event.kind === 'step.started')).toHaveLength(1);
    } finally {
      await standby.close();
    }
  });
});
