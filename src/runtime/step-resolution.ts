import { z } from 'zod';
import { CairnError } from '../core/errors.js';

/**
 * The inbox name of a person's answer to a step left in doubt. The `$` keeps it apart from user
 * signal names, which cannot contain one.
 */
export const RESOLVE_SIGNAL = '$cairn.resolve';

/** How a person settles a side-effect step whose outcome a crash left unknown. */
export type StepResolution =
  /** The effect did not happen (or may safely happen again): run the step again. */
  | { readonly action: 'retry'; readonly position?: number | undefined }
  /** The effect happened: record this as the step's result without running it. */
  | { readonly action: 'complete'; readonly result?: unknown; readonly position?: number | undefined }
  /** Fail the step with this message; the workflow sees the failure. */
  | {
      readonly action: 'fail';
      readonly message?: string | undefined;
      readonly position?: number | undefined;
    }
  /** Give up on the step without knowing what happened: it fails with the code `skipped`. */
  | { readonly action: 'skip'; readonly position?: number | undefined };

const resolutionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('retry'), position: z.number().int().nonnegative().optional() }),
  z.object({
    action: z.literal('complete'),
    result: z.unknown(),
    position: z.number().int().nonnegative().optional(),
  }),
  z.object({
    action: z.literal('fail'),
    message: z.string().optional(),
    position: z.number().int().nonnegative().optional(),
  }),
  z.object({ action: z.literal('skip'), position: z.number().int().nonnegative().optional() }),
]);

export function parseResolution(value: unknown): StepResolution {
  const parsed = resolutionSchema.safeParse(value);
  if (!parsed.success) {
    throw new CairnError(
      'invalid_argument',
      `A step resolution must be { action: 'retry' | 'complete' | 'fail' | 'skip', position?, result?, message? }: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
