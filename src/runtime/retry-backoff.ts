import { toMillis } from '../core/duration.js';
import type { StepEffect } from '../core/journal-event.js';
import type { RetryPolicy } from './workflow.js';

/** A retry policy with every default filled in. */
export interface ResolvedRetryPolicy {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  readonly jitter: boolean;
  readonly retryIf: (error: unknown) => boolean;
}

const DEFAULTS = new Map<StepEffect, ResolvedRetryPolicy>();

export function resolveRetryPolicy(effect: StepEffect, policy?: RetryPolicy): ResolvedRetryPolicy {
  if (policy !== undefined) return resolve(effect, policy);
  const cached = DEFAULTS.get(effect);
  if (cached !== undefined) return cached;
  const resolved = resolve(effect, {});
  DEFAULTS.set(effect, resolved);
  return resolved;
}

function resolve(effect: StepEffect, policy: RetryPolicy): ResolvedRetryPolicy {
  return {
    attempts: Math.max(1, Math.floor(policy.attempts ?? (effect === 'side-effect' ? 1 : 3))),
    initialDelayMs: toMillis(policy.initialDelay ?? 100, 'retry initialDelay'),
    factor: policy.factor ?? 2,
    maxDelayMs: toMillis(policy.maxDelay ?? '30s', 'retry maxDelay'),
    jitter: policy.jitter ?? true,
    retryIf: policy.retryIf ?? isRetryable,
  };
}

/** Milliseconds to wait after failed attempt number `attempt` (1-based). */
export function retryDelay(policy: ResolvedRetryPolicy, attempt: number, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
  return Math.round(policy.jitter ? base * (0.5 + random() * 0.5) : base);
}

function isRetryable(error: unknown): boolean {
  return !(
    typeof error === 'object' &&
    error !== null &&
    (error as { retryable?: unknown }).retryable === false
  );
}
