import { CairnError } from '../core/errors.js';
import type { OperationEvent } from '../core/journal-event.js';
import { crashPoint } from './crash-points.js';
import { Operation } from './operation.js';
import type { OperationHost } from './operation-host.js';
import type { CompletionEvent } from './replay-history.js';

/**
 * `ctx.waitForSignal`: takes the oldest matching signal from the run's inbox. A signal counts as
 * received once `signal.received` is committed; until then it stays in the inbox, so a crash in between
 * loses nothing. The deadline of a timeout is recorded with the first wait.
 */
export class SignalOperation extends Operation {
  readonly kind = 'signal';

  constructor(
    position: number,
    name: string,
    private readonly host: OperationHost,
    private readonly timeoutMs: number | undefined,
    private readonly fallback: { readonly value: unknown } | undefined,
  ) {
    super(position, name);
  }

  async replay(event: CompletionEvent): Promise<void> {
    if (event.kind === 'signal.received') this.resolve(await this.host.decode(event.payload));
    else if (event.kind === 'signal.timed_out') this.timedOut();
  }

  async live(recorded: readonly OperationEvent[]): Promise<void> {
    const waiting = recorded.find((event) => event.kind === 'signal.waiting');
    let deadline = waiting?.deadline;
    if (waiting === undefined) {
      deadline = this.timeoutMs === undefined ? undefined : this.host.now() + this.timeoutMs;
      await this.host.journal.append([
        { kind: 'signal.waiting', position: this.position, name: this.name, deadline },
      ]);
    }
    if (await this.receive()) return;
    if (deadline !== undefined && this.host.now() >= deadline) return this.timeout();
    this.host.wait(this, { wakeAt: deadline }, deadline === undefined ? undefined : () => this.timeout());
  }

  /** Receives the oldest matching signal in the inbox, if there is one. */
  private async receive(): Promise<boolean> {
    const signal = await this.host.takeSignal(this.name);
    if (signal === undefined) return false;
    crashPoint('during-signal', this.name);
    const payload = await this.host.decode(signal.payload);
    const { signalId } = signal;
    const event = {
      kind: 'signal.received' as const,
      position: this.position,
      name: this.name,
      signalId,
      payload: signal.payload,
    };
    await this.host.settle([event], [], () => this.resolve(payload));
    return true;
  }

  /** The deadline passed; a signal that arrived meanwhile still wins. */
  private async timeout(): Promise<void> {
    if (await this.receive()) return;
    const event = { kind: 'signal.timed_out' as const, position: this.position, name: this.name };
    await this.host.settle([event], [], () => this.timedOut());
  }

  private timedOut(): void {
    if (this.fallback !== undefined) this.resolve(this.fallback.value);
    else
      this.reject(
        new CairnError('signal_timeout', `No signal '${this.name}' arrived before the timeout.`, {
          details: { signal: this.name, position: this.position },
        }),
      );
  }
}
