import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { type Agent, defineAgent } from '../../agent/define-agent.js';
import { type ScriptedModel, scriptedModel } from '../../models/scripted-model.js';
import { defineTool } from '../../tools/tool.js';
import type { BookingLedger } from './booking-ledger.js';
import { GUIDE_TURNS, PLANNER_TURNS } from './trip-scripts.js';

/** The demo's agents, and a count of the calls made to their models in this process. */
export interface TripAgents {
  readonly planner: Agent;
  /** Model calls made by this process (a call replayed from the journal is not made, so not counted). */
  modelCalls(): number;
}

/**
 * A trip planner agent with scripted models (offline, no API key): it searches flights and hotels in
 * parallel, asks a local-guide sub-agent (a child run with its own model and tool), then books the trip
 * with a side-effect tool that needs a person's approval and is reconciled with the booking system after
 * a crash. Each process builds its own, so that it counts its own model calls.
 */
export function tripAgents(ledger: BookingLedger): TripAgents {
  const models: ScriptedModel[] = [
    scriptedModel(PLANNER_TURNS, { modelId: 'scripted-planner' }),
    scriptedModel(GUIDE_TURNS, { modelId: 'scripted-guide' }),
  ];
  const guide = defineAgent({
    name: 'local-guide',
    model: models[1]!,
    instructions: 'You are a Lisbon local. Give short, practical advice for visitors.',
    tools: [weather],
  });
  const bookTrip = defineTool({
    name: 'book_trip',
    description: 'Books a flight and a hotel together. Charges the card.',
    input: z.object({ flight: z.string(), hotel: z.string(), nights: z.number().int().positive() }),
    effect: 'side-effect',
    needsApproval: true,
    execute: async (trip, { idempotencyKey }) => ({ confirmation: ledger.book(idempotencyKey), ...trip }),
    // After a crash between booking and journaling, ask the booking system rather than book twice.
    reconcile: async (key) => {
      const confirmation = ledger.find(key);
      return confirmation === undefined ? { applied: false } : { applied: true, result: { confirmation } };
    },
  });
  const planner = defineAgent({
    name: 'trip-planner',
    model: models[0]!,
    instructions: 'You plan and book trips within budget. Check with a local guide before booking.',
    tools: [searchFlights, searchHotels, guide.asTool({ name: 'local_guide' }), bookTrip],
  });
  return { planner, modelCalls: () => models.reduce((sum, model) => sum + model.calls, 0) };
}

const searchFlights = defineTool({
  name: 'search_flights',
  description: 'Flights between two cities on a date, cheapest first',
  input: z.object({ from: z.string(), to: z.string(), date: z.string() }),
  execute: async ({ from, to }) => {
    await delay(180); // a real search takes a moment; the trace shows the two searches overlap
    return [
      { flight: 'TP 1351', from, to, departs: '08:05', priceEur: 142 },
      { flight: 'BA 500', from, to, departs: '11:40', priceEur: 189 },
    ];
  },
});

const searchHotels = defineTool({
  name: 'search_hotels',
  description: 'Hotels in a city for a number of nights, best value first',
  input: z.object({ city: z.string(), nights: z.number().int().positive() }),
  execute: async ({ city }) => {
    await delay(120);
    return [
      { hotel: 'Casa do Largo', city, area: 'Alfama', perNightEur: 95 },
      { hotel: 'Hotel Avenida', city, area: 'Baixa', perNightEur: 140 },
    ];
  },
});

const weather = defineTool({
  name: 'weather',
  description: 'The usual weather in a city around a date',
  input: z.object({ city: z.string(), date: z.string() }),
  effect: 'pure',
  execute: ({ city }) => `${city} in mid-June: sunny, 24°C, little chance of rain`,
});
