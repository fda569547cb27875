/**
 * A durable order workflow: run it with `npx tsx examples/order-workflow.ts`.
 * Kill it at any moment and run it again: it carries on where it was, and charges the card once.
 */
import { createRuntime, defineWorkflow } from 'cairn';

const charges = new Map<string, string>(); // stands in for a payment API that honours idempotency keys

const order = defineWorkflow('order', async (ctx, input: { id: string; amount: number }) => {
  const quote = await ctx.step('quote', () => ({ id: input.id, total: input.amount * 1.2 }), {
    effect: 'pure',
  });
  const charge = await ctx.step(
    'charge',
    ({ idempotencyKey }) => {
      if (!charges.has(idempotencyKey)) charges.set(idempotencyKey, `ch_${charges.size + 1}`);
      return charges.get(idempotencyKey)!;
    },
    { effect: 'idempotent', retry: { attempts: 5, initialDelay: '200ms' } },
  );
  await ctx.sleep('1s'); // a durable timer: the run waits in the store, not in memory
  const approval = await ctx.waitForSignal<{ approved: boolean }>('approval', {
    timeout: '1h',
    default: { approved: false },
  });
  return { quote, charge, approved: approval.approved };
});

// The store: CAIRN_STORE if set, else the embedded default, .cairn/cairn.db (created on first use).
const runtime = await createRuntime({ workflows: [order] });
const handle = await runtime.start(order, { id: '42', amount: 100 }, { runId: 'order-42' });
// Play the approver a moment later (from another process, this would be `npx cairn signal order-42 approval '{"approved":true}'`).
const approver = setTimeout(() => void runtime.signal('order-42', 'approval', { approved: true }), 1_500);
console.log(await handle.result());
clearTimeout(approver);
await runtime.close();
