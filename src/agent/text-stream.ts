/** Listeners for the text an agent's model is generating, by run: process-local and never journaled. */
const listeners = new Map<string, Set<(delta: string) => void>>();

const keyOf = (tenantId: string, runId: string) => `${tenantId}/${runId}`;

/**
 * Hands `listener` each piece of text the run's model generates, as it comes, while the run executes in
 * this process. Only the final responses are journaled; a replayed response is not streamed again.
 * Returns a function that stops listening.
 */
export function watchText(
  runId: string,
  listener: (delta: string) => void,
  options: { tenant?: string } = {},
): () => void {
  const key = keyOf(options.tenant ?? 'default', runId);
  const set = listeners.get(key) ?? new Set();
  listeners.set(key, set);
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(key);
  };
}

/** The function that streams a run's text to its listeners, or undefined when nobody listens. */
export function textListener(tenantId: string, runId: string): ((delta: string) => void) | undefined {
  const set = listeners.get(keyOf(tenantId, runId));
  if (set === undefined || set.size === 0) return undefined;
  return (delta) => {
    for (const listener of set) listener(delta);
  };
}
