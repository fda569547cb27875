import { CairnError } from '../core/errors.js';

/**
 * An error a tool throws to say what went wrong in terms the model can act on: a `code`, and whether
 * trying again may help. Retryable errors are retried with backoff (the tool's `retry` policy) before
 * the model sees them; any other error goes back to the model at once.
 * @example throw new ToolError('The city is unknown', { code: 'unknown_city' });
 * @example throw new ToolError('The weather service is busy', { code: 'busy', retryable: true });
 */
export class ToolError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, options: { code?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.code = options.code ?? 'tool_error';
    this.retryable = options.retryable === true;
  }
}

/**
 * The code and retryability of whatever a tool threw: ToolError and Cairn's own errors say, as does
 * any error with `code` and `retryable` fields; others are not retryable.
 */
export function classifyToolError(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof ToolError)
    return { code: error.code, message: error.message, retryable: error.retryable };
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof CairnError) {
    const retryable = (error.details as { retryable?: unknown } | undefined)?.retryable === true;
    return { code: error.code, message, retryable };
  }
  // Anything else that says (an error rebuilt from the journal keeps the code and retryable it had).
  const described = error as { code?: unknown; retryable?: unknown } | null;
  return {
    code: typeof described?.code === 'string' ? described.code : 'tool_failed',
    message,
    retryable: described?.retryable === true,
  };
}
