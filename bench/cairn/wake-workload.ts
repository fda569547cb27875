import { defineWorkflow } from '../../dist/index.js';

/** Waits for the signal `go`, then runs one step that returns when (epoch ms) it started. */
export const wakeWorkflow = defineWorkflow('bench-wake', async (ctx) => {
  await ctx.waitForSignal('go');
  return ctx.step('after-signal', () => Date.now());
});
