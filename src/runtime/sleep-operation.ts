import type { OperationEvent } from '../core/journal-event.js';
import { crashPoint } from './crash-points.js';
import { Operation } from './operation.js';
import type { OperationHost } from './operation-host.js';

/** When a timer is due: some time after it is first set (`ctx.sleep`), or at a given time. */
export type TimerDue = { readonly afterMs: number } | { readonly at: number };

/** `ctx.sleep`: a timer whose wake time is recorded when first set, so replay and restarts keep it. */
export class SleepOperation extends Operation {
  readonly kind = 'sleep';

  constructor(
    position: number,
    name: string,
    private readonly host: OperationHost,
    private readonly due: TimerDue,
  ) {
    super(position, name);
  }

  async replay(): Promise<void> {
    this.resolve(undefined);
  }

  async live(recorded: readonly OperationEvent[]): Promise<void> {
    const set = recorded.find((event) => event.kind === 'timer.set');
    let wakeAt = set?.wakeAt;
    if (wakeAt === undefined) {
      wakeAt = 'at' in this.due ? this.due.at : this.host.now() + this.due.afterMs;
      await this.host.journal.append([
        { kind: 'timer.set', position: this.position, name: this.name, wakeAt },
      ]);
      crashPoint('during-timer', this.name);
    }
    if (this.host.now() >= wakeAt) return this.fire();
    this.host.wait(this, { wakeAt }, () => this.fire());
  }

  private fire(): Promise<void> {
    const event = { kind: 'timer.fired' as const, position: this.position, name: this.name };
    return this.host.settle([event], [], () => this.resolve(undefined));
  }
}
