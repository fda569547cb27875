import type { Command } from 'commander';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import { globalOptions } from './global-options.js';

/**
 * Opens a runtime on the store and tenant named by the global options. It inspects and controls runs
 * but executes none (`worker: false`). Hands it to `use`, and closes it afterwards, whatever happens.
 */
export async function withCliRuntime<T>(command: Command, use: (runtime: Runtime) => Promise<T>): Promise<T> {
  const { store, tenant } = globalOptions(command);
  const runtime = await createRuntime({ store, tenant, worker: false, createStore: false });
  try {
    return await use(runtime);
  } finally {
    await runtime.close();
  }
}
