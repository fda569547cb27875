import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { generateText, type ModelMessage, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CairnError } from '../../src/core/errors.js';
import { scriptedModel } from '../../src/models/scripted-model.js';
import { usageFromV3 } from '../../src/models/token-usage.js';

const tools = {
  lookup: tool({ description: 'Looks a word up', inputSchema: z.object({ word: z.string() }) }),
};

describe('scriptedModel', () => {
  it('plays its turns in conversation order through generateText, tool calls included', async () => {
    const model = scriptedModel([
      { text: 'Looking it up.', toolCalls: [{ name: 'lookup', input: { word: 'cairn' } }] },
      { text: 'A pile of stones.', usage: { input: 50, output: 6, cachedInput: 20, reasoning: 2 } },
    ]);
    expect(model).toMatchObject({ specificationVersion: 'v3', provider: 'cairn', modelId: 'scripted' });
    const messages: ModelMessage[] = [{ role: 'user', content: 'What is a cairn?' }];
    const first = await generateText({ model, tools, messages });
    expect(first.text).toBe('Looking it up.');
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls).toEqual([
      expect.objectContaining({ toolCallId: 'call_0_0', toolName: 'lookup', input: { word: 'cairn' } }),
    ]);
    // No usage in the script: estimated from characters, so never zero.
    const estimated = usageFromV3(first.usage);
    expect(estimated.input).toBeGreaterThan(0);
    expect(estimated.output).toBeGreaterThan(0);
    messages.push(...first.response.messages, {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_0_0',
          toolName: 'lookup',
          output: { type: 'text', value: 'stones' },
        },
      ],
    });
    const second = await generateText({ model, tools, messages });
    expect(second.text).toBe('A pile of stones.');
    expect(second.finishReason).toBe('stop');
    expect(usageFromV3(second.usage)).toEqual({ input: 50, output: 6, cachedInput: 20, reasoning: 2 });
    expect(model.calls).toBe(2);
    // The same conversation asked again (a run resumed elsewhere) gets the same turn.
    expect((await generateText({ model, tools, messages })).text).toBe('A pile of stones.');
  });

  it('streams text in several deltas, then tool calls, then usage', async () => {
    const model = scriptedModel([
      {
        text: 'Streaming this answer in pieces.',
        toolCalls: [{ name: 'lookup', input: { word: 'stone' }, id: 'mine' }],
        usage: { input: 10, output: 8 },
      },
    ]);
    const result = streamText({ model, tools, prompt: 'Go' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Streaming this answer in pieces.');
    expect(await result.toolCalls).toEqual([
      expect.objectContaining({ toolCallId: 'mine', toolName: 'lookup', input: { word: 'stone' } }),
    ]);
    expect(await result.finishReason).toBe('tool-calls');
    expect(usageFromV3(await result.usage)).toEqual({ input: 10, output: 8, cachedInput: 0, reasoning: 0 });
  });

  it('says how long the script is when a conversation runs past its end', async () => {
    const model = scriptedModel([{ text: 'only one' }]);
    const first = await generateText({ model, prompt: 'one' });
    const messages: ModelMessage[] = [{ role: 'user', content: 'one' }, ...first.response.messages];
    const error = await generateText({
      model,
      messages: [...messages, { role: 'user', content: 'two' }],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CairnError);
    expect((error as CairnError).code).toBe('invalid_argument');
    expect((error as CairnError).message).toMatch(/script of 1 turn and was asked for turn 2/);
    // streamText reports the same error as an error part of the stream.
    const errors: unknown[] = [];
    const stream = streamText({
      model,
      messages: [...messages, { role: 'user', content: 'three' }],
      onError: ({ error }) => void errors.push(error),
    });
    await stream.consumeStream();
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/asked for turn 2/) })]);
    expect(model.calls).toBe(3);
  });

  it('lets a function script see the prompt, tool results included', async () => {
    const prompts: LanguageModelV3Prompt[] = [];
    const model = scriptedModel(
      ({ index, prompt }) => {
        prompts.push(prompt);
        const last = prompt.at(-1);
        if (last?.role === 'tool') {
          const part = last.content[0];
          const output = part?.type === 'tool-result' ? part.output : undefined;
          return { text: `call ${index} read ${JSON.stringify(output)}` };
        }
        return { toolCalls: [{ name: 'lookup', input: { word: 'cairn' } }] };
      },
      { modelId: 'gpt-4o-mini', provider: 'test' },
    );
    expect(model).toMatchObject({ modelId: 'gpt-4o-mini', provider: 'test' });
    const messages: ModelMessage[] = [{ role: 'user', content: 'Define cairn.' }];
    const first = await generateText({ model, tools, messages });
    const call = first.toolCalls[0]!;
    messages.push(...first.response.messages, {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          output: { type: 'text', value: 'stones' },
        },
      ],
    });
    const second = await generateText({ model, tools, messages });
    expect(second.text).toBe('call 1 read {"type":"text","value":"stones"}');
    expect(prompts[1]!.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(prompts[1]![1]!.content).toEqual([
      expect.objectContaining({ type: 'tool-call', toolCallId: 'call_0_0', input: { word: 'cairn' } }),
    ]);
  });

  it('stops at once when the call is aborted', async () => {
    const model = scriptedModel([{ text: 'never' }]);
    const error = await generateText({ model, prompt: 'x', abortSignal: AbortSignal.abort() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});
