/**
 * A process running an agent against a chat-completions server, for the crash tests to kill:
 *   node --import tsx test/crash/agent-app.ts <cairn.db> <effects.db> <server base URL>
 * Starts run `agent-1` (idempotently) and exits 0 once it has finished.
 */
import { z } from 'zod';
import { defineAgent } from '../../src/agent/define-agent.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { defineTool } from '../../src/tools/tool.js';
import { EffectsLedger } from './effects-ledger.js';

const [dbPath, effectsPath, url] = process.argv.slice(2);
if (dbPath === undefined || effectsPath === undefined || url === undefined) {
  throw new Error('usage: agent-app.ts <cairn.db> <effects.db> <server base URL>');
}
const ledger = new EffectsLedger(effectsPath);
const book = defineTool({
  name: 'book',
  description: 'Books a table',
  input: z.object({ guests: z.number() }),
  execute: ({ guests }, { idempotencyKey }) => {
    ledger.applyOnce('book', idempotencyKey);
    return { booked: guests };
  },
});
const agent = defineAgent({
  name: 'booker',
  model: `openai-compatible:gpt-4o-mini@${url}`,
  instructions: 'Book what is asked.',
  tools: [book],
});
const runtime = await createRuntime({
  store: `sqlite:${dbPath}`,
  workflows: [agent],
  worker: { pollMs: 20 },
});
await runtime.start(agent, { prompt: 'A table for 4' }, { runId: 'agent-1' });
await runtime.handle('agent-1').result();
await runtime.close();
ledger.close();
