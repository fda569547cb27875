import { z } from 'zod';
import { defineAgent } from '../../src/agent/define-agent.js';
import { scriptedModel } from '../../src/models/scripted-model.js';
import { defineTool } from '../../src/tools/tool.js';

/** The amounts `transfer` actually sent, in this process. */
export const transfers: number[] = [];

const transfer = defineTool({
  name: 'transfer',
  description: 'Sends money',
  input: z.object({ amount: z.number().positive() }),
  effect: 'side-effect',
  needsApproval: true,
  execute: ({ amount }) => {
    transfers.push(amount);
    return `sent ${amount} EUR`;
  },
});

/**
 * Asks to transfer 100 EUR (a tool that needs approval), then answers with what the tool said, so that
 * the answer shows whether the call was approved (with which amount) or rejected (and why).
 */
export const payer = defineAgent({
  name: 'payer',
  model: scriptedModel(({ index, prompt }) => {
    if (index === 0) return { toolCalls: [{ name: 'transfer', input: { amount: 100 } }] };
    const results = prompt.filter((message) => message.role === 'tool').at(-1)?.content ?? [];
    return {
      text: `The tool said: ${JSON.stringify(results.map((part) => 'output' in part && part.output))}`,
    };
  }),
  instructions: 'You pay bills.',
  tools: [transfer],
});

const helper = defineAgent({
  name: 'helper',
  model: scriptedModel([{ text: 'Cairns mark trails.', usage: { input: 100, output: 10 } }]),
  instructions: 'You help with research.',
});

/** Hands a question to a sub-agent (a child run), then answers: 3 model calls, 600 in / 45 out tokens. */
export const researcher = defineAgent({
  name: 'researcher',
  model: scriptedModel([
    {
      toolCalls: [{ name: 'helper', input: { prompt: 'What are cairns for?' } }],
      usage: { input: 200, output: 20 },
    },
    { text: 'Cairns mark trails, says my helper.', usage: { input: 300, output: 15 } },
  ]),
  instructions: 'You research questions.',
  tools: [helper.asTool()],
});
