import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

interface Booking {
  readonly key: string;
  readonly id: string;
}

/**
 * The demo's "outside world": a booking system that keeps its bookings in a JSON file, by idempotency
 * key. Booking twice with the same key books twice (like most real APIs), which is what the demo
 * shows Cairn never lets happen.
 */
export class BookingLedger {
  constructor(private readonly path: string) {}

  /** The booking system's file sits next to the store's. */
  static besideStore(store: string): BookingLedger {
    const path = store.replace(/^sqlite:/, '').split('?')[0] || '.cairn/cairn.db';
    return new BookingLedger(join(dirname(resolve(path)), 'demo-bookings.json'));
  }

  book(key: string): string {
    const bookings = this.read();
    const id = `TRIP-${1000 + bookings.length + 1}`;
    bookings.push({ key, id });
    // Write then rename: the file is never half-written, even if the process is killed right now.
    writeFileSync(`${this.path}.tmp`, JSON.stringify(bookings, null, 2));
    renameSync(`${this.path}.tmp`, this.path);
    return id;
  }

  /** The booking made with this key, if any: what a step's reconcile() asks after a crash. */
  find(key: string): string | undefined {
    return this.read().find((booking) => booking.key === key)?.id;
  }

  /** How many bookings were made with keys that start so (a run's keys start with its tenant and id). */
  count(keyPrefix: string): number {
    return this.read().filter((booking) => booking.key.startsWith(keyPrefix)).length;
  }

  private read(): Booking[] {
    return existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Booking[]) : [];
  }
}
