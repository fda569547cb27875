import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agentUsage, runUsage } from '../../src/agent/agent-usage.js';
import { defineAgent } from '../../src/agent/define-agent.js';
import { watchText } from '../../src/agent/text-stream.js';
import { defineTool } from '../../src/tools/tool.js';
import { serveOpenAICompatible } from '../support/serve-openai-compatible.js';
import { testRuntime } from '../support/test-runtime.js';

const weather = defineTool({
  name: 'weather',
  description: 'The weather in a city',
  input: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'snow', celsius: -3 }),
});

describe('agents on a real provider package, against a local chat-completions server', () => {
  it('calls tools, streams text, and accounts tokens and cost from the wire', async () => {
    const server = await serveOpenAICompatible(
      {
        toolCalls: [{ name: 'weather', input: { city: 'Oslo' }, id: 'call_oslo' }],
        usage: { input: 120, output: 20 },
      },
      { text: 'It is snowing in Oslo, -3 °C.', usage: { input: 180, output: 12, cachedInput: 100 } },
    );
    const agent = defineAgent({
      name: 'forecaster',
      model: `openai-compatible:gpt-4o-mini@${server.url}`,
      instructions: 'You report the weather.',
      tools: [weather],
    });
    const rt = await testRuntime([agent]);
    const deltas: string[] = [];
    const stop = watchText('wx-1', (delta) => deltas.push(delta));
    const result = await (await rt.start(agent, { prompt: 'Weather in Oslo?' }, { runId: 'wx-1' })).result();
    stop();
    expect(result.output).toBe('It is snowing in Oslo, -3 °C.');
    expect(deltas.join('')).toBe(result.output);

    // The second request carried the assistant's tool call and the tool's result, on the wire.
    const second = server.requests[1] as {
      stream: boolean;
      messages: { role: string; tool_calls?: unknown; content?: unknown }[];
      tools: unknown[];
    };
    expect(second.stream).toBe(true);
    expect(second.tools).toHaveLength(1);
    expect(second.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(JSON.parse(second.messages[3]!.content as string)).toEqual({
      city: 'Oslo',
      sky: 'snow',
      celsius: -3,
    });

    // gpt-4o-mini: 0.15 / 0.6 USD per 1M tokens, cached input at 0.075.
    const expectedCost = (120 * 0.15 + 20 * 0.6 + (80 * 0.15 + 100 * 0.075) + 12 * 0.6) / 1e6;
    expect(result.summary.usage).toEqual({ input: 300, output: 32, cachedInput: 100, reasoning: 0 });
    expect(result.summary.costUsd).toBeCloseTo(expectedCost, 12);
    const totals = await runUsage(rt, 'wx-1');
    expect(totals).toMatchObject({ modelCalls: 2, usage: result.summary.usage });
    expect(totals.costUsd).toBeCloseTo(expectedCost, 12);
    expect(await agentUsage(rt, 'forecaster')).toMatchObject({ runs: 1, modelCalls: 2 });
  });
});
