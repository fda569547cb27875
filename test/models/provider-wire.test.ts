import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { generateText, type ModelMessage, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { usageFromV3 } from '../../src/models/token-usage.js';
import { serveOpenAICompatible as serve } from '../support/serve-openai-compatible.js';

// No `execute`: the tool call comes back to the caller unexecuted, the way the agent loop wants it.
const tools = {
  weather: tool({ description: 'The weather in a city', inputSchema: z.object({ city: z.string() }) }),
};

const providers: [string, (baseURL: string) => LanguageModelV3][] = [
  [
    '@ai-sdk/openai-compatible',
    (baseURL) => createOpenAICompatible({ name: 'local', baseURL, includeUsage: true })('local-model'),
  ],
  ['@ai-sdk/openai chat', (baseURL) => createOpenAI({ baseURL, apiKey: 'test' }).chat('gpt-4o-mini')],
];

describe.each(providers)('over the wire through %s', (_name, makeModel) => {
  it('gets text, an unexecuted tool call and usage with cached tokens from generateText', async () => {
    const server = await serve({
      text: 'Let me look.',
      toolCalls: [{ name: 'weather', input: { city: 'Paris' }, id: 'call_paris' }],
      usage: { input: 120, output: 30, cachedInput: 100, reasoning: 5 },
    });
    const result = await generateText({ model: makeModel(server.url), tools, prompt: 'Weather in Paris?' });
    expect(result.text).toBe('Let me look.');
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      expect.objectContaining({ toolCallId: 'call_paris', toolName: 'weather', input: { city: 'Paris' } }),
    ]);
    expect(result.toolResults).toEqual([]);
    const expected = { input: 120, output: 30, cachedInput: 100, reasoning: 5 };
    expect(usageFromV3(result.usage)).toEqual(expected);
    expect(usageFromV3(result.totalUsage)).toEqual(expected);
    const body = server.requests[0] as { tools: { function: { name: string; parameters: unknown } }[] };
    expect(body.tools.map((declared) => declared.function.name)).toEqual(['weather']);
    expect(body.tools[0]!.function.parameters).toMatchObject({ properties: { city: { type: 'string' } } });
  });

  it('streams text deltas in order and ends with the same usage', async () => {
    const server = await serve({
      text: 'Sunny and warm in Paris today.',
      toolCalls: [{ name: 'weather', input: { city: 'Lyon' }, id: 'call_lyon' }],
      usage: { input: 80, output: 12, cachedInput: 64 },
    });
    const result = streamText({ model: makeModel(server.url), tools, prompt: 'Weather?' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Sunny and warm in Paris today.');
    expect(await result.toolCalls).toEqual([
      expect.objectContaining({ toolCallId: 'call_lyon', toolName: 'weather', input: { city: 'Lyon' } }),
    ]);
    const expected = { input: 80, output: 12, cachedInput: 64, reasoning: 0 };
    expect(usageFromV3(await result.usage)).toEqual(expected);
    expect(usageFromV3(await result.totalUsage)).toEqual(expected);
    expect(server.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('sends the assistant tool call and the tool result back on the next turn', async () => {
    const server = await serve(
      { toolCalls: [{ name: 'weather', input: { city: 'Oslo' }, id: 'call_oslo' }] },
      { text: 'It snows in Oslo.' },
    );
    const model = makeModel(server.url);
    const messages: ModelMessage[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await generateText({ model, tools, messages });
    const call = first.toolCalls[0]!;
    messages.push(...first.response.messages, {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          output: { type: 'json', value: { sky: 'snow' } },
        },
      ],
    });
    const second = await generateText({ model, tools, messages });
    expect(second.text).toBe('It snows in Oslo.');
    expect((server.requests[1] as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      expect.objectContaining({
        role: 'assistant',
        tool_calls: [
          expect.objectContaining({
            id: 'call_oslo',
            function: { name: 'weather', arguments: JSON.stringify({ city: 'Oslo' }) },
          }),
        ],
      }),
      { role: 'tool', tool_call_id: 'call_oslo', content: JSON.stringify({ sky: 'snow' }) },
    ]);
  });
});

describe('the test server', () => {
  it('refuses a body without model or messages with an OpenAI-style error', async () => {
    const server = await serve({ text: 'unused' });
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'x' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(server.requests).toEqual([{ model: 'x' }]);
  });
});
