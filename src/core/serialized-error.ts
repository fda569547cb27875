import { z } from 'zod';
import { CairnError, type CairnErrorCode } from './errors.js';

/** An error as the journal keeps it: enough to show a person and to rebuild a faithful Error on replay. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string | undefined;
  readonly retryable?: boolean | undefined;
  readonly stack?: string | undefined;
  readonly details?: Record<string, unknown> | undefined;
}

export const serializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  code: z.string().optional(),
  retryable: z.boolean().optional(),
  stack: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const withCode = error as Error & { code?: unknown; retryable?: unknown; details?: unknown };
    return {
      name: error.name,
      message: error.message,
      code: typeof withCode.code === 'string' ? withCode.code : undefined,
      retryable: typeof withCode.retryable === 'boolean' ? withCode.retryable : undefined,
      stack: error.stack,
      details: isPlainRecord(withCode.details) ? withCode.details : undefined,
    };
  }
  return { name: 'NonErrorThrown', message: describeThrown(error) };
}

/** An error rebuilt from the journal. Keeps the original name, message, code and stack. */
export class RecordedError extends Error {
  readonly code: string | undefined;
  readonly retryable: boolean | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(recorded: SerializedError) {
    super(recorded.message);
    this.name = recorded.name;
    this.code = recorded.code;
    this.retryable = recorded.retryable;
    this.details = recorded.details;
    if (recorded.stack !== undefined) this.stack = recorded.stack;
  }
}

/** Rebuilds an error from the journal: a CairnError when it was one, else a RecordedError. */
export function deserializeError(recorded: SerializedError): Error {
  if (recorded.name === 'CairnError' && recorded.code !== undefined) {
    const error = new CairnError(recorded.code as CairnErrorCode, recorded.message, {
      details: recorded.details ?? {},
    });
    if (recorded.stack !== undefined) error.stack = recorded.stack;
    return error;
  }
  return new RecordedError(recorded);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeThrown(value: unknown): string {
  try {
    return `A non-Error value was thrown: ${JSON.stringify(value)}`;
  } catch {
    return `A non-Error value was thrown: ${String(value)}`;
  }
}
