import { join } from 'node:path';
import { z } from 'zod';
import { createRuntime, defineAgent, defineTool, scriptedModel } from '../../dist/index.js';

export interface AgentResumeResult {
  readonly steps: number;
  readonly events: number;
  readonly secondsToBuild: number;
  /** From the approval that wakes the run to its result: load checkpoints, replay the tail, finish. */
  readonly secondsToResume: number;
}

/**
 * A `steps`-step agent run (a scripted model asking for one tool call per step) that ends by asking a
 * person to approve its last tool call, so it waits. A fresh runtime then approves it, and the time
 * until the run's result is the resume time: it must not rebuild the run from its first event.
 */
export async function cairnAgentResume(options: { dir: string; steps: number }): Promise<AgentResumeResult> {
  const store = `sqlite:${join(options.dir, 'agent-resume.db')}`;
  const agent = () => {
    const lookup = defineTool({
      name: 'lookup',
      description: 'Looks something up',
      input: z.object({ i: z.number() }),
      execute: ({ i }) => `result ${i}`,
    });
    const publish = defineTool({
      name: 'publish',
      description: 'Publishes the findings',
      input: z.object({}),
      needsApproval: true,
      execute: () => 'published',
    });
    // The model sees only a window of the conversation, so it reads where it is from the last result.
    const model = scriptedModel(({ prompt }) => {
      const last = JSON.stringify(prompt.at(-1) ?? '');
      if (last.includes('published')) return { text: 'Done.' };
      const i = Number(/result (\d+)/.exec(last)?.[1] ?? -1) + 1;
      if (i < options.steps - 1) return { toolCalls: [{ name: 'lookup', input: { i } }] };
      return { toolCalls: [{ name: 'publish', input: {} }] };
    });
    return defineAgent({
      name: 'long-agent',
      model,
      instructions: 'Look everything up, then publish.',
      tools: [lookup, publish],
      maxSteps: options.steps + 1,
      maxMessages: 20,
    });
  };

  const started = performance.now();
  const first = await createRuntime({ store, workflows: [agent()] });
  await first.start(agent(), { prompt: 'Go.' }, { runId: 'long' });
  while ((await first.listApprovals()).length === 0) {
    if ((await first.getRun('long'))?.status === 'completed')
      throw new Error('the long run finished without asking for approval');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const events = (await first.inspect('long')).events.length;
  await first.close();
  const secondsToBuild = (performance.now() - started) / 1_000;

  const second = await createRuntime({ store, workflows: [agent()] });
  const [approval] = await second.listApprovals();
  const resumed = performance.now();
  await second.approve(approval!.approvalId, { by: 'bench' });
  await second.handle('long').result();
  const secondsToResume = (performance.now() - resumed) / 1_000;
  await second.close();
  return { steps: options.steps, events, secondsToBuild, secondsToResume };
}
