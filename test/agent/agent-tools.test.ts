import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/agent/define-agent.js';
import { scriptedModel } from '../../src/models/scripted-model.js';
import { defineTool } from '../../src/tools/tool.js';
import { setToolLogSink, type ToolLogRecord } from '../../src/tools/tool-logger.js';
import { testRuntime } from '../support/test-runtime.js';

/** The outputs of the latest tool message in a prompt, as the model was shown them. */
function lastToolOutputs(prompt: readonly { role: string; content: unknown }[]): unknown[] {
  const last = [...prompt].reverse().find((message) => message.role === 'tool');
  return ((last?.content as { output: unknown }[]) ?? []).map((part) => part.output);
}

/** An agent that makes `calls` in its first turn, then answers with what it was shown. */
function echoingAgent(
  name: string,
  tools: Parameters<typeof defineAgent>[0]['tools'],
  calls: { name: string; input: unknown }[],
  extra: Partial<Parameters<typeof defineAgent>[0]> = {},
) {
  const seen: unknown[][] = [];
  const model = scriptedModel(({ index, prompt }) => {
    if (index === 0) return { toolCalls: calls };
    seen.push(lastToolOutputs(prompt as never));
    return { text: 'done' };
  });
  return { agent: defineAgent({ name, model, instructions: 'Use the tools.', tools, ...extra }), seen };
}

afterEach(() => setToolLogSink(undefined));

describe('agent tools', () => {
  it('cuts a call off at its timeout, aborting it: a safe tool is retried first, a side effect is not', async () => {
    const aborted: string[] = [];
    const hang = (name: string, effect: 'idempotent' | 'side-effect') =>
      defineTool({
        name,
        description: 'Never answers',
        input: z.object({}),
        effect,
        timeout: '100ms',
        retry: effect === 'idempotent' ? { attempts: 2, initialDelay: '10ms' } : undefined,
        execute: (_args, { signal }) =>
          new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => {
              aborted.push(name);
              reject(signal.reason);
            }),
          ),
      });
    const { agent, seen } = echoingAgent(
      'waiter',
      [hang('lookup', 'idempotent'), hang('pay', 'side-effect')],
      [
        { name: 'lookup', input: {} },
        { name: 'pay', input: {} },
      ],
    );
    const rt = await testRuntime([agent]);
    await (await rt.start(agent, { prompt: 'go' })).result();
    expect(aborted.sort()).toEqual(['lookup', 'lookup', 'pay']);
    expect(seen[0]).toEqual([
      {
        type: 'error-json',
        value: {
          error: {
            code: 'tool_timeout',
            message: "Tool 'lookup' did not answer within 100 ms.",
            retryable: true,
          },
        },
      },
      {
        type: 'error-json',
        value: {
          error: {
            code: 'tool_timeout',
            message:
              "Tool 'pay' did not answer within 100 ms; it may or may not have acted. Check before calling it again.",
            retryable: false,
          },
        },
      },
    ]);
  });

  it('runs tools described by a JSON Schema, and refuses bad arguments naming the fields', async () => {
    const files = defineTool({
      name: 'files.read',
      description: 'Reads a file',
      input: {
        type: 'object',
        properties: { path: { type: 'string' } },
        required: ['path'],
        additionalProperties: false,
      },
      execute: (args: { path: string }) => `contents of ${args.path}`,
    });
    const { agent, seen } = echoingAgent(
      'reader',
      [files],
      [
        { name: 'files.read', input: { path: '/a.txt' } },
        { name: 'files.read', input: { file: '/a.txt' } },
      ],
    );
    const rt = await testRuntime([agent]);
    await (await rt.start(agent, { prompt: 'read' })).result();
    expect(seen[0]?.[0]).toEqual({ type: 'text', value: 'contents of /a.txt' });
    expect(seen[0]?.[1]).toMatchObject({
      type: 'error-json',
      value: { error: { code: 'invalid_arguments' } },
    });
    const refused = seen[0]?.[1] as { value: { error: { message: string } } } | undefined;
    const message = refused?.value.error.message ?? '';
    expect(message).toContain('path: required');
    expect(message).toContain('file: not a known field');
  });

  it('shows the model the start of a long output, keeps it whole, and lets the model read on', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n'); // about 3.3 K characters
    const report = defineTool({
      name: 'report',
      description: 'A long report',
      input: z.object({}),
      execute: () => text,
    });
    const seen: unknown[][] = [];
    const model = scriptedModel(({ index, prompt }) => {
      if (index > 0) seen.push(lastToolOutputs(prompt as never));
      if (index === 0) return { toolCalls: [{ name: 'report', input: {}, id: 'call_r' }] };
      if (index === 1)
        return { toolCalls: [{ name: 'read_tool_output', input: { toolCallId: 'call_r', offset: 1000 } }] };
      return { text: 'read it' };
    });
    const agent = defineAgent({
      name: 'reporter',
      model,
      instructions: 'Read.',
      tools: [report],
      maxToolOutputChars: 1000,
    });
    const rt = await testRuntime([agent]);
    await (await rt.start(agent, { prompt: 'report' }, { runId: 'rep-1' })).result();

    expect(seen[0]).toEqual([
      {
        type: 'text',
        value: `${text.slice(0, 1000)}\n[Cut at 1000 of ${text.length} characters. Read on with read_tool_output {"toolCallId": "call_r", "offset": 1000}.]`,
      },
    ]);
    expect(seen[1]).toEqual([
      {
        type: 'text',
        value: `${text.slice(1000, 2000)}\n[Characters 1000 to 2000 of ${text.length}. Read on with offset 2000.]`,
      },
    ]);
    // The journal keeps the whole output; read_tool_output is offered once an output was cut.
    const { events } = await rt.inspect('rep-1');
    const completed = events.flatMap(({ event }) => (event.kind === 'step.completed' ? [event] : []));
    const reportResult = await rt.decode(completed.find((event) => event.name === 'tool:report')!.result);
    expect(reportResult).toEqual({ content: [{ type: 'text', text }] });
    const offered = await Promise.all(
      completed
        .filter((event) => event.name === 'model')
        .map(async (event) => ((await rt.decode(event.request!)) as { tools: string[] }).tools),
    );
    expect(offered).toEqual([['report'], ['report', 'read_tool_output'], ['report', 'read_tool_output']]);
  });

  it('gives each call a logger whose lines name the tool, the run and the call', async () => {
    const records: ToolLogRecord[] = [];
    setToolLogSink((record) => records.push(record));
    const noisy = defineTool({
      name: 'noisy',
      description: 'Logs',
      input: z.object({}),
      execute: (_args, { logger }) => {
        logger.info('working', { step: 1 });
        return 'ok';
      },
    });
    const { agent } = echoingAgent('logger', [noisy], [{ name: 'noisy', input: {} }]);
    const rt = await testRuntime([agent]);
    await (await rt.start(agent, { prompt: 'go' }, { runId: 'log-1' })).result();
    expect(records).toEqual([
      {
        level: 'info',
        message: 'working',
        tool: 'noisy',
        runId: 'log-1',
        tenantId: 'default',
        toolCallId: expect.any(String),
        data: { step: 1 },
      },
    ]);
  });
});

describe('agent model rate limits', () => {
  it("waits for the provider's limit before each model call, and debits the tokens each call used", async () => {
    const lookup = defineTool({
      name: 'lookup',
      description: 'Looks up',
      input: z.object({}),
      execute: () => 'found',
    });
    const model = scriptedModel([
      { toolCalls: [{ name: 'lookup', input: {} }] },
      { toolCalls: [{ name: 'lookup', input: {} }] },
      { text: 'done' },
    ]);
    const agent = defineAgent({
      name: 'limited',
      model,
      instructions: 'Look things up.',
      tools: [lookup],
      modelRateLimit: { calls: 1, per: '400ms', tokensPerMinute: 1_000_000 },
    });
    const rt = await testRuntime([agent]);
    const started = Date.now();
    const result = await (await rt.start(agent, { prompt: 'go' }, { runId: 'lim-m' })).result();
    expect(Date.now() - started).toBeGreaterThanOrEqual(700); // three calls, one per 400 ms
    const { events } = await rt.inspect('lim-m');
    const waits = events.filter(
      ({ event }) => event.kind === 'timer.set' && event.name === 'rate-limit:model:cairn',
    );
    expect(waits.length).toBeGreaterThanOrEqual(2);
    const debits = events.filter(
      ({ event }) => event.kind === 'step.completed' && event.name === 'token-debit:model:cairn',
    );
    expect(debits).toHaveLength(3);
    expect(result.summary.usage.input + result.summary.usage.output).toBeGreaterThan(0);
  });

  it('refuses a bad limit when the agent is defined, saying what to write', () => {
    expect(() =>
      defineAgent({
        name: 'bad',
        model: scriptedModel([]),
        instructions: 'x',
        modelRateLimit: { per: '1s' },
      }),
    ).toThrow(/modelRateLimit limits nothing: give calls .* or tokensPerMinute/);
  });
});
