/**
 * A process running an agent with a side-effect tool that cannot be reconciled, for the in-doubt tests:
 *   node --import tsx test/crash/in-doubt-agent-app.ts <cairn.db> <effects.db>
 * Starts run `agent-1` (idempotently) and exits 0 once it has finished or needs a person. The scripted
 * model charges once, then answers with the tool output it was shown, as JSON.
 */
import { z } from 'zod';
import { defineAgent } from '../../src/agent/define-agent.js';
import { scriptedModel } from '../../src/models/scripted-model.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { defineTool } from '../../src/tools/tool.js';
import { EffectsLedger } from './effects-ledger.js';

const [dbPath, effectsPath] = process.argv.slice(2);
if (dbPath === undefined || effectsPath === undefined) {
  throw new Error('usage: in-doubt-agent-app.ts <cairn.db> <effects.db>');
}
const ledger = new EffectsLedger(effectsPath);
const charge = defineTool({
  name: 'charge',
  description: 'Charges the card',
  input: z.object({ amount: z.number() }),
  effect: 'side-effect',
  execute: (_args, { idempotencyKey }) => ({ chargeId: ledger.charge(idempotencyKey) }),
});
const model = scriptedModel(({ index, prompt }) => {
  if (index === 0) return { toolCalls: [{ name: 'charge', input: { amount: 42 }, id: 'call_charge' }] };
  const tool = [...prompt].reverse().find((message) => message.role === 'tool');
  const outputs = (tool?.content ?? []) as { output: unknown }[];
  return { text: JSON.stringify(outputs[0]?.output) };
});
const agent = defineAgent({ name: 'charger', model, instructions: 'Charge what is asked.', tools: [charge] });
const runtime = await createRuntime({
  store: `sqlite:${dbPath}`,
  workflows: [agent],
  worker: { pollMs: 20 },
});
await runtime.start(agent, { prompt: 'Charge 42' }, { runId: 'agent-1' });
for (;;) {
  const run = await runtime.getRun('agent-1');
  if (run !== undefined && ['completed', 'failed', 'needs_attention'].includes(run.status)) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await runtime.close();
ledger.close();
