import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { pidScope } from '../../src/runtime/worker-identity.js';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { testStoreAddress } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

describe('leases and fencing', () => {
  it('a worker that paused past its lease cannot commit over the worker that took the run over', async () => {
    const store = testStoreAddress();
    let release!: () => void;
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls: string[] = [];
    const wf = defineWorkflow('contested', async (ctx) =>
      ctx.step('work', async ({ attempt }) => {
        calls.push(`attempt ${attempt}`);
        if (attempt === 1) await paused; // the first worker stalls here (a long GC, a network partition)
        return attempt === 1 ? 'from the stalled worker' : 'from the new worker';
      }),
    );
    const errors: unknown[] = [];
    const first = await createRuntime({
      store,
      workflows: [wf],
      worker: { leaseMs: 1_000, pollMs: 20, workerId: 'first' },
      onError: (error) => errors.push(error),
    });
    await first.start(wf, undefined, { runId: 'contested' });
    await waitFor(() => calls.length === 1);

    // A second worker whose clock runs a minute ahead sees the first worker's lease as expired.
    const second = await createRuntime({
      store,
      workflows: [wf],
      worker: { leaseMs: 1_000, pollMs: 20, workerId: 'second' },
      clock: () => Date.now() + 60_000,
    });
    expect(await second.handle('contested').result()).toBe('from the new worker');

    release(); // the stalled worker wakes up and tries to record its result
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { events, run } = await second.inspect('contested');
    expect(run.status).toBe('completed');
    expect(JSON.stringify(events)).not.toContain('from the stalled worker');
    expect(events.map(({ event }) => event.kind)).toEqual([
      'run.started',
      'step.started',
      'step.in_doubt',
      'step.started',
      'step.completed',
      'run.completed',
    ]);
    expect(calls).toEqual(['attempt 1', 'attempt 2']);
    expect(errors).toEqual([]); // a lost lease is an interruption, not an error to report
    await first.close(100);
    await second.close(100);
  });

  it('takes over the runs of a worker that died, when its lease expires', async () => {
    const store = testStoreAddress();
    const wf = defineWorkflow('orphan', async (ctx) => ctx.step('work', () => 'done'));
    // A worker that claims the run and then never runs it (as if its process had died at once).
    const dead = await createRuntime({ store, workflows: [], worker: false });
    await dead.start(wf, undefined, { runId: 'orphan' });
    await dead.store.claim({ workerId: 'another-host/1/dead', leaseMs: 300, limit: 1, now: Date.now() });
    await dead.close();

    const started = Date.now();
    const survivor = await createRuntime({
      store,
      workflows: [wf],
      worker: { pollMs: 20 },
    });
    expect(await survivor.handle('orphan').result()).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await survivor.close();
  });

  it('on restart, takes over at once the runs of a dead process of the same host', async () => {
    const store = testStoreAddress();
    const wf = defineWorkflow('restarted', async (ctx) => ctx.step('work', () => 'done'));
    const setup = await createRuntime({ store, workflows: [], worker: false });
    await setup.start(wf, undefined, { runId: 'restarted' });
    // pid 2^22+1 is above Linux's pid_max, so no live process has it.
    await setup.store.claim({
      workerId: `${pidScope()}/4194305/dead`,
      leaseMs: 60_000,
      limit: 1,
      now: Date.now(),
    });
    await setup.close();

    const restarted = await createRuntime({
      store,
      workflows: [wf],
      worker: { pollMs: 20 },
    });
    const started = Date.now();
    expect(await restarted.handle('restarted').result()).toBe('done');
    expect(Date.now() - started).toBeLessThan(5_000); // not the 60 s lease
    await restarted.close();
  });
});
