import { setTimeout as delay } from 'node:timers/promises';
import { defineWorkflow, type Reconciliation } from '../../runtime/workflow.js';
import type { BookingLedger } from './booking-ledger.js';

export interface TripResult {
  readonly quote: number;
  readonly flight: string;
  readonly hotel: string;
  readonly approvedBy: string;
  readonly itinerary: string;
}

/**
 * The demo's workflows: a trip booking with a quote, two bookings in parallel (side effects that can be
 * reconciled with the booking system), a durable timer, a person's approval (a signal), and a child run.
 * Steps print as they run: on replay after a crash, finished steps are not run again, so they stay quiet.
 */
export function tripWorkflows(ledger: BookingLedger, say: (line: string) => void) {
  const itinerary = defineWorkflow('send-itinerary', async (ctx, input: { flight: string; hotel: string }) =>
    ctx.step('email', () => {
      say(`  ✓ itinerary emailed (${input.flight}, ${input.hotel}) by child run ${ctx.runId}`);
      return `itinerary-${input.flight}-${input.hotel}`;
    }),
  );

  const book = (kind: 'flight' | 'hotel') => ({
    effect: 'side-effect' as const,
    reconcile: async (key: string): Promise<Reconciliation<string>> => {
      const id = ledger.find(key);
      say(
        id === undefined
          ? `  ? ${kind}: in doubt after a crash; the booking system has no booking, so booking now`
          : `  ✓ ${kind}: in doubt after a crash; the booking system already has ${id}, so not booking again`,
      );
      return id === undefined ? { applied: false } : { applied: true, result: id };
    },
  });

  const trip = defineWorkflow(
    'book-trip',
    async (ctx, input: { city: string; nights: number }): Promise<TripResult> => {
      const quote = await ctx.step(
        'quote',
        () => {
          const price = 120 + input.nights * 146;
          say(`  ✓ quote: ${input.nights} nights in ${input.city}, ${price} EUR`);
          return price;
        },
        { effect: 'pure' },
      );
      const [flight, hotel] = await Promise.all([
        ctx.step(
          'book-flight',
          async ({ idempotencyKey }) => {
            const id = ledger.book('flight', idempotencyKey);
            say(`  ✓ flight booked: ${id}`);
            return id;
          },
          book('flight'),
        ),
        ctx.step(
          'book-hotel',
          async ({ idempotencyKey }) => {
            await delay(50);
            const id = ledger.book('hotel', idempotencyKey);
            say(`  ✓ hotel booked: ${id}`);
            return id;
          },
          book('hotel'),
        ),
      ]);
      await ctx.sleep('1s');
      const approval = await ctx.waitForSignal<{ by: string }>('approval', {
        timeout: '1h',
        default: { by: 'nobody (timed out)' },
      });
      const sent = await ctx.child(itinerary, { flight, hotel });
      return { quote, flight, hotel, approvedBy: approval.by, itinerary: sent };
    },
  );

  return { trip, itinerary };
}
