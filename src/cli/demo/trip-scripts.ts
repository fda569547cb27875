import type { ScriptedTurn } from '../../models/scripted-model.js';

/** The task the demo gives the trip planner. */
export const TRIP_PROMPT =
  'Plan and book a 3-night trip from London to Lisbon, leaving on 12 June, for under 800 EUR.';

const GUIDE_TASK =
  'Three days in Lisbon from 12 June: what should a first-time visitor do, and what weather to expect?';

/**
 * What the trip planner's model answers, turn by turn (turn n answers a conversation with n assistant
 * messages, so a resumed run gets the same answers). Token counts are given rather than estimated, so
 * that the numbers look like a real model's: a system prompt and tool schemas weigh on every call.
 */
export const PLANNER_TURNS: readonly ScriptedTurn[] = [
  {
    text: 'I will look for flights and hotels at the same time.',
    toolCalls: [
      { name: 'search_flights', input: { from: 'London', to: 'Lisbon', date: '2025-06-12' } },
      { name: 'search_hotels', input: { city: 'Lisbon', nights: 3 } },
    ],
    usage: { input: 1210, output: 64 },
  },
  {
    text: 'TP 1351 and Casa do Largo are the best value. Let me ask a local guide what to do there.',
    toolCalls: [{ name: 'local_guide', input: { prompt: GUIDE_TASK } }],
    usage: { input: 1530, output: 58, cachedInput: 1024 },
  },
  {
    text: 'The plan fits the budget (142 + 3 x 95 = 427 EUR). Booking it.',
    toolCalls: [{ name: 'book_trip', input: { flight: 'TP 1351', hotel: 'Casa do Largo', nights: 3 } }],
    usage: { input: 2140, output: 41, cachedInput: 1280 },
  },
  {
    text: [
      'Your trip is booked: flight TP 1351 London to Lisbon on 12 June (142 EUR), and 3 nights at',
      'Casa do Largo in Alfama (285 EUR): 427 EUR in all.',
      'The local guide suggests Alfama and the castle at sunset on day 1, Belém on day 2, and Sintra on',
      'day 3 (book the palaces ahead). Expect sun and 24°C.',
    ].join('\n'),
    usage: { input: 2380, output: 96, cachedInput: 1920 },
  },
];

/** What the local guide's model answers: one tool call, then its advice. */
export const GUIDE_TURNS: readonly ScriptedTurn[] = [
  {
    toolCalls: [{ name: 'weather', input: { city: 'Lisbon', date: '2025-06-12' } }],
    usage: { input: 640, output: 22 },
  },
  {
    text:
      'Mid-June is sunny and dry, about 24°C. Day 1: Alfama and São Jorge castle at sunset. ' +
      'Day 2: Belém and its pastéis de nata. Day 3: Sintra by train; book the palaces ahead.',
    usage: { input: 790, output: 120 },
  },
];
