import { describe, expect, it } from 'vitest';
import { spawnCli } from './spawn-cli.js';

const FIXTURE = 'test/cli/fixtures/mcp-agent.ts';

describe('cairn tools list', () => {
  it("lists an agent's own tools and its MCP servers' tools, with source, effect and arguments", async () => {
    const listed = await spawnCli(['tools', 'list', FIXTURE]);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+TOOL\s+SOURCE\s+EFFECT\s+ARGUMENTS\s+DESCRIPTION$/);
    expect(listed.stdout).toMatch(
      /helper\s+weather\s+function\s+pure\s+\{city: string, days\?: integer\}\s+Current weather/,
    );
    expect(listed.stdout).toMatch(
      /helper\s+everything\.get-sum\s+mcp:everything\s+\S+\s+\{a: number, b: number\}/,
    );
    expect(listed.stdout).toMatch(/helper\s+everything\.echo\s+mcp:everything/);
    expect(listed.stdout).not.toContain('everything.get-env'); // not included
    expect(listed.stderr).toMatch(/^warning: agent 'helper': MCP server 'broken' is unavailable: .*/m);
  });

  it('--json gives the whole schemas; a missing agent or file says what there is', async () => {
    const json = await spawnCli(['tools', 'list', FIXTURE, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      tools: { tool: string; inputSchema: unknown }[];
      unavailable: string[];
    };
    expect(parsed.tools.find((tool) => tool.tool === 'everything.get-sum')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
    });
    expect(parsed.unavailable).toHaveLength(1);

    const missing = await spawnCli(['tools', 'list', FIXTURE, '--agent', 'nobody']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(
      "error: test/cli/fixtures/mcp-agent.ts exports no agent named 'nobody'. Agents: 'helper'.\n",
    );
  });
});
