import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  type AnyWorkflow,
  createRuntime,
  type Runtime,
  type WorkerSettings,
} from '../../src/runtime/runtime.js';
import { tempDir } from './temp-dir.js';

const opened: Runtime[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((runtime) => runtime.close(100)));
});

/** A runtime on a fresh SQLite file (or the given one), closed after each test. */
export async function testRuntime(
  workflows: AnyWorkflow[],
  options: { path?: string; worker?: false | WorkerSettings } = {},
): Promise<Runtime> {
  const path = options.path ?? join(tempDir(), 'cairn.db');
  const runtime = await createRuntime({
    store: `sqlite:${path}`,
    workflows,
    worker: options.worker ?? { pollMs: 20, leaseMs: 2_000 },
  });
  opened.push(runtime);
  return runtime;
}
