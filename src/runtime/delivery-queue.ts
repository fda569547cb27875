import { setImmediate as nextMacrotask } from 'node:timers/promises';

/**
 * Hands results to the workflow one at a time, letting the workflow's code run to its next await
 * (every pending microtask) before the next result. Replay and live execution both deliver through
 * this queue, in journal order, so continuations run in the same order on both, and so the calls they
 * make get the same positions. That is what lets `Promise.all` over steps replay deterministically.
 */
export class DeliveryQueue {
  private readonly queue: (() => void | Promise<void>)[] = [];
  private pumping = false;

  constructor(
    private readonly onError: (error: unknown) => void,
    private readonly onIdle: () => void,
  ) {}

  push(delivery: () => void | Promise<void>): void {
    this.queue.push(delivery);
    if (!this.pumping) void this.pump();
  }

  /** Nothing queued or being delivered (the last continuation may still be running: check after a macrotask). */
  get idle(): boolean {
    return !this.pumping && this.queue.length === 0;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        await nextMacrotask();
        await next();
      }
    } catch (error) {
      this.queue.length = 0;
      this.onError(error);
    } finally {
      this.pumping = false;
    }
    if (this.queue.length > 0) void this.pump();
    else this.onIdle();
  }
}
