import { InvalidArgumentError } from 'commander';
import { RUN_STATUSES, type RunStatus } from '../core/run.js';

/**
 * Parsers for option and argument values. They throw commander's `InvalidArgumentError`, which
 * commander reports as a usage error naming the option or argument (exit code 2).
 */

/** A JSON value, such as a signal payload or a step result. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(
      `It is not valid JSON (${reason}). Quote strings and keys, e.g. '{"approved":true}' or '"text"'.`,
    );
  }
}

/** A journal position: an integer >= 0, written `3` or `#3`. */
export function parsePosition(text: string): number {
  const digits = text.startsWith('#') ? text.slice(1) : text;
  if (!/^\d+$/.test(digits)) {
    throw new InvalidArgumentError(
      'A position is an integer >= 0 (as shown by `cairn runs show`, e.g. 3 or #3).',
    );
  }
  return Number(digits);
}

/** A positive integer, such as a row limit. */
export function parsePositiveInt(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new InvalidArgumentError('Expected a positive integer.');
  }
  return Number(text);
}

/** A comma-separated list of run statuses. */
export function parseStatuses(text: string): RunStatus[] {
  const statuses = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const unknown = statuses.filter((status) => !(RUN_STATUSES as readonly string[]).includes(status));
  if (statuses.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `${unknown.length > 0 ? `Unknown status ${unknown.map((s) => `'${s}'`).join(', ')}. ` : ''}Use one or more of: ${RUN_STATUSES.join(', ')} (comma-separated).`,
    );
  }
  return statuses as RunStatus[];
}

/** An integer >= 0, such as a time in milliseconds that may be zero. */
export function parseNonNegativeInt(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('Expected an integer >= 0.');
  return Number(text);
}

/** A TCP port to listen on: 1 to 65535, or 0 for any free port. */
export function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new InvalidArgumentError('Expected a port number from 0 to 65535 (0: any free port).');
  }
  return Number(text);
}
