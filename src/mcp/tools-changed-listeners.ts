import type { McpToolInfo } from './mcp-tool.js';

/** Why the tool list may have changed: the server announced it, or the server was restarted. */
export type ToolsChangeCause = 'announced' | 'restarted';

type Listener = (tools: readonly McpToolInfo[]) => void;

/**
 * The listeners of one connection's tool list, and the re-listing that feeds them. A change the server
 * announces is always passed on; after a restart, only a list that differs from the last one seen.
 * Announcements that arrive during a re-listing make one more re-listing, not one each.
 */
export class ToolsChangedListeners {
  private readonly listeners = new Set<Listener>();
  private relisting: Promise<void> | undefined;
  private pending: ToolsChangeCause | undefined;
  private lastSeen: string | undefined;

  constructor(private readonly list: () => Promise<McpToolInfo[]>) {}

  /** Adds a listener; returns the function that removes it. */
  add(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  clear(): void {
    this.listeners.clear();
    this.pending = undefined;
  }

  /** Records a listing made for any reason, so that a restart compares against it. */
  seen(tools: readonly McpToolInfo[]): void {
    this.lastSeen = JSON.stringify(tools);
  }

  /** The list may have changed: re-list and tell the listeners (nothing happens without listeners). */
  changed(cause: ToolsChangeCause): void {
    if (this.listeners.size === 0) return;
    this.pending = cause === 'announced' || this.pending === 'announced' ? 'announced' : 'restarted';
    this.relisting ??= this.relist().finally(() => {
      this.relisting = undefined;
    });
  }

  private async relist(): Promise<void> {
    while (this.pending !== undefined && this.listeners.size > 0) {
      const cause = this.pending;
      const before = this.lastSeen;
      this.pending = undefined;
      let tools: McpToolInfo[];
      try {
        tools = await this.list();
      } catch {
        continue; // the server is gone or slow: the next announcement (or restart) lists again
      }
      if (this.pending === 'announced') continue; // outdated already: list again before telling anyone
      if (cause === 'restarted' && JSON.stringify(tools) === before) continue;
      for (const listener of [...this.listeners]) {
        try {
          listener(tools);
        } catch {
          // One listener's bug must not keep the others from hearing of the change.
        }
      }
    }
  }
}
