/**
 * A small agent: `npx cairn run examples/weather-agent.ts --prompt "Is it snowing in Oslo?"`.
 * With OPENAI_API_KEY set it asks gpt-4o-mini; without, a scripted model plays the same conversation
 * offline.
 */
import { defineAgent, defineTool, scriptedModel } from 'cairn';
import { z } from 'zod';

const weather = defineTool({
  name: 'weather',
  description: 'The current weather in a city',
  input: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, sky: 'snow', celsius: -3 }), // a real API call goes here
});

const offline = scriptedModel([
  { text: 'Let me check.', toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }] },
  { text: 'Yes: it is snowing in Oslo, -3 °C.' },
]);

export const forecaster = defineAgent({
  name: 'forecaster',
  model: process.env.OPENAI_API_KEY ? 'openai:gpt-4o-mini' : offline,
  instructions: 'You answer questions about the weather. Use the weather tool.',
  tools: [weather],
  maxSteps: 5,
});
