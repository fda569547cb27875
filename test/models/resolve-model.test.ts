import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { resolveModel } from '../../src/models/resolve-model.js';
import { scriptedModel } from '../../src/models/scripted-model.js';
import { usageFromV3 } from '../../src/models/token-usage.js';
import { serveOpenAICompatible as serve } from '../support/serve-openai-compatible.js';

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect(isCairnError(error, 'invalid_argument')).toBe(true);
    return error as Error;
  }
  throw new Error('expected resolveModel to refuse');
}

describe('resolveModel', () => {
  it("builds 'openai:<model>' on chat completions, with the key and base URL from env", async () => {
    const server = await serve({ text: 'hi from openai' });
    const model = resolveModel('openai:gpt-4o-mini', {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.url,
    });
    expect(model).toMatchObject({
      specificationVersion: 'v3',
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
    });
    expect((await generateText({ model, prompt: 'hello' })).text).toBe('hi from openai');
    expect(server.requests[0]).toMatchObject({ model: 'gpt-4o-mini' });
    expect(server.headers[0]!.authorization).toBe('Bearer sk-test');
  });

  it("accepts 'openai:<model>' with only a base URL (a local server needing no key)", async () => {
    const server = await serve({ text: 'no key needed' });
    const model = resolveModel('openai:local', { OPENAI_BASE_URL: server.url });
    expect((await generateText({ model, prompt: 'hello' })).text).toBe('no key needed');
  });

  it("refuses 'openai:<model>' without OPENAI_API_KEY or OPENAI_BASE_URL, saying what to set", () => {
    expect(refusal(() => resolveModel('openai:gpt-4o', {})).message).toMatch(/set OPENAI_API_KEY/);
    expect(refusal(() => resolveModel('openai:gpt-4o', { OPENAI_API_KEY: '' })).message).toMatch(
      /OPENAI_API_KEY/,
    );
  });

  it("builds 'anthropic:<model>' when ANTHROPIC_API_KEY is set, and says to set it when not", () => {
    const model = resolveModel('anthropic:claude-sonnet-4-0', { ANTHROPIC_API_KEY: 'sk-ant-test' });
    expect(model).toMatchObject({ specificationVersion: 'v3', modelId: 'claude-sonnet-4-0' });
    expect(model.provider).toMatch(/^anthropic/);
    expect(refusal(() => resolveModel('anthropic:claude-sonnet-4-0', {})).message).toMatch(
      /set ANTHROPIC_API_KEY/,
    );
  });

  it("builds 'openai-compatible:<model>@<base URL>', streaming with usage", async () => {
    const server = await serve({ text: 'streamed locally', usage: { input: 9, output: 3 } });
    const model = resolveModel(`openai-compatible:llama3.2@${server.url}`, {});
    expect(model).toMatchObject({ specificationVersion: 'v3', modelId: 'llama3.2' });
    const result = streamText({ model, prompt: 'hello' });
    expect(await result.text).toBe('streamed locally');
    expect(usageFromV3(await result.usage)).toEqual({ input: 9, output: 3, cachedInput: 0, reasoning: 0 });
    expect(server.requests[0]).toMatchObject({ model: 'llama3.2', stream: true });
    expect(server.headers[0]!.authorization).toBeUndefined();
  });

  it("keeps an '@' inside an openai-compatible model id", () => {
    const model = resolveModel('openai-compatible:claude-3-5@20240620@http://127.0.0.1:1/v1', {});
    expect(model.modelId).toBe('claude-3-5@20240620');
  });

  it('refuses strings it does not know, listing the accepted forms', () => {
    for (const spec of [
      'gpt-4o',
      'openai:',
      'anthropic:',
      'mistral:large',
      '',
      'openai-compatible:llama3.2',
    ]) {
      const message = refusal(() =>
        resolveModel(spec, { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }),
      ).message;
      expect(message).toMatch(/openai-compatible:<model>@<base URL>/);
    }
    expect(refusal(() => resolveModel('openai-compatible:llama@ftp://host/v1', {})).message).toMatch(
      /http\(s\)/,
    );
  });

  it('passes a V3 model object through and refuses other objects', () => {
    const model = scriptedModel([]);
    expect(resolveModel(model)).toBe(model);
    const v2 = { ...model, specificationVersion: 'v2' } as unknown as Parameters<typeof resolveModel>[0];
    expect(refusal(() => resolveModel(v2)).message).toMatch(/AI SDK v6 model interface/);
    expect(refusal(() => resolveModel({} as never)).message).toMatch(/'undefined'/);
  });
});
