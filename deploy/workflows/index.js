/**
 * The workflows the worker image runs: replace this file with yours (or change the COPY line of
 * deploy/Dockerfile). Export every workflow and agent the workers should execute; the children and
 * sub-agents they name come along. In the image, `cairn` is the build in /app (the package imports
 * itself by name), so a plain `.js` file needs no dependencies of its own; a `.ts` file works too.
 */
import { defineWorkflow } from 'cairn';

/** A durable step, then a durable timer: the smallest workflow that shows a worker doing its job. */
export const hello = defineWorkflow('hello', async (ctx, input) => {
  const greeting = await ctx.step('greet', () => `Hello, ${input?.name ?? 'world'}!`);
  await ctx.sleep('10ms');
  return { greeting };
});
