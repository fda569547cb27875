import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defineWorkflow } from '../../src/runtime/workflow.js';
import { tempDir } from '../support/temp-dir.js';
import { testRuntime } from '../support/test-runtime.js';

interface Message {
  readonly role: string;
  readonly content: string;
}

// Reads the SQLite file's tables directly; the PostgreSQL store's layout is covered by its own tests.
describe('payload storage', () => {
  it('stores each message once when every step re-sends the whole growing history', async () => {
    const path = join(tempDir(), 'cairn.db');
    const STEPS = 40;
    const wf = defineWorkflow('resend', async (ctx) => {
      let history: Message[] = [];
      for (let i = 0; i < STEPS; i++) {
        // The step returns the whole history plus one new 1.5 KB message, as a naive agent would.
        history = await ctx.step('turn', () => [
          ...history,
          { role: 'tool', content: `${i}:`.padEnd(1_500, 'x') },
        ]);
      }
      return history.length;
    });
    const rt = await testRuntime([wf], { store: `sqlite:${path}` });
    expect(await (await rt.start(wf, undefined)).result()).toBe(STEPS);

    const db = new Database(path, { readonly: true });
    const blobs = db.prepare('SELECT encoding, size FROM blobs').all() as {
      encoding: string;
      size: number;
    }[];
    db.close();
    const contents = blobs.filter((blob) => blob.encoding === 'text');
    const messages = blobs.filter((blob) => blob.encoding === 'object');
    const lists = blobs.filter((blob) => blob.encoding === 'list');
    // Each message's content stored once, never a second copy; each message is a small object of
    // references to it, and each step adds one list of references to the messages.
    expect(contents).toHaveLength(STEPS);
    expect(messages).toHaveLength(STEPS);
    expect(lists).toHaveLength(STEPS);
    expect(contents.reduce((sum, blob) => sum + blob.size, 0)).toBe(STEPS * 1_500);
    expect(messages.every((blob) => blob.size < 200)).toBe(true);
  });

  it('stores an identical payload once, however many steps produce it', async () => {
    const path = join(tempDir(), 'cairn.db');
    const big = 'same '.repeat(1_000);
    const wf = defineWorkflow('same', async (ctx) => {
      for (let i = 0; i < 10; i++) await ctx.step('fetch', () => big);
    });
    const rt = await testRuntime([wf], { store: `sqlite:${path}` });
    await (await rt.start(wf, undefined)).result();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM blobs').get()).toEqual({ n: 1 });
    db.close();
  });

  it('gives back large values intact on replay', async () => {
    const path = join(tempDir(), 'cairn.db');
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, text: `row ${i} `.repeat(40) }));
    const wf = defineWorkflow('large', async (ctx) => {
      const fetched = await ctx.step('fetch', () => rows);
      await ctx.waitForSignal('go');
      return fetched;
    });
    const first = await testRuntime([wf], { store: `sqlite:${path}` });
    await first.start(wf, undefined, { runId: 'large' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.close();
    const second = await testRuntime([wf], { store: `sqlite:${path}` });
    await second.signal('large', 'go');
    expect(await second.handle('large').result()).toEqual(rows);
  });
});
