import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/agent/define-agent.js';
import { watchText } from '../../src/agent/text-stream.js';
import { scriptedModel } from '../../src/models/scripted-model.js';
import { defineTool } from '../../src/tools/tool.js';
import { ToolError } from '../../src/tools/tool-error.js';
import { testRuntime, testStoreAddress } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

const lookups: string[] = [];
const lookup = defineTool({
  name: 'lookup',
  description: 'Looks a word up in the dictionary',
  input: z.object({ word: z.string() }),
  execute: async ({ word }) => {
    lookups.push(word);
    if (word === 'boom')
      throw new ToolError('the dictionary is on fire', { code: 'dictionary_down', retryable: true });
    return `${word}: a pile of stones`;
  },
});

/** The text of the tool results the model saw last (what a function script reads). */
function lastToolOutputs(prompt: readonly { role: string; content: unknown }[]): unknown[] {
  const last = [...prompt].reverse().find((message) => message.role === 'tool');
  return ((last?.content as { output: unknown }[]) ?? []).map((part) => part.output);
}

describe('agents', () => {
  it('thinks, acts and observes until the model answers, and sums up what it did', async () => {
    const model = scriptedModel([
      {
        text: 'Let me look.',
        toolCalls: [
          { name: 'lookup', input: { word: 'cairn' } },
          { name: 'lookup', input: { word: 'stone' } },
        ],
      },
      { text: 'A cairn is a pile of stones.', usage: { input: 200, output: 10 } },
    ]);
    const agent = defineAgent({ name: 'definer', model, instructions: 'Define words.', tools: [lookup] });
    const rt = await testRuntime([agent]);
    lookups.length = 0;
    const result = await (await rt.start(agent, { prompt: 'What is a cairn?' }, { runId: 'def-1' })).result();
    expect(result.output).toBe('A cairn is a pile of stones.');
    expect(result.summary).toMatchObject({
      steps: 2,
      toolCalls: { lookup: 2 },
      approvals: 0,
      stoppedBy: 'answer',
    });
    expect(result.summary.usage.input).toBeGreaterThan(200);
    expect(result.summary.costUsd).toBeGreaterThan(0);
    expect(lookups.sort()).toEqual(['cairn', 'stone']);
    const steps = (await rt.inspect('def-1')).events.flatMap(({ event }) =>
      event.kind === 'step.completed' ? [event.name] : [],
    );
    expect(steps.sort()).toEqual(['model', 'model', 'tool:lookup', 'tool:lookup']);
  });

  it('gives the model a structured error when a tool throws, or is called with bad arguments, and lets it correct itself', async () => {
    const seen: unknown[][] = [];
    const model = scriptedModel(({ index, prompt }) => {
      if (index > 0) seen.push(lastToolOutputs(prompt as never));
      if (index === 0)
        return {
          toolCalls: [
            { name: 'lookup', input: { word: 'boom' } },
            { name: 'lookup', input: { wrod: 'x' } },
            { name: 'nope', input: {} },
          ],
        };
      return { text: 'Sorry, the dictionary is down.' };
    });
    const agent = defineAgent({ name: 'erring', model, instructions: 'Define words.', tools: [lookup] });
    const rt = await testRuntime([agent]);
    const result = await (await rt.start(agent, { prompt: 'Define boom' }, { runId: 'err-1' })).result();
    expect(result.output).toBe('Sorry, the dictionary is down.');
    expect(seen[0]).toEqual([
      {
        type: 'error-json',
        value: { error: { code: 'dictionary_down', message: 'the dictionary is on fire', retryable: true } },
      },
      {
        type: 'error-json',
        value: {
          error: {
            code: 'invalid_arguments',
            message: expect.stringMatching(/word: .*expected string/i),
            retryable: false,
          },
        },
      },
      {
        type: 'error-json',
        value: {
          error: {
            code: 'unknown_tool',
            message: "There is no tool named 'nope'. Tools: lookup.",
            retryable: false,
          },
        },
      },
    ]);
    const failed = (await rt.inspect('err-1')).events.filter(({ event }) => event.kind === 'step.failed');
    expect(failed).toHaveLength(3); // the retryable error's three attempts, journaled
    const refused = (await rt.inspect('err-1')).events.filter(
      ({ event }) => event.kind === 'step.completed' && event.name === 'tool-refused',
    );
    expect(refused).toHaveLength(2); // the bad arguments and the unknown tool, journaled too
  });

  it('waits durably for approval, and carries on in another process without calling the model again', async () => {
    const store = testStoreAddress();
    const refunds: number[] = [];
    const refund = defineTool({
      name: 'refund',
      description: 'Refunds an amount',
      input: z.object({ amount: z.number() }),
      effect: 'side-effect',
      needsApproval: ({ amount }) => amount > 100,
      execute: ({ amount }) => {
        refunds.push(amount);
        return { refunded: amount };
      },
    });
    const turns = [{ toolCalls: [{ name: 'refund', input: { amount: 250 } }] }, { text: 'Refunded.' }];
    const first = scriptedModel(turns);
    const agentOf = (model: ReturnType<typeof scriptedModel>) =>
      defineAgent({ name: 'refunder', model, instructions: 'Refund what is asked.', tools: [refund] });
    const rt1 = await testRuntime([agentOf(first)], { store });
    await rt1.start(agentOf(first), { prompt: 'Refund 250' }, { runId: 'ref-1' });
    await waitFor(async () => (await rt1.getRun('ref-1'))?.status === 'waiting');
    expect(await rt1.listApprovals()).toHaveLength(1);
    await rt1.close();
    expect(first.calls).toBe(1);

    const second = scriptedModel(turns);
    const rt2 = await testRuntime([agentOf(second)], { store });
    const [approval] = await rt2.listApprovals();
    expect(approval?.request).toMatchObject({
      title: "Call tool 'refund'",
      details: { tool: 'refund', args: { amount: 250 } },
    });
    await rt2.approve(approval!.approvalId, { by: 'ada', args: { amount: 200 } });
    const result = await rt2.handle<{ output: string; summary: { approvals: number } }>('ref-1').result();
    expect(result.output).toBe('Refunded.');
    expect(result.summary.approvals).toBe(1);
    expect(refunds).toEqual([200]); // the approver's edited arguments
    expect(second.calls).toBe(1); // the first model response came from the journal
  });

  it('shows the model a rejection and its reason', async () => {
    const risky = defineTool({
      name: 'wipe',
      description: 'Wipes a disk',
      input: z.object({}),
      needsApproval: true,
      execute: () => 'wiped',
    });
    const model = scriptedModel(({ index, prompt }) =>
      index === 0
        ? { toolCalls: [{ name: 'wipe', input: {} }] }
        : { text: JSON.stringify(lastToolOutputs(prompt as never)) },
    );
    const agent = defineAgent({ name: 'wiper', model, instructions: 'Wipe.', tools: [risky] });
    const rt = await testRuntime([agent]);
    const handle = await rt.start(agent, { prompt: 'wipe it' });
    await waitFor(async () => (await rt.listApprovals()).length === 1);
    await rt.reject((await rt.listApprovals())[0]!.approvalId, { by: 'bob', reason: 'not on a Friday' });
    expect((await handle.result()).output).toMatch(/rejected.*bob.*not on a Friday/);
  });

  it('hands work to a sub-agent as a child run, several in parallel', async () => {
    const researcher = defineAgent({
      name: 'researcher',
      model: scriptedModel(({ prompt }) => ({
        text: `found: ${JSON.stringify(prompt.at(-1))}`.slice(0, 60),
      })),
      instructions: 'Research the question.',
    });
    const lead = defineAgent({
      name: 'lead',
      model: scriptedModel([
        {
          toolCalls: [
            { name: 'researcher', input: { prompt: 'history of cairns' } },
            { name: 'researcher', input: { prompt: 'uses of cairns' } },
          ],
        },
        { text: 'Report written.' },
      ]),
      instructions: 'Lead the research.',
      tools: [researcher.asTool()],
    });
    const rt = await testRuntime([lead]); // the researcher is registered through the lead
    const result = await (
      await rt.start(lead, { prompt: 'Write about cairns' }, { runId: 'lead-1' })
    ).result();
    expect(result.output).toBe('Report written.');
    expect(result.summary.subAgents.runs).toBe(2);
    expect(result.summary.subAgents.costUsd).toBeGreaterThan(0);
    const children = await rt.listRuns({ parentRunId: 'lead-1' });
    expect(children.map((run) => [run.workflow, run.status])).toEqual([
      ['researcher', 'completed'],
      ['researcher', 'completed'],
    ]);
  });

  it('streams the text as it is generated, and journals only the final response', async () => {
    const model = scriptedModel([{ text: 'Streaming this answer in several pieces.' }]);
    const agent = defineAgent({ name: 'streamer', model, instructions: 'Talk.' });
    const store = testStoreAddress();
    const rt = await testRuntime([agent], { store, worker: false });
    const deltas: string[] = [];
    const stop = watchText('stream-1', (delta) => deltas.push(delta));
    const worker = await testRuntime([agent], { store });
    await rt.start(agent, { prompt: 'Say something' }, { runId: 'stream-1' });
    const result = await worker.handle<{ output: string }>('stream-1').result();
    stop();
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.output);
  });

  it('plans first when asked, journaling the plan like any model call', async () => {
    const model = scriptedModel([
      { text: '1. Look up the word. 2. Answer.' },
      { text: 'A cairn is a pile of stones.' },
    ]);
    const agent = defineAgent({ name: 'planner', model, instructions: 'Define words.', plan: true });
    const rt = await testRuntime([agent]);
    const result = await (
      await rt.start(agent, { prompt: 'What is a cairn?' }, { runId: 'plan-1' })
    ).result();
    expect(result.output).toBe('A cairn is a pile of stones.');
    expect(result.summary.steps).toBe(1);
    const completed = (await rt.inspect('plan-1')).events.flatMap(({ event }) =>
      event.kind === 'step.completed' ? [event] : [],
    );
    expect(completed.map((event) => event.name)).toEqual(['plan', 'model']);
    const plan = (await rt.decode(completed[0]!.result)) as { text: string };
    expect(plan.text).toBe('1. Look up the word. 2. Answer.');
    expect(await rt.decode(completed[1]!.request!)).toEqual({ messages: 2, tools: [] });
  });

  it('stops at maxSteps', async () => {
    const model = scriptedModel(() => ({
      text: 'again',
      toolCalls: [{ name: 'lookup', input: { word: 'x' } }],
    }));
    const agent = defineAgent({ name: 'looper', model, instructions: 'Loop.', tools: [lookup], maxSteps: 3 });
    const rt = await testRuntime([agent]);
    const { summary } = await (await rt.start(agent, { prompt: 'go' })).result();
    expect(summary).toMatchObject({ steps: 3, stoppedBy: 'max_steps', toolCalls: { lookup: 3 } });
  });

  it('refuses a bad definition with every problem named', () => {
    expect(() =>
      defineAgent({
        name: 'bad',
        model: scriptedModel([]),
        instructions: '',
        maxSteps: 0,
        tools: [lookup, lookup],
      }),
    ).toThrow(
      /instructions must be a non-empty string; maxSteps must be a positive integer; two tools are named 'lookup'/,
    );
  });
});
