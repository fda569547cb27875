/**
 * One timer for many wake times: calls `onWake` at the earliest time asked for, then at the next.
 * Used by a worker to come back for its own suspended runs on time, instead of at its next poll.
 */
export class WakeSchedule {
  private readonly times: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: () => number,
    private readonly onWake: () => void,
  ) {}

  at(time: number): void {
    const index = this.times.findIndex((existing) => existing > time);
    this.times.splice(index === -1 ? this.times.length : index, 0, time);
    this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.times.length = 0;
  }

  private arm(): void {
    const next = this.times[0];
    if (next === undefined || next >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - this.clock()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock();
    while (this.times[0] !== undefined && this.times[0] <= now) this.times.shift();
    this.onWake();
    this.arm();
  }
}
