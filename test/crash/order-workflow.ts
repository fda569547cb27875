import { defineWorkflow } from '../../src/runtime/workflow.js';
import type { EffectsLedger } from './effects-ledger.js';

export interface OrderResult {
  readonly quote: number;
  readonly chargeId: number;
  readonly approved: boolean;
  readonly label: string;
}

/** A few milliseconds, as a network call takes: time for a kill to land between an effect and its record. */
const latency = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 4));

/** Calls `effect` between two waits, like a request to a remote API. */
async function remote<T>(effect: () => T): Promise<T> {
  await latency();
  const result = effect();
  await latency();
  return result;
}

/**
 * The workflow the crash tests kill: one step of each effect kind, a durable timer, a signal, and a
 * child run, each leaving its mark in the ledger.
 */
export function orderWorkflows(ledger: EffectsLedger) {
  const ship = defineWorkflow('ship', async (ctx, input: { order: string }) =>
    ctx.step('label', ({ idempotencyKey }) =>
      remote(() => {
        ledger.applyOnce('label', idempotencyKey);
        return `label-${input.order}`;
      }),
    ),
  );

  const order = defineWorkflow('order', async (ctx, input: { amount: number }): Promise<OrderResult> => {
    const quote = await ctx.step(
      'quote',
      ({ idempotencyKey }) =>
        remote(() => {
          ledger.call('quote', idempotencyKey);
          return input.amount * 2;
        }),
      { effect: 'pure' },
    );
    await ctx.step(
      'reserve',
      ({ idempotencyKey }) => remote(() => ledger.applyOnce('reserve', idempotencyKey)),
      {
        effect: 'idempotent',
        retry: { attempts: 20 },
      },
    );
    const chargeId = await ctx.step<number>(
      'charge',
      ({ idempotencyKey }) => remote(() => ledger.charge(idempotencyKey)),
      {
        effect: 'side-effect',
        reconcile: async (key) => {
          const id = ledger.findCharge(key);
          return id === undefined ? { applied: false as const } : { applied: true as const, result: id };
        },
      },
    );
    await ctx.sleep('300ms');
    const approval = await ctx.waitForSignal<{ approved: boolean }>('approve');
    await ctx.step('notify', ({ idempotencyKey }) => remote(() => ledger.notify(idempotencyKey)), {
      effect: 'side-effect',
    });
    const label = await ctx.child(ship, { order: ctx.runId });
    return { quote, chargeId, approved: approval.approved, label };
  });

  return { order, ship };
}
