import { toMillis } from '../core/duration.js';
import { CairnError } from '../core/errors.js';
import type { RateRequest } from '../core/store.js';
import { ApprovalOperation } from './approval-operation.js';
import { ChildOperation } from './child-operation.js';
import type { Operation } from './operation.js';
import type { ContextHost } from './operation-host.js';
import {
  planDebit,
  planRateLimit,
  type RateDraw,
  type RateWaitOperations,
  waitForRate,
} from './rate-limit-wait.js';
import { SignalOperation } from './signal-operation.js';
import { SleepOperation } from './sleep-operation.js';
import { StepOperation } from './step-operation.js';
import { assertName, type StepOptions, type WorkflowContext } from './workflow.js';

/**
 * A draw on a rate bucket runs as a step: `idempotent`, since a token taken twice after a crash only
 * makes the limit stricter for a moment, and committed before the run moves on (not deferred), so a
 * replay never draws again.
 */
const RATE_DRAW: StepOptions<unknown> = { effect: 'idempotent', defer: false };

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

  /** A draw on a rate bucket in the store, as a journaled step named after the limit. */
  const rateDraw = <T>(draw: RateDraw, fn: (request: RateRequest) => Promise<T>) =>
    call<T>('step', draw.name, (position) => {
      const run = () => fn({ ...draw.request, now: execution.now() });
      return new StepOperation(position, draw.name, execution, run, RATE_DRAW);
    });
  const rateWait: RateWaitOperations = {
    take: (draw) => rateDraw(draw, (request) => execution.store.takeRate(request)),
    sleepUntil: (name, time) =>
      call('sleep', name, (position) => new SleepOperation(position, name, execution, { at: time })),
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
      return call(
        'sleep',
        name,
        (position) => new SleepOperation(position, name, execution, { afterMs: ms }),
      );
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

    rateLimit(key, limit, options = {}) {
      const draw = planRateLimit(key, limit, options, tenantId);
      return draw === undefined ? Promise.resolve() : waitForRate(draw, rateWait);
    },

    debitRate(key, limit, tokens) {
      const draw = planDebit(key, limit, tokens, tenantId);
      if (draw === undefined) return Promise.resolve();
      // The step's result records what was debited, for the trace.
      const debit = async (request: RateRequest) => {
        await execution.store.debitRate(request);
        return { debited: request.cost };
      };
      return rateDraw(draw, debit).then(() => undefined);
    },

    checkpoint: (state) => execution.checkpoint(state),
    restored: <T>() => execution.restored() as readonly T[] | undefined,
    now: () => execution.recordedValue('now', Date.now),
    random: () => execution.recordedValue('random', Math.random),
  };
}
