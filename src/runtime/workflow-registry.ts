import { CairnError } from '../core/errors.js';
import type { Workflow } from './workflow.js';

/** The workflows a runtime can execute, by name. A worker claims only runs of these. */
export class WorkflowRegistry {
  private readonly byName = new Map<string, Workflow<unknown, unknown>>();

  constructor(workflows: readonly Workflow<never, unknown>[] = []) {
    for (const workflow of workflows) this.add(workflow);
  }

  add(workflow: Workflow<never, unknown>): void {
    if (workflow?.name === undefined || typeof workflow.run !== 'function') {
      throw new CairnError('invalid_argument', 'Workflows must be created with defineWorkflow(name, fn).');
    }
    const existing = this.byName.get(workflow.name);
    if (existing !== undefined && existing !== (workflow as unknown)) {
      throw new CairnError(
        'workflow_already_defined',
        `Two different workflows are named '${workflow.name}'. Workflow names must be unique in a runtime.`,
      );
    }
    if (existing !== undefined) return;
    this.byName.set(workflow.name, workflow as unknown as Workflow<unknown, unknown>);
    for (const child of workflow.children ?? []) this.add(child);
  }

  get(name: string): Workflow<unknown, unknown> | undefined {
    return this.byName.get(name);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** Releases what each workflow's code holds in the process (see WorkflowOptions.release). */
  async release(): Promise<void> {
    await Promise.all([...this.byName.values()].map((workflow) => workflow.release?.()));
  }
}
