import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isCairnError } from '../../src/core/errors.js';
import { defineTool } from '../../src/tools/tool.js';
import { toolInput } from '../../src/tools/tool-input.js';

describe('tool arguments', () => {
  it('checks arguments against a zod schema, naming each bad field', () => {
    const input = toolInput(z.object({ city: z.string(), days: z.number().int().max(14) }), 'Tool t');
    expect(input.jsonSchema).toMatchObject({ type: 'object', required: ['city', 'days'] });
    expect(input.check({ city: 'Oslo', days: 3 })).toEqual({ ok: true, value: { city: 'Oslo', days: 3 } });
    const bad = input.check({ days: 30 });
    expect(bad).toMatchObject({ ok: false, fields: ['city', 'days'] });
    expect(bad.ok === false && bad.message).toMatch(
      /^The arguments do not match the tool's schema\. city: .*; days: .*14/,
    );
  });

  it('checks arguments against a JSON Schema (tools described elsewhere), naming each bad field', () => {
    const input = toolInput(
      {
        type: 'object',
        properties: {
          path: { type: 'string', minLength: 1 },
          mode: { enum: ['read', 'write'] },
          when: { type: 'string', format: 'date-time' },
        },
        required: ['path'],
        additionalProperties: false,
      },
      'Tool files',
    );
    expect(input.check({ path: '/a', mode: 'read' })).toEqual({
      ok: true,
      value: { path: '/a', mode: 'read' },
    });
    const bad = input.check({ mode: 'delete', when: 'yesterday', extra: 1 });
    expect(bad).toMatchObject({ ok: false });
    if (bad.ok) return;
    expect(bad.fields).toEqual(expect.arrayContaining(['path', 'mode', 'when', 'extra']));
    expect(bad.message).toContain('path: required');
    expect(bad.message).toContain('extra: not a known field');
    expect(bad.message).toMatch(/when: must match format "date-time"/);
  });

  it('refuses a schema that is not an object schema, or does not compile, saying which tool', () => {
    const refused = (schema: unknown) => {
      try {
        toolInput(schema as never, "Tool 'x'");
        return undefined;
      } catch (error) {
        expect(isCairnError(error, 'invalid_argument')).toBe(true);
        return (error as Error).message;
      }
    };
    expect(refused({ type: 'string' })).toMatch(
      /Tool 'x': the arguments' JSON Schema must be of type 'object'/,
    );
    expect(refused({ type: 'object', properties: { a: { type: 'nonsense' } } })).toMatch(
      /Tool 'x': its JSON Schema does not compile/,
    );
    expect(refused('{}')).toMatch(/Tool 'x': input must be a zod schema or a JSON Schema object/);
  });

  it('defineTool says what is missing', () => {
    const base = { name: 'ok', description: 'Does it', input: z.object({}), execute: () => 1 };
    expect(() => defineTool({ ...base, name: 'has space' })).toThrow(/is not valid|models accept/);
    expect(() => defineTool({ ...base, description: ' ' })).toThrow(
      /description must say what the tool does/,
    );
    expect(() => defineTool({ ...base, execute: undefined as never })).toThrow(/execute must be a function/);
    expect(() => defineTool({ ...base, timeout: '0s' })).toThrow(/timeout must be longer than 0 ms/);
    expect(defineTool({ ...base, timeout: '2s' })).toMatchObject({
      timeoutMs: 2_000,
      effect: 'idempotent',
      source: 'function',
    });
  });
});
