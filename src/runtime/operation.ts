import type { OperationEvent } from '../core/journal-event.js';
import type { CompletionEvent, OperationKind } from './replay-history.js';

/**
 * One call a workflow made through its context (a step, a sleep, a signal wait, a child run), known by
 * its position: the order of the call. An operation settles either from the journal (replay) or by
 * doing its work (live). Its promise is what the workflow awaits; it is never rejected for Cairn's own
 * reasons (a lost lease, a shutdown): those leave it pending and the workflow is abandoned.
 */
export abstract class Operation {
  abstract readonly kind: OperationKind;
  readonly promise: Promise<unknown>;
  private resolveFn!: (value: unknown) => void;
  private rejectFn!: (error: unknown) => void;
  private done = false;

  constructor(
    readonly position: number,
    readonly name: string,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    // The workflow may never await this promise (a lost race); do not report it as unhandled.
    this.promise.catch(() => undefined);
  }

  get settled(): boolean {
    return this.done;
  }

  resolve(value: unknown): void {
    if (this.done) return;
    this.done = true;
    this.resolveFn(value);
  }

  reject(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.rejectFn(error);
  }

  /** Settles from a completion event recorded in the journal. */
  abstract replay(event: CompletionEvent): Promise<void>;

  /**
   * Does the operation's work now, continuing from what the journal recorded of it (`recorded`), and
   * returns once it has settled or is registered as waiting.
   */
  abstract live(recorded: readonly OperationEvent[]): Promise<void>;
}
