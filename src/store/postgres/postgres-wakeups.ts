import pg from 'pg';

/**
 * LISTEN on the schema's wake channel with a connection of its own, and tell subscribers whenever a
 * run becomes claimable somewhere (a signal, a cancel, a finished child, a released lease). A lost
 * connection is re-established with backoff; meanwhile workers fall back to polling.
 */
export class PostgresWakeups {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryMs = 100;

  constructor(
    private readonly url: string,
    readonly channel: string,
  ) {}

  async subscribe(listener: () => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    await this.connect();
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    if (this.client !== undefined || this.closed) return Promise.resolve();
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => {
      for (const listener of this.listeners) listener();
    });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      this.client = client;
      this.retryMs = 100;
      // Something may have become claimable while nobody listened.
      for (const listener of this.listeners) listener();
    } catch {
      await client.end().catch(() => undefined);
      this.scheduleRetry();
    }
  }

  private reconnect(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.listeners.size === 0) return;
    const timer = setTimeout(() => void this.connect(), this.retryMs);
    timer.unref();
    this.retryMs = Math.min(5_000, this.retryMs * 2);
  }
}
