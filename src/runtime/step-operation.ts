import { setTimeout as delay } from 'node:timers/promises';
import { CairnError } from '../core/errors.js';
import type { EventOf, OperationEvent, StepEffect } from '../core/journal-event.js';
import { type EncodedValue, encodeValue } from '../core/payload-codec.js';
import { deserializeError, type SerializedError, serializeError } from '../core/serialized-error.js';
import type { StoredSignal } from '../core/store.js';
import { crashPoint } from './crash-points.js';
import { Operation } from './operation.js';
import type { OperationHost } from './operation-host.js';
import type { CompletionEvent } from './replay-history.js';
import { type ResolvedRetryPolicy, resolveRetryPolicy, retryDelay } from './retry-backoff.js';
import { parseResolution, RESOLVE_SIGNAL } from './step-resolution.js';
import type { StepContext, StepOptions } from './workflow.js';

type StepFunction = (step: StepContext) => unknown;

/**
 * `ctx.step`: the durable step protocol. An intent (`step.started`, skipped for `pure` steps) is
 * committed before the function runs, and the result (`step.completed`) before the workflow sees it.
 * Failed attempts are recorded with the time of the next one, so a crash during backoff neither loses
 * nor repeats an attempt. An intent found without an outcome is in doubt, handled by the step's effect.
 */
export class StepOperation extends Operation {
  readonly kind = 'step';
  private readonly effect: StepEffect;
  private readonly policy: ResolvedRetryPolicy;
  private readonly key: string;
  private encodedRequest: EncodedValue | undefined;

  constructor(
    position: number,
    name: string,
    private readonly host: OperationHost,
    private readonly fn: StepFunction,
    private readonly options: StepOptions<unknown>,
  ) {
    super(position, name);
    this.effect = options.effect ?? 'idempotent';
    this.policy = resolveRetryPolicy(this.effect, options.retry);
    this.key = `${host.run.tenantId}:${host.run.runId}:${position}`;
  }

  async replay(event: CompletionEvent): Promise<void> {
    if (event.kind === 'step.completed') this.resolve(await this.host.decode(event.result));
    else if (event.kind === 'step.failed') this.reject(this.failure(event.error, event.attempt));
  }

  async live(recorded: readonly OperationEvent[]): Promise<void> {
    const last = lastAttemptOf(recorded);
    if (last === undefined) return this.attempt(1);
    if (last.kind === 'step.failed') {
      await this.sleepUntil(last.retryAt ?? 0);
      return this.attempt(last.attempt + 1);
    }
    return this.inDoubt(last.attempt, recorded);
  }

  /** Runs attempts from `attempt` on until one succeeds, the policy gives up, or the run stops. */
  private async attempt(first: number): Promise<void> {
    for (let attempt = first; !this.host.stopped; attempt++) {
      // A pure step records no intent, but what the workflow has seen must be committed before it runs.
      if (this.effect === 'pure' && this.host.journal.hasDeferred) await this.host.journal.flush();
      if (this.effect !== 'pure') {
        crashPoint('before-intent', this.name);
        const request = attempt === 1 ? this.request() : undefined;
        await this.host.journal.append([{ ...this.started(attempt), request: request?.ref }], request?.blobs);
        crashPoint('after-intent', this.name);
      }
      const outcome = await this.invoke(attempt);
      if (outcome.ok) return this.complete(attempt, outcome.value, 'execute');
      const retryAt = this.nextAttemptAt(attempt, outcome.error);
      const error = serializeError(outcome.error);
      if (retryAt === undefined) return this.fail(attempt, error);
      await this.host.journal.append([{ kind: 'step.failed', ...this.identity(attempt), error, retryAt }]);
      await this.sleepUntil(retryAt);
    }
  }

  private async invoke(
    attempt: number,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    const context: StepContext = {
      idempotencyKey: this.key,
      attempt,
      signal: this.host.abortSignal,
      runId: this.host.run.runId,
      tenantId: this.host.run.tenantId,
    };
    try {
      const value = await this.fn(context);
      crashPoint('after-effect', this.name);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async complete(
    attempt: number,
    value: unknown,
    via: 'execute' | 'reconcile' | 'resolve',
  ): Promise<void> {
    let encoded: EncodedValue;
    let request: EncodedValue | undefined;
    try {
      encoded = encodeValue(value, `The result of step '${this.name}'`);
      request = this.effect === 'pure' ? this.request() : undefined;
    } catch (error) {
      return this.fail(attempt, serializeError(error));
    }
    const event: EventOf<'step.completed'> = {
      kind: 'step.completed',
      ...this.identity(attempt),
      result: encoded.ref,
      via,
      request: request?.ref,
    };
    if (request !== undefined) encoded = { ...encoded, blobs: [...request.blobs, ...encoded.blobs] };
    const recorded = () => crashPoint('after-result', this.name);
    if (this.options.defer ?? this.effect === 'pure') {
      // A cheap pure result: losing it in a crash only means computing it again, so its commit rides
      // with the run's next write (see JournalWriter).
      this.host.journal.defer(event, encoded.blobs, recorded);
      this.host.deliver(() => this.resolve(encoded.value));
      return;
    }
    // Journaled before the run moves on.
    return this.host.settle([event], encoded.blobs, () => {
      recorded();
      this.resolve(encoded.value);
    });
  }

  private async fail(attempt: number, error: SerializedError): Promise<void> {
    const event: EventOf<'step.failed'> = { kind: 'step.failed', ...this.identity(attempt), error };
    await this.host.settle([event], [], () => this.reject(this.failure(error, attempt)));
  }

  /** An intent with no outcome: a crash happened while the step ran. What to do depends on its effect. */
  private async inDoubt(attempt: number, recorded: readonly OperationEvent[]): Promise<void> {
    const doubt = (
      resolution: EventOf<'step.in_doubt'>['resolution'],
      reason: string,
    ): EventOf<'step.in_doubt'> => ({
      kind: 'step.in_doubt',
      ...this.identity(attempt),
      resolution,
      reason,
    });
    if (this.effect !== 'side-effect') {
      if (attempt >= this.policy.attempts) {
        const reason = `the outcome of attempt ${attempt} of ${this.policy.attempts} is unknown after a crash`;
        this.host.journal.defer(doubt('exhausted', reason));
        return this.fail(
          attempt,
          serializeError(new CairnError('step_failed', `Step '${this.name}': ${reason}.`)),
        );
      }
      this.host.journal.defer(doubt('retry', `${this.effect} step re-run with the same idempotency key`));
      return this.attempt(attempt + 1);
    }
    if (this.options.reconcile !== undefined) return this.reconcile(attempt, doubt);
    const resolution = await this.host.takeSignal(RESOLVE_SIGNAL, (signal) => this.resolutionIsForMe(signal));
    if (resolution !== undefined) return this.applyResolution(attempt, resolution);
    const reason =
      `Step '${this.name}' (position ${this.position}) is a side effect whose outcome is unknown after a crash, ` +
      `and it has no reconcile(). Check whether it happened, then resolve the run: ` +
      `cairn runs resolve ${this.host.run.runId} --retry | --result <json> | --fail <message> | --skip.`;
    if (!recorded.some((event) => event.kind === 'step.in_doubt' && event.attempt === attempt)) {
      await this.host.journal.append([doubt('needs_attention', reason)]);
    }
    this.host.wait(this, { attention: reason });
  }

  private async reconcile(
    attempt: number,
    doubt: (resolution: 'reconcile', reason: string) => EventOf<'step.in_doubt'>,
  ): Promise<void> {
    let answer: Awaited<ReturnType<NonNullable<StepOptions<unknown>['reconcile']>>>;
    try {
      answer = await this.options.reconcile!(this.key);
    } catch (error) {
      this.host.journal.defer(doubt('reconcile', `reconcile() failed: ${serializeError(error).message}`));
      return this.fail(attempt, serializeError(error));
    }
    if (answer.applied) {
      this.host.journal.defer(doubt('reconcile', 'reconcile() found the effect applied'));
      return this.complete(attempt, answer.result, 'reconcile');
    }
    this.host.journal.defer(doubt('reconcile', 'reconcile() found the effect not applied; running it again'));
    return this.attempt(attempt + 1);
  }

  private async resolutionIsForMe(signal: StoredSignal): Promise<boolean> {
    const resolution = parseResolution(await this.host.decode(signal.payload));
    return resolution.position === undefined || resolution.position === this.position;
  }

  private async applyResolution(attempt: number, signal: StoredSignal): Promise<void> {
    const resolution = parseResolution(await this.host.decode(signal.payload));
    this.host.journal.defer({
      kind: 'step.resolved',
      position: this.position,
      name: this.name,
      // A skip is journaled as the failure it is (with its own code).
      action: resolution.action === 'skip' ? 'fail' : resolution.action,
      signalId: signal.signalId,
    });
    switch (resolution.action) {
      case 'retry':
        return this.attempt(attempt + 1);
      case 'complete':
        return this.complete(attempt, resolution.result, 'resolve');
      case 'fail':
        return this.fail(attempt, {
          name: 'ResolvedAsFailed',
          message: resolution.message ?? 'Failed by a person.',
        });
      case 'skip':
        return this.fail(attempt, {
          name: 'SkippedByPerson',
          code: 'skipped',
          message:
            'A person skipped this step after a crash left its outcome unknown; it may or may not have had its effect.',
        });
    }
  }

  private nextAttemptAt(attempt: number, error: unknown): number | undefined {
    if (attempt >= this.policy.attempts || this.host.stopped || !this.policy.retryIf(error)) return undefined;
    return this.host.now() + retryDelay(this.policy, attempt, Math.random);
  }

  private async sleepUntil(time: number): Promise<void> {
    // Timers may fire a millisecond early by the wall clock: wait until the recorded time has come.
    for (let wait = time - this.host.now(); wait > 0 && !this.host.stopped; wait = time - this.host.now()) {
      await delay(wait, undefined, { signal: this.host.abortSignal }).catch(() => undefined);
    }
  }

  private failure(error: SerializedError, attempt: number): CairnError {
    return new CairnError(
      'step_failed',
      `Step '${this.name}' failed after ${attempt} attempt(s): ${error.message}`,
      {
        cause: deserializeError(error),
        details: { step: this.name, position: this.position, attempts: attempt },
      },
    );
  }

  private identity(attempt: number) {
    return { position: this.position, name: this.name, attempt };
  }

  /** The step's recorded request (see StepOptions.request), encoded once. */
  private request(): EncodedValue | undefined {
    if (this.options.request === undefined) return undefined;
    this.encodedRequest ??= encodeValue(this.options.request, `The request of step '${this.name}'`);
    return this.encodedRequest;
  }

  private started(attempt: number): EventOf<'step.started'> {
    return { kind: 'step.started', ...this.identity(attempt), effect: this.effect, key: this.key };
  }
}

/** The last recorded attempt: its intent with no outcome yet, or its failure with the next attempt's time. */
function lastAttemptOf(
  recorded: readonly OperationEvent[],
): EventOf<'step.started'> | EventOf<'step.failed'> | undefined {
  for (let index = recorded.length - 1; index >= 0; index--) {
    const event = recorded[index]!;
    if (event.kind === 'step.started' || event.kind === 'step.failed') return event;
  }
  return undefined;
}
