import { describe, expect, it } from 'vitest';
import { toolFailure, toolResultOf } from '../../src/tools/tool-result.js';
import { outputPage, toolResultView } from '../../src/tools/tool-result-view.js';

describe('normalized tool results', () => {
  it('gives strings, objects, nothing and ToolResults one shape', () => {
    expect(toolResultOf('sunny')).toEqual({ content: [{ type: 'text', text: 'sunny' }] });
    expect(toolResultOf({ temp: 3, at: new Date(0) })).toEqual({
      content: [{ type: 'json', value: { temp: 3, at: '1970-01-01T00:00:00.000Z' } }],
    });
    expect(toolResultOf(undefined)).toEqual({ content: [] });
    const result = { content: [{ type: 'text' as const, text: 'x' }] };
    expect(toolResultOf(result)).toBe(result);
  });

  it('reads MCP content blocks: text, images, embedded resources, links, structured content, errors', () => {
    expect(
      toolResultOf({
        content: [
          { type: 'text', text: 'here' },
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
          { type: 'resource', resource: { uri: 'file:///a.txt', text: 'file text' } },
          {
            type: 'resource',
            resource: { uri: 'file:///b.bin', blob: 'AAEC', mimeType: 'application/octet-stream' },
          },
          { type: 'resource_link', uri: 'file:///c', name: 'c' },
        ],
      }),
    ).toEqual({
      content: [
        { type: 'text', text: 'here' },
        { type: 'media', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
        { type: 'text', text: 'file text' },
        { type: 'media', mediaType: 'application/octet-stream', data: 'AAEC', name: 'file:///b.bin' },
        { type: 'json', value: { type: 'resource_link', uri: 'file:///c', name: 'c' } },
      ],
    });
    expect(toolResultOf({ content: [], structuredContent: { sum: 3 } })).toEqual({
      content: [{ type: 'json', value: { sum: 3 } }],
    });
    expect(toolResultOf({ content: [{ type: 'text', text: 'no such file' }], isError: true })).toEqual({
      content: [],
      error: { code: 'tool_error', message: 'no such file', retryable: false },
    });
  });

  it('shows the model a bounded view: small JSON as JSON, long text cut with a way to read on', () => {
    expect(toolResultView(toolResultOf({ a: 1 }), 'c1', 100).output).toEqual({
      type: 'json',
      value: { a: 1 },
    });
    const long = 'x'.repeat(250);
    const view = toolResultView(toolResultOf(long), 'c1', 100);
    expect(view.truncatedText).toBe(long);
    expect(view.output).toEqual({
      type: 'text',
      value: `${'x'.repeat(100)}\n[Cut at 100 of 250 characters. Read on with read_tool_output {"toolCallId": "c1", "offset": 100}.]`,
    });
    expect(outputPage(long, 100, 100)).toMatch(
      /^x{100}\n\[Characters 100 to 200 of 250\. Read on with offset 200\.\]$/,
    );
    expect(outputPage(long, 200, 100)).toMatch(/^x{50}\n\[Characters 200 to 250 of 250: the end\.\]$/);
    expect(outputPage(long, 300, 100)).toBe('[The output has 250 characters; there is nothing after 300.]');
  });

  it('describes media instead of showing it, and errors as { error: { code, message, retryable } }', () => {
    const media = toolResultOf({
      content: [{ type: 'image', data: 'A'.repeat(4_000), mimeType: 'image/png' }],
    });
    expect(toolResultView(media, 'c', 1_000).output).toEqual({
      type: 'text',
      value: "[image/png, 2.9 KB: kept in the run's journal, not shown]",
    });
    const failed = toolFailure({ code: 'busy', message: 'try later', retryable: true });
    expect(toolResultView(failed, 'c', 1_000).output).toEqual({
      type: 'error-json',
      value: { error: { code: 'busy', message: 'try later', retryable: true } },
    });
  });
});
