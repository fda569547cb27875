import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { CairnError } from '../core/errors.js';

/** A model: an AI SDK v6 language model object, or a string naming one (see {@link resolveModel}). */
export type ModelSpec = LanguageModelV3 | string;

const ACCEPTED_FORMS =
  "'openai:<model>' (e.g. 'openai:gpt-4o-mini'), 'anthropic:<model>' (e.g. 'anthropic:claude-sonnet-4-0'), " +
  "or 'openai-compatible:<model>@<base URL>' (e.g. 'openai-compatible:llama3.2@http://127.0.0.1:11434/v1')";

/**
 * The language model `spec` names. A model object passes through (it must implement the AI SDK v6
 * interface, `specificationVersion: 'v3'`). Strings name a provider and a model:
 * - `openai:<model>`: OpenAI chat completions, with `OPENAI_API_KEY` (and `OPENAI_BASE_URL` if set);
 * - `anthropic:<model>`: Anthropic, with `ANTHROPIC_API_KEY`;
 * - `openai-compatible:<model>@<base URL>`: any server speaking OpenAI chat completions (Ollama,
 *   vLLM, LM Studio...), with `OPENAI_API_KEY` as bearer token when set.
 * Settings are read from `env` only, never from elsewhere, so that a caller controls them fully.
 */
export function resolveModel(spec: ModelSpec, env: NodeJS.ProcessEnv = process.env): LanguageModelV3 {
  if (typeof spec !== 'string') return checkModelObject(spec);
  const colon = spec.indexOf(':');
  const provider = colon < 0 ? '' : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1).trim();
  if (provider === 'openai' && rest !== '') return openAIModel(rest, env);
  if (provider === 'anthropic' && rest !== '') return anthropicModel(rest, env);
  if (provider === 'openai-compatible') return compatibleModel(spec, rest, env);
  throw new CairnError('invalid_argument', `Unknown model '${spec}'. Name a model as ${ACCEPTED_FORMS}.`, {
    details: { spec },
  });
}

function openAIModel(model: string, env: NodeJS.ProcessEnv): LanguageModelV3 {
  const apiKey = setting(env, 'OPENAI_API_KEY');
  const baseURL = setting(env, 'OPENAI_BASE_URL');
  if (apiKey === undefined && baseURL === undefined) {
    throw new CairnError(
      'invalid_argument',
      `The model 'openai:${model}' needs an OpenAI API key: set OPENAI_API_KEY ` +
        '(or OPENAI_BASE_URL to use a local server that needs no key).',
    );
  }
  // Both are passed explicitly, so the provider never falls back to process.env behind `env`'s back;
  // a local server without a key gets an empty bearer token.
  return createOpenAI({ apiKey: apiKey ?? '', baseURL: baseURL ?? 'https://api.openai.com/v1' }).chat(model);
}

function anthropicModel(model: string, env: NodeJS.ProcessEnv): LanguageModelV3 {
  const apiKey = setting(env, 'ANTHROPIC_API_KEY');
  if (apiKey === undefined) {
    throw new CairnError(
      'invalid_argument',
      `The model 'anthropic:${model}' needs an Anthropic API key: set ANTHROPIC_API_KEY.`,
    );
  }
  return createAnthropic({ apiKey })(model);
}

function compatibleModel(spec: string, rest: string, env: NodeJS.ProcessEnv): LanguageModelV3 {
  // Split before the URL's scheme, not at the first '@': model ids may contain '@' themselves.
  const match = /^(.+?)@(https?:\/\/.+)$/.exec(rest);
  if (match === null || !URL.canParse(match[2]!)) {
    throw new CairnError(
      'invalid_argument',
      `'${spec}' is not a valid OpenAI-compatible model: write 'openai-compatible:<model>@<base URL>', ` +
        "with an http(s) base URL ending where the API's /chat/completions path starts, e.g. " +
        "'openai-compatible:llama3.2@http://127.0.0.1:11434/v1'.",
      { details: { spec } },
    );
  }
  const [, model, baseURL] = match;
  return createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: baseURL!,
    apiKey: setting(env, 'OPENAI_API_KEY'),
    // Without this the provider does not ask for usage when streaming, and streamed calls cost nothing.
    includeUsage: true,
  })(model!.trim());
}

function checkModelObject(model: unknown): LanguageModelV3 {
  const version =
    typeof model === 'object' && model !== null
      ? (model as { specificationVersion?: unknown }).specificationVersion
      : undefined;
  if (version !== 'v3') {
    throw new CairnError(
      'invalid_argument',
      `The model object implements specification version '${String(version)}', but Cairn requires the ` +
        "AI SDK v6 model interface ('v3'): upgrade the provider package to a version for ai@6, or name " +
        `the model as a string: ${ACCEPTED_FORMS}.`,
      { details: { specificationVersion: String(version) } },
    );
  }
  return model as LanguageModelV3;
}

// An empty variable counts as unset, the way shells and .env files usually mean it.
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
