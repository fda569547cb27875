import { CairnError } from '../core/errors.js';
import type { EventOf, OperationEvent } from '../core/journal-event.js';
import { encodeValue } from '../core/payload-codec.js';
import { type FinalRunStatus, isFinalStatus, type RunRecord } from '../core/run.js';
import { deserializeError, type SerializedError } from '../core/serialized-error.js';
import { Operation } from './operation.js';
import type { OperationHost } from './operation-host.js';
import type { CompletionEvent } from './replay-history.js';
import type { Workflow } from './workflow.js';

/**
 * `ctx.child`: starts another workflow as a child run and waits for it without holding memory.
 * `child.started` is committed before the child run is created, and creating it is idempotent, so a
 * crash between the two creates the child on recovery, once. The child's end wakes the parent.
 */
export class ChildOperation extends Operation {
  readonly kind = 'child';

  constructor(
    position: number,
    private readonly host: OperationHost,
    private readonly workflow: Workflow<unknown, unknown>,
    private readonly input: unknown,
    private readonly childRunId: string,
  ) {
    super(position, workflow.name);
  }

  async replay(event: CompletionEvent): Promise<void> {
    if (event.kind !== 'child.completed') return;
    const outcome = event.outcome;
    if (outcome.status === 'completed') this.resolve(await this.host.decode(outcome.result));
    else this.reject(this.failure(outcome.status, outcome.error));
  }

  async live(recorded: readonly OperationEvent[]): Promise<void> {
    const started = recorded.find((event) => event.kind === 'child.started');
    const childRunId = started?.childRunId ?? this.childRunId;
    let input: ReturnType<typeof encodeValue>;
    try {
      input = encodeValue(this.input, `The input of child workflow '${this.name}'`);
    } catch (error) {
      return this.host.deliver(() => this.reject(error));
    }
    if (started === undefined) {
      await this.host.journal.append([
        { kind: 'child.started', position: this.position, name: this.name, childRunId },
      ]);
    }
    const { run, created } = await this.host.store.createRun({
      tenantId: this.host.run.tenantId,
      runId: childRunId,
      workflow: this.name,
      parentRunId: this.host.run.runId,
      events: [
        { kind: 'run.started', workflow: this.name, input: input.ref, parentRunId: this.host.run.runId },
      ],
      blobs: input.blobs,
      now: this.host.now(),
    });
    if (created) this.host.childCreated();
    else if (run.parentRunId !== this.host.run.runId || run.workflow !== this.name) {
      throw new CairnError(
        'run_exists',
        `Child run id ${childRunId} is already used by another run (workflow '${run.workflow}'). Give the child a unique runId.`,
      );
    }
    if (isFinished(run)) return this.finish(childRunId, run);
    this.host.wait(this, {});
  }

  private async finish(childRunId: string, run: RunRecord & { status: FinalRunStatus }): Promise<void> {
    const outcome: EventOf<'child.completed'>['outcome'] =
      run.status === 'completed'
        ? { status: 'completed', result: run.result ?? { undefined: true } }
        : { status: run.status, error: run.error ?? { name: 'Error', message: `Child run ${run.status}` } };
    const event: EventOf<'child.completed'> = {
      kind: 'child.completed',
      position: this.position,
      name: this.name,
      childRunId,
      outcome,
    };
    return this.host.settle([event], [], () => this.replay(event));
  }

  private failure(status: 'failed' | 'cancelled', error: SerializedError): CairnError {
    return new CairnError('child_failed', `Child run of '${this.name}' ${status}: ${error.message}`, {
      cause: deserializeError(error),
      details: { workflow: this.name, position: this.position, status },
    });
  }
}

function isFinished(run: RunRecord): run is RunRecord & { status: FinalRunStatus } {
  return isFinalStatus(run.status);
}
