import { defineWorkflow } from '../../src/runtime/workflow.js';
import type { EffectsLedger } from './effects-ledger.js';

/**
 * One non-idempotent payment, reconciled against the ledger. The step reports when the payment has
 * been made, then takes a moment to come back: time for a test to freeze the process in between.
 */
export function transferWorkflow(
  ledger: EffectsLedger,
  report: (moment: 'paid' | 'returning') => void = () => undefined,
) {
  return defineWorkflow('transfer', async (ctx) => {
    const chargeId = await ctx.step<number>(
      'pay',
      async ({ idempotencyKey }) => {
        const id = ledger.charge(idempotencyKey);
        report('paid');
        await new Promise((resolve) => setTimeout(resolve, 300));
        report('returning');
        return id;
      },
      {
        effect: 'side-effect',
        reconcile: async (key) => {
          const id = ledger.findCharge(key);
          return id === undefined ? { applied: false as const } : { applied: true as const, result: id };
        },
      },
    );
    const receipt = await ctx.step('receipt', () => `receipt for charge ${chargeId}`);
    return { chargeId, receipt };
  });
}
