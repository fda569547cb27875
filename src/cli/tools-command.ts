import type { Command } from 'commander';
import { type Agent, isAgent } from '../agent/define-agent.js';
import { CairnError } from '../core/errors.js';
import { closeMcpServers, listMcpTools, mcpTool } from '../tools/mcp-tools.js';
import { type CliIo, printJson } from './cli-io.js';
import { formatTable } from './format-table.js';
import { loadWorkflows } from './load-workflows.js';
import { schemaSummary } from './schema-summary.js';

/** One tool an agent can see, as `cairn tools list` shows it. */
interface ListedTool {
  readonly agent: string;
  readonly tool: string;
  readonly source: string;
  readonly effect: string;
  readonly description: string;
  readonly inputSchema: unknown;
}

/**
 * `cairn tools list <file>`: every tool each agent the file exports can see (its own, its sub-agents,
 * and those its MCP servers list now, for which it starts or reaches the servers), with where each
 * comes from, its effect and its arguments.
 */
export function registerToolsCommand(program: Command, io: CliIo): void {
  const tools = program.command('tools').description("inspect agents' tools");
  tools
    .command('list')
    .description('list the tools the agents a file exports can see, with their source and arguments schema')
    .argument('<file>', 'a .ts, .mts, .js or .mjs file exporting agents')
    .option('--agent <name>', 'only this agent')
    .option('--json', 'print the tools with their whole JSON Schemas')
    .action(async (file: string, options: { agent?: string; json?: boolean }) => {
      const agents = (await loadWorkflows(file)).filter(isAgent);
      const chosen =
        options.agent === undefined ? agents : agents.filter((agent) => agent.name === options.agent);
      if (chosen.length === 0) {
        const names = agents.map((agent) => `'${agent.name}'`).join(', ') || 'none';
        throw new CairnError(
          'workflow_not_found',
          options.agent === undefined
            ? `${file} exports no agent (made with defineAgent()).`
            : `${file} exports no agent named '${options.agent}'. Agents: ${names}.`,
        );
      }
      const listed: ListedTool[] = [];
      const unavailable: string[] = [];
      for (const agent of chosen) {
        const found = await toolsOf(agent);
        listed.push(...found.tools);
        unavailable.push(...found.unavailable);
      }
      if (options.json) printJson(io, { tools: listed, unavailable });
      else {
        for (const line of formatTable(
          ['AGENT', 'TOOL', 'SOURCE', 'EFFECT', 'ARGUMENTS', 'DESCRIPTION'],
          listed.map((tool) => [
            tool.agent,
            tool.tool,
            tool.source,
            tool.effect,
            schemaSummary(tool.inputSchema),
            firstSentence(tool.description),
          ]),
        ))
          io.out(line);
        for (const problem of unavailable) io.err(`warning: ${problem}`);
      }
    });
}

async function toolsOf(agent: Agent): Promise<{ tools: ListedTool[]; unavailable: string[] }> {
  const own = (agent.definition.tools ?? []).map((tool) => ({
    agent: agent.name,
    tool: tool.name,
    source: tool.source,
    effect: tool.kind === 'agent' ? 'child run' : tool.effect,
    description: tool.description,
    inputSchema: tool.input.jsonSchema,
  }));
  const servers = agent.definition.mcp;
  if (servers === undefined) return { tools: own, unavailable: [] };
  try {
    const listing = await listMcpTools(servers);
    const fromServers = listing.tools.map((listed) => {
      const tool = mcpTool(listed, servers[listed.server]!);
      return {
        agent: agent.name,
        tool: tool.name,
        source: tool.source,
        effect: tool.effect,
        description: tool.description,
        inputSchema: listed.inputSchema,
      };
    });
    const unavailable = listing.unavailable.map(
      ({ server, error }) => `agent '${agent.name}': MCP server '${server}' is unavailable: ${error}`,
    );
    return { tools: [...own, ...fromServers], unavailable };
  } finally {
    await closeMcpServers(servers);
  }
}

function firstSentence(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
