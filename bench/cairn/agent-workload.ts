import { defineWorkflow } from '../../dist/index.js';

/**
 * The benchmark's workload, the same for Cairn and its peers: an agent-like loop where each step is one
 * model call (a fake model with no latency) and one tool call (returning a fixed 2 KB string), both
 * appended to a growing message history.
 */
export const TOOL_OUTPUT = 'lorem ipsum dolor sit amet, '.repeat(74).slice(0, 2048);

export interface Message {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly content: string;
  readonly toolCalls?: readonly {
    readonly id: string;
    readonly name: string;
    readonly args: { readonly i: number };
  }[];
  readonly toolCallId?: string;
}

/** The fake model: reads the history, answers at once with one tool call. */
export function fakeModel(history: readonly Message[], i: number): Message {
  if (history.length === 0) throw new Error('empty history');
  return {
    role: 'assistant',
    content: `step ${i}`,
    toolCalls: [{ id: `call_${i}`, name: 'lookup', args: { i } }],
  };
}

/** Called at the start of every step (the model call) with its index; used by the long-run probe. */
export type StepProbe = (step: number) => void;

export interface WorkloadOptions {
  /** Make every tool output different, so that no payload is deduplicated. */
  readonly uniqueOutputs?: boolean;
  /**
   * `declared` (default): as Cairn's agent loop declares them: the model call `pure` with its response
   * committed before the loop moves on, the tool a `side-effect`. `deferred`: the model call `pure`
   * and cheap, its result committed with the next write (the engine's fastest correct setting).
   * `defaults`: neither says anything, so both are `idempotent` steps.
   */
  readonly effects?: 'declared' | 'deferred' | 'defaults';
  readonly probe?: StepProbe;
}

export interface AgentRunInput {
  readonly steps: number;
  /** How long each model call takes, as a network call would (default 0: answers at once). */
  readonly modelLatencyMs?: number;
}

export function agentWorkflow(options: WorkloadOptions = {}) {
  const effects = options.effects ?? 'declared';
  const modelOptions =
    effects === 'defaults' ? {} : { effect: 'pure' as const, defer: effects === 'deferred' };
  const toolOptions = effects === 'defaults' ? {} : { effect: 'side-effect' as const };
  return defineWorkflow('bench-agent', async (ctx, input: AgentRunInput) => {
    const history: Message[] = [{ role: 'user', content: 'Find the answer.' }];
    for (let i = 0; i < input.steps; i++) {
      const reply = await ctx.step(
        'model',
        () => {
          options.probe?.(i + 1);
          const latency = input.modelLatencyMs ?? 0;
          if (latency === 0) return fakeModel(history, i);
          return new Promise<Message>((resolve) => setTimeout(() => resolve(fakeModel(history, i)), latency));
        },
        modelOptions,
      );
      history.push(reply);
      const output = await ctx.step('tool', () => toolOutput(i, options.uniqueOutputs === true), toolOptions);
      history.push({ role: 'tool', content: output, toolCallId: `call_${i}` });
    }
    return { messages: history.length };
  });
}

const WORDS = Array.from({ length: 2_000 }, (_, i) => (i * 2_654_435_761).toString(36).slice(0, 3 + (i % 7)));

/**
 * The tool's answer: the fixed 2 KB string, or, to defeat deduplication, 2 KB of text that differs at
 * every step: pseudo-random words from a 2,000-word vocabulary, about as compressible as real prose.
 */
export function toolOutput(i: number, unique: boolean): string {
  if (!unique) return TOOL_OUTPUT;
  let text = '';
  for (let n = i * 7_919 + 1; text.length < TOOL_OUTPUT.length; n = (n * 48_271) % 2_147_483_647) {
    text += `${WORDS[n % WORDS.length]} `;
  }
  return text.slice(0, TOOL_OUTPUT.length);
}

/** Bytes of model and tool output a run of `steps` steps produces (what it must store at least). */
export function payloadBytes(steps: number, uniqueOutputs: boolean): number {
  let total = 0;
  for (let i = 0; i < steps; i++) {
    total +=
      JSON.stringify(fakeModel([{ role: 'user', content: '' }], i)).length +
      toolOutput(i, uniqueOutputs).length;
  }
  return total;
}
