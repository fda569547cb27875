/**
 * A tool's arguments in one line, from its JSON Schema: `{city: string, days?: integer}`. Nested objects
 * are summarized the same way, arrays as `type[]`, enums as `'a' | 'b'`.
 */
export function schemaSummary(schema: unknown, depth = 0): string {
  const node = (schema ?? {}) as {
    type?: string | string[];
    properties?: Record<string, unknown>;
    required?: string[];
    items?: unknown;
    enum?: unknown[];
    anyOf?: unknown[];
    oneOf?: unknown[];
  };
  if (Array.isArray(node.enum))
    return node.enum.map((value) => JSON.stringify(value).replaceAll('"', "'")).join(' | ');
  const alternatives = node.anyOf ?? node.oneOf;
  if (Array.isArray(alternatives))
    return alternatives.map((alternative) => schemaSummary(alternative, depth)).join(' | ');
  const type = Array.isArray(node.type) ? node.type.join(' | ') : node.type;
  if (type === 'array') return `${schemaSummary(node.items, depth + 1)}[]`;
  if (type === 'object' || node.properties !== undefined) {
    if (depth > 2) return 'object';
    const required = new Set(node.required ?? []);
    const fields = Object.entries(node.properties ?? {}).map(
      ([name, field]) => `${name}${required.has(name) ? '' : '?'}: ${schemaSummary(field, depth + 1)}`,
    );
    return `{${fields.join(', ')}}`;
  }
  return type ?? 'any';
}
