import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../src/agent/define-agent.js';
import { scriptedModel } from '../../src/models/scripted-model.js';
import { everythingServer, filesystemServer, fixtureServer } from '../mcp/mcp-servers.js';
import { tempDir } from '../support/temp-dir.js';
import { testRuntime } from '../support/test-runtime.js';

type Call = { name: string; input: unknown };

/** An agent that makes `turns` of calls, one turn per model call, then answers; `seen` gets what it was shown. */
function mcpAgent(name: string, mcp: Parameters<typeof defineAgent>[0]['mcp'], turns: Call[][]) {
  const seen: unknown[][] = [];
  const model = scriptedModel(({ index, prompt }) => {
    if (index > 0) {
      const last = [...prompt].reverse().find((message) => message.role === 'tool');
      seen.push(((last?.content ?? []) as { output: unknown }[]).map((part) => part.output));
    }
    const calls = turns[index];
    return calls === undefined ? { text: 'done' } : { toolCalls: calls };
  });
  return { agent: defineAgent({ name, model, instructions: 'Use the tools.', mcp }), seen };
}

describe('agents with MCP servers', () => {
  it('discovers tools from real servers, validates arguments against their schemas, and calls them', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'cairns mark the way');
    const { agent, seen } = mcpAgent(
      'mcp-user',
      { everything: everythingServer(), files: filesystemServer(dir) },
      [
        [
          { name: 'everything.get-sum', input: { a: 2, b: 3 } },
          { name: 'files.read_text_file', input: { path: join(dir, 'notes.txt') } },
          { name: 'everything.get-sum', input: { a: 'two' } },
        ],
      ],
    );
    const rt = await testRuntime([agent]);
    await (await rt.start(agent, { prompt: 'go' }, { runId: 'mcp-1' })).result();
    expect(seen[0]?.[0]).toMatchObject({ type: 'text', value: expect.stringContaining('5') });
    expect(seen[0]?.[1]).toEqual({ type: 'text', value: 'cairns mark the way' });
    expect(seen[0]?.[2]).toMatchObject({
      type: 'error-json',
      value: {
        error: {
          code: 'invalid_arguments',
          message: expect.stringMatching(/b: required; a: must be number/),
        },
      },
    });
    // The listing is journaled (a replay sees the same tools), and so is each call's result.
    const { events } = await rt.inspect('mcp-1');
    const names = events.flatMap(({ event }) => (event.kind === 'step.completed' ? [event.name] : []));
    expect(names).toEqual(
      expect.arrayContaining(['mcp-tools', 'tool:everything.get-sum', 'tool:files.read_text_file']),
    );
    const listing = events.find(
      ({ event }) => event.kind === 'step.completed' && event.name === 'mcp-tools',
    )!;
    const tools = (await rt.decode((listing.event as unknown as { result: never }).result)) as {
      tools: { server: string; name: string }[];
    };
    expect(tools.tools.map((tool) => `${tool.server}.${tool.name}`)).toEqual(
      expect.arrayContaining([
        'everything.echo',
        'everything.get-sum',
        'files.read_text_file',
        'files.write_file',
      ]),
    );
  });

  it('times out a call that never answers, and reports a server that crashed mid-call; the run carries on', async () => {
    const marker = join(tempDir(), 'crashed');
    const { agent, seen } = mcpAgent(
      'mcp-trouble',
      {
        hanging: { ...fixtureServer('hanging-server'), timeout: '300ms' },
        fragile: fixtureServer('fragile-server', marker),
      },
      [
        [{ name: 'hanging.never-answers', input: {} }],
        [{ name: 'fragile.crash', input: {} }],
        [{ name: 'hanging.ping', input: {} }],
      ],
    );
    const rt = await testRuntime([agent]);
    const result = await (await rt.start(agent, { prompt: 'go' })).result();
    expect(result.output).toBe('done');
    expect(seen[0]).toEqual([
      {
        type: 'error-json',
        value: { error: { code: 'mcp_timeout', message: expect.stringMatching(/300 ?ms/), retryable: true } },
      },
    ]);
    expect(seen[1]).toEqual([
      {
        type: 'error-json',
        value: {
          error: {
            code: 'mcp_server_exited',
            message: expect.stringMatching(/exited with code 3 while running tool 'crash'/),
            retryable: true,
          },
        },
      },
    ]);
    expect(seen[2]).toEqual([{ type: 'text', value: 'pong' }]);
  });

  it("waits, durably, for its turn under the server's rate limit", async () => {
    const { agent, seen } = mcpAgent(
      'mcp-limited',
      { everything: { ...everythingServer(), rateLimit: { calls: 1, per: '1s' } } },
      [
        [
          { name: 'everything.echo', input: { message: 'one' } },
          { name: 'everything.echo', input: { message: 'two' } },
        ],
      ],
    );
    const rt = await testRuntime([agent]);
    const started = Date.now();
    await (await rt.start(agent, { prompt: 'go' }, { runId: 'lim-1' })).result();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // the second call waited for a token
    expect(seen[0]).toHaveLength(2);
    const { events } = await rt.inspect('lim-1');
    const waits = events.filter(
      ({ event }) => event.kind === 'timer.set' && event.name.startsWith('rate-limit:mcp:everything'),
    );
    expect(waits).toHaveLength(1);
  });
});
