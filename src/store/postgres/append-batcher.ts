import type { AppendRequest, AppendResult } from '../../core/store.js';

interface Pending {
  readonly request: AppendRequest;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface AppendSender {
  one(request: AppendRequest): Promise<AppendResult>;
  many(requests: readonly AppendRequest[]): Promise<(AppendResult | Error)[]>;
}

/** PostgreSQL's code for a transaction chosen as a deadlock victim. */
const DEADLOCK_DETECTED = '40P01';

/**
 * Group commit for journal appends. An append goes out at once when fewer than `maxInFlight` are on
 * their way; otherwise it waits, and the appends that gathered meanwhile (of different runs: a run
 * has one append in flight at most) go out together as one transaction when a slot frees. A lone
 * run pays nothing for it; many runs at once pay one round trip and one commit per batch instead of
 * per append.
 */
export class AppendBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly sender: AppendSender,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 64,
  ) {}

  submit(request: AppendRequest): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: readonly Pending[]): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, () => this.sender.one(batch[0]!.request));
    let results: (AppendResult | Error)[];
    try {
      results = await this.sender.many(batch.map((pending) => pending.request));
    } catch (error) {
      // A deadlock with another worker's batch (a child's completion waking a parent in it) undoes the
      // whole batch: send each append on its own instead. Anything else fails them all, as it would
      // have failed each.
      if ((error as { code?: unknown }).code === DEADLOCK_DETECTED) {
        await Promise.all(batch.map((pending) => settle(pending, () => this.sender.one(pending.request))));
      } else {
        for (const pending of batch) pending.reject(error);
      }
      return;
    }
    batch.forEach((pending, index) => {
      const result = results[index]!;
      if (result instanceof Error) pending.reject(result);
      else pending.resolve(result);
    });
  }
}

async function settle(pending: Pending, append: () => Promise<AppendResult>): Promise<void> {
  try {
    pending.resolve(await append());
  } catch (error) {
    pending.reject(error);
  }
}
