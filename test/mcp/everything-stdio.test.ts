import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnection } from '../../src/mcp/mcp-connection.js';
import { isMcpError } from '../../src/mcp/mcp-error.js';
import type { McpProgress } from '../../src/mcp/mcp-tool.js';
import { everythingServer, isAlive, rejectionOf } from './mcp-servers.js';

/** The reference "everything" server over stdio, one connection for the file (the handshake is ~300 ms). */
describe('an MCP connection to the everything server over stdio', () => {
  let everything: McpConnection;
  beforeAll(async () => {
    everything = await McpConnection.connect('everything', everythingServer());
  });
  afterAll(() => everything.close());

  it('lists its tools with their JSON Schemas and annotations', async () => {
    const tools = await everything.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image', 'trigger-long-running-operation']),
    );
    const sum = tools.find((tool) => tool.name === 'get-sum');
    expect(sum).toMatchObject({
      description: 'Returns the sum of two numbers',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
    });
  });

  it('leaves out the tools that only run as MCP tasks, which a plain tools/call cannot reach', async () => {
    const names = (await everything.listTools()).map((tool) => tool.name);
    expect(names).not.toContain('simulate-research-query');
    const error = await rejectionOf(
      everything.callTool('simulate-research-query', { topic: 'x' }, { timeoutMs: 2_000 }),
    );
    expect(isMcpError(error, 'mcp_call_failed')).toBe(true);
    expect(error.message).toContain('requires task-based execution');
    expect(error.details).toMatchObject({
      server: 'everything',
      tool: 'simulate-research-query',
      retryable: false,
    });
  });

  it('calls a tool and returns the raw MCP result', async () => {
    const echo = await everything.callTool('echo', { message: 'hello' }, { timeoutMs: 2_000 });
    expect(echo).toEqual({ content: [{ type: 'text', text: 'Echo: hello' }] });
    const sum = await everything.callTool('get-sum', { a: 2, b: 40 }, { timeoutMs: 2_000 });
    expect(sum.content).toEqual([{ type: 'text', text: 'The sum of 2 and 40 is 42.' }]);
  });

  it('gets bad arguments back as an isError result naming what is wrong (McpServer does not raise a protocol error)', async () => {
    const result = await everything.callTool('get-sum', { a: 'two' }, { timeoutMs: 2_000 });
    expect(result.isError).toBe(true);
    const text = (result.content[0] as { text: string }).text;
    expect(text).toContain('Input validation error: Invalid arguments for tool get-sum');
    expect(text).toContain('expected number, received string at a');
    expect(text).toContain('received undefined at b');
  });

  it('gets an unknown tool back as an isError result too', async () => {
    const result = await everything.callTool('no-such-tool', {}, { timeoutMs: 2_000 });
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'MCP error -32602: Tool no-such-tool not found' }],
    });
  });

  it('returns image content blocks as sent', async () => {
    const result = await everything.callTool('get-tiny-image', {}, { timeoutMs: 2_000 });
    expect(result.content.map((block) => block.type)).toEqual(['text', 'image', 'text']);
    const image = result.content[1] as { data: string; mimeType: string };
    expect(image.mimeType).toBe('image/png');
    expect(Buffer.from(image.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('keeps a long call alive past its timeout while the server reports progress', async () => {
    const reports: McpProgress[] = [];
    const started = Date.now();
    // 1.2 s of work reporting every 200 ms, with a 500 ms timeout: each report restarts the clock.
    const result = await everything.callTool(
      'trigger-long-running-operation',
      { duration: 1.2, steps: 6 },
      { timeoutMs: 500, onProgress: (progress) => reports.push(progress) },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
    expect(result.content).toEqual([
      { type: 'text', text: 'Long running operation completed. Duration: 1.2 seconds, Steps: 6.' },
    ]);
    // The last report can be lost: it arrives with the result, and the SDK handles notifications a
    // tick later than responses, when the call is already settled.
    expect(reports.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((progress) => ({ progress, total: 6 })));
  });

  it('times out with mcp_timeout when no answer or progress comes within timeoutMs', async () => {
    const started = Date.now();
    // One step of 0.6 s: its only progress report comes with the answer, after the 250 ms timeout.
    const error = await rejectionOf(
      everything.callTool('trigger-long-running-operation', { duration: 0.6, steps: 1 }, { timeoutMs: 250 }),
    );
    // It rejected, so it did not wait for the answer; and not before its 250 ms were up.
    expect(Date.now() - started).toBeGreaterThanOrEqual(245);
    expect(isMcpError(error, 'mcp_timeout')).toBe(true);
    expect(error.message).toBe(
      "MCP server 'everything' did not answer tool 'trigger-long-running-operation' within 250 ms (each progress report it sends restarts this clock).",
    );
    expect(error.details).toEqual({
      server: 'everything',
      tool: 'trigger-long-running-operation',
      timeoutMs: 250,
      retryable: true,
    });
  });

  it('stops a call that keeps reporting progress at maxTotalMs', async () => {
    const error = await rejectionOf(
      everything.callTool(
        'trigger-long-running-operation',
        { duration: 2, steps: 20 },
        { timeoutMs: 1_000, maxTotalMs: 400 },
      ),
    );
    expect(isMcpError(error, 'mcp_timeout')).toBe(true);
    expect(error.message).toContain(
      "did not finish tool 'trigger-long-running-operation' within its overall limit of 400 ms",
    );
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the run was cancelled')), 100);
    const error = await rejectionOf(
      everything.callTool(
        'trigger-long-running-operation',
        { duration: 2, steps: 2 },
        { timeoutMs: 5_000, signal: controller.signal },
      ),
    );
    expect(error.message).toBe('the run was cancelled');
  });

  it('refuses a timeout that is not a positive number of milliseconds', async () => {
    const error = await rejectionOf(everything.callTool('echo', { message: 'x' }, { timeoutMs: 0 }));
    expect(error).toMatchObject({ code: 'invalid_argument' });
    expect(error.message).toContain("'timeoutMs' must be a number of milliseconds above 0");
  });

  it("spawns a server with a small safe environment plus its config's env, not the whole of Cairn's", async () => {
    process.env.CAIRN_TEST_SECRET = 'must-not-leak';
    const withEnv = await McpConnection.connect('env', everythingServer({ env: { CAIRN_PROBE: 'yes' } }));
    try {
      const result = await withEnv.callTool('get-env', {}, { timeoutMs: 2_000 });
      const env = JSON.parse((result.content[0] as { text: string }).text) as Record<string, string>;
      expect(env.CAIRN_PROBE).toBe('yes');
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.CAIRN_TEST_SECRET).toBeUndefined();
    } finally {
      delete process.env.CAIRN_TEST_SECRET;
      await withEnv.close();
    }
  });

  // Last in the file: it kills the shared server (the connection then starts a new one).
  it('fails a call at once with mcp_server_exited when the server dies mid-call, and restarts it for the next call', async () => {
    const firstPid = everything.pid!;
    setTimeout(() => process.kill(firstPid, 'SIGKILL'), 200);
    const started = Date.now();
    const error = await rejectionOf(
      everything.callTool(
        'trigger-long-running-operation',
        { duration: 10, steps: 2 },
        { timeoutMs: 20_000 },
      ),
    );
    expect(Date.now() - started).toBeLessThan(3_000); // not the 10 s the call would take
    expect(isMcpError(error, 'mcp_server_exited')).toBe(true);
    expect(error.message).toContain(
      "MCP server 'everything' was killed by SIGKILL while running tool 'trigger-long-running-operation'.",
    );
    expect(error.message).toContain('Starting default (STDIO) server...'); // the tail of its stderr
    expect(error.details).toMatchObject({
      server: 'everything',
      retryable: true,
      exitCode: null,
      signal: 'SIGKILL',
    });

    const echo = await everything.callTool('echo', { message: 'again' }, { timeoutMs: 5_000 });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: again' }]);
    expect(everything.pid).not.toBe(firstPid);
    expect(isAlive(everything.pid!)).toBe(true);
  });
});
