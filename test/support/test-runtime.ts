import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  type AnyWorkflow,
  createRuntime,
  type Runtime,
  type WorkerSettings,
} from '../../src/runtime/runtime.js';
import { freshSchema, POSTGRES_URL } from './postgres.js';
import { tempDir } from './temp-dir.js';

/**
 * Which store the runtime tests run on: the embedded SQLite default, or PostgreSQL when the test
 * project sets CAIRN_TEST_STORE=postgres (see vitest.config.ts). The same cases pass on both.
 */
export const TEST_STORE_KIND: 'sqlite' | 'postgres' =
  process.env.CAIRN_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The address of a new, empty store of the kind under test: a fresh SQLite file or PostgreSQL schema. */
export function testStoreAddress(): string {
  if (TEST_STORE_KIND === 'postgres') {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('schema', freshSchema('cairn_rt'));
    url.searchParams.set('pool', '4');
    return url.toString();
  }
  return `sqlite:${join(tempDir(), 'cairn.db')}`;
}

const opened: Runtime[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((runtime) => runtime.close(100)));
});

/** A runtime on a fresh store (or the given one), closed after each test. */
export async function testRuntime(
  workflows: AnyWorkflow[],
  options: { store?: string; worker?: false | WorkerSettings } = {},
): Promise<Runtime> {
  const runtime = await createRuntime({
    store: options.store ?? testStoreAddress(),
    workflows,
    worker: options.worker ?? { pollMs: 20, leaseMs: 2_000 },
  });
  opened.push(runtime);
  return runtime;
}
