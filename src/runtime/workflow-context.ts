import { toMillis } from '../core/duration.js';
import { CairnError } from '../core/errors.js';
import { ApprovalOperation } from './approval-operation.js';
import { ChildOperation } from './child-operation.js';
import type { Operation } from './operation.js';
import type { ContextHost } from './operation-host.js';
import { SignalOperation } from './signal-operation.js';
import { SleepOperation } from './sleep-operation.js';
import { StepOperation } from './step-operation.js';
import { assertName, type WorkflowContext } from './workflow.js';

/** Builds the `ctx` a workflow function receives, backed by one run execution. */
export function createWorkflowContext(execution: ContextHost, workflow: string): WorkflowContext {
  const { runId, tenantId } = execution.run;
  let sleeps = 0;

  /** Takes the next position; a mismatch with the journal halts the run and leaves the call pending. */
  const call = <T>(
    kind: Operation['kind'],
    name: string,
    make: (position: number) => Operation,
  ): Promise<T> => {
    const position = execution.takePosition(kind, name);
    if (position === undefined) return new Promise<T>(() => undefined);
    return execution.register(make(position)) as Promise<T>;
  };

  return {
    runId,
    tenantId,
    workflow,
    signal: execution.abortSignal,

    step(name, fn, options = {}) {
      assertName(name, 'Step name');
      if (typeof fn !== 'function') {
        throw new CairnError('invalid_argument', `ctx.step('${name}', fn): fn must be a function.`);
      }
      return call('step', name, (position) => new StepOperation(position, name, execution, fn, options));
    },

    sleep(duration) {
      const ms = toMillis(duration, 'sleep duration');
      const name = `sleep-${++sleeps}`;
      return call('sleep', name, (position) => new SleepOperation(position, name, execution, ms));
    },

    waitForSignal(name, options = {}) {
      assertName(name, 'Signal name');
      const timeoutMs =
        options.timeout === undefined ? undefined : toMillis(options.timeout, 'signal timeout');
      const fallback = 'default' in options ? { value: options.default } : undefined;
      return call(
        'signal',
        name,
        (position) => new SignalOperation(position, name, execution, timeoutMs, fallback),
      );
    },

    waitForApproval(request, options = {}) {
      if (typeof request?.title !== 'string' || request.title.trim() === '') {
        throw new CairnError(
          'invalid_argument',
          'ctx.waitForApproval(request): request.title must say what is to be decided.',
        );
      }
      const timeoutMs =
        options.timeout === undefined ? undefined : toMillis(options.timeout, 'approval timeout');
      const onTimeout = options.onTimeout ?? 'reject';
      return call(
        'approval',
        'approval',
        (position) => new ApprovalOperation(position, execution, request, timeoutMs, onTimeout),
      );
    },

    child(childWorkflow, input, options = {}) {
      if (childWorkflow?.name === undefined || typeof childWorkflow.run !== 'function') {
        throw new CairnError(
          'invalid_argument',
          'ctx.child(workflow, input): workflow must come from defineWorkflow().',
        );
      }
      const checked = childWorkflow.input === undefined ? input : childWorkflow.input.parse(input);
      return call('child', childWorkflow.name, (position) => {
        const childRunId = options.runId ?? `${runId}:${position}:${childWorkflow.name}`;
        return new ChildOperation(position, execution, childWorkflow as never, checked, childRunId);
      });
    },

    checkpoint: (state) => execution.checkpoint(state),
    restored: <T>() => execution.restored() as readonly T[] | undefined,
    now: () => execution.recordedValue('now', Date.now),
    random: () => execution.recordedValue('random', Math.random),
  };
}
