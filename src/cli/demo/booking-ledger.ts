import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The demo's "outside world": a booking system that keeps its bookings in a JSON file, by idempotency
 * key. Booking twice with the same key books twice (like most real APIs), which is what the demo
 * shows Cairn never lets happen.
 */
export class BookingLedger {
  constructor(private readonly path: string) {}

  book(kind: 'flight' | 'hotel', key: string): string {
    const bookings = this.read();
    const id = `${kind === 'flight' ? 'FL' : 'HT'}-${1000 + bookings.length + 1}`;
    bookings.push({ kind, key, id });
    // Write then rename: the file is never half-written, even if the process is killed right now.
    writeFileSync(`${this.path}.tmp`, JSON.stringify(bookings, null, 2));
    renameSync(`${this.path}.tmp`, this.path);
    return id;
  }

  /** The booking made with this key, if any: what a step's reconcile() asks after a crash. */
  find(key: string): string | undefined {
    return this.read().find((booking) => booking.key === key)?.id;
  }

  count(kind: 'flight' | 'hotel', keyPrefix: string): number {
    return this.read().filter((booking) => booking.kind === kind && booking.key.startsWith(keyPrefix)).length;
  }

  private read(): { kind: string; key: string; id: string }[] {
    return existsSync(this.path)
      ? (JSON.parse(readFileSync(this.path, 'utf8')) as { kind: string; key: string; id: string }[])
      : [];
  }
}
