import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type ZodType, z } from 'zod';
import { CairnError } from '../core/errors.js';

/** A JSON Schema object, as tools from elsewhere (MCP servers, OpenAPI) describe their arguments. */
export type JsonSchemaObject = { readonly [key: string]: unknown };

/** The result of checking arguments: the parsed value, or what is wrong, field by field. */
export type InputCheck<I> =
  | { readonly ok: true; readonly value: I }
  | { readonly ok: false; readonly message: string; readonly fields: readonly string[] };

/** A tool's arguments schema, however it was given: what the model sees, and the check before a call. */
export interface ToolInput<I> {
  readonly jsonSchema: JsonSchemaObject;
  check(value: unknown): InputCheck<I>;
}

let ajv: Ajv | undefined;
function validator(): Ajv {
  if (ajv === undefined) {
    ajv = new Ajv({ allErrors: true, strict: false });
    (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  }
  return ajv;
}

/** True for a zod schema (anything with `safeParse`). */
export function isZodSchema(schema: unknown): schema is ZodType {
  return typeof (schema as { safeParse?: unknown } | null)?.safeParse === 'function';
}

/**
 * The arguments schema of a tool from a zod schema or a JSON Schema object. A JSON Schema is compiled
 * once (ajv) and must describe an object; `what` names the tool in the errors.
 */
export function toolInput<I>(schema: ZodType<I> | JsonSchemaObject, what: string): ToolInput<I> {
  if (isZodSchema(schema)) return zodInput(schema as ZodType<I>);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new CairnError(
      'invalid_argument',
      `${what}: input must be a zod schema or a JSON Schema object ({ type: 'object', properties: ... }).`,
    );
  }
  let validate: ValidateFunction;
  try {
    validate = validator().compile(schema);
  } catch (error) {
    throw new CairnError(
      'invalid_argument',
      `${what}: its JSON Schema does not compile: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const type = (schema as { type?: unknown }).type;
  if (type !== undefined && type !== 'object') {
    throw new CairnError(
      'invalid_argument',
      `${what}: the arguments' JSON Schema must be of type 'object', not '${String(type)}'.`,
    );
  }
  return {
    jsonSchema: { type: 'object', ...schema },
    check: (value) => {
      if (validate(value)) return { ok: true, value: value as I };
      const issues = (validate.errors ?? []).map(describeAjvError);
      return failure(issues);
    },
  };
}

function zodInput<I>(schema: ZodType<I>): ToolInput<I> {
  return {
    jsonSchema: z.toJSONSchema(schema) as JsonSchemaObject,
    check: (value) => {
      const parsed = schema.safeParse(value);
      if (parsed.success) return { ok: true, value: parsed.data };
      return failure(
        parsed.error.issues.map((issue) => ({
          field: issue.path.length === 0 ? '(arguments)' : issue.path.join('.'),
          message: issue.message,
        })),
      );
    },
  };
}

function describeAjvError(error: ErrorObject): { field: string; message: string } {
  const path = error.instancePath.split('/').filter((part) => part !== '');
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  if (missing !== undefined) path.push(missing);
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  if (extra !== undefined) path.push(extra);
  const message =
    missing !== undefined
      ? 'required'
      : extra !== undefined
        ? 'not a known field'
        : (error.message ?? 'invalid');
  return { field: path.length === 0 ? '(arguments)' : path.join('.'), message };
}

function failure(issues: readonly { field: string; message: string }[]): InputCheck<never> {
  return {
    ok: false,
    message: `The arguments do not match the tool's schema. ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}.`,
    fields: [...new Set(issues.map((issue) => issue.field))],
  };
}
