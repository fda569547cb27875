/** The signals that ask a worker to drain: SIGTERM (Kubernetes, `docker stop`), SIGINT (Ctrl-C). */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

/** Listens for a request to shut down, from the moment it is created. */
export interface ShutdownRequest {
  /** Resolves with the first shutdown signal the process receives. */
  readonly received: Promise<ShutdownSignal>;
  /** Stops listening: the signals' default action (ending the process) applies again. */
  dispose(): void;
}

/**
 * Catches SIGTERM and SIGINT, so that the first one drains the worker instead of killing it. A second
 * one while draining calls `onRepeat` (someone pressed Ctrl-C again and does not want to wait).
 */
export function listenForShutdown(onRepeat: (signal: ShutdownSignal) => void): ShutdownRequest {
  let first: ((signal: ShutdownSignal) => void) | undefined;
  const received = new Promise<ShutdownSignal>((resolve) => {
    first = resolve;
  });
  let seen = false;
  const handler = (signal: ShutdownSignal): void => {
    if (seen) {
      onRepeat(signal);
      return;
    }
    seen = true;
    first?.(signal);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handler);
  return {
    received,
    dispose: () => {
      for (const signal of SHUTDOWN_SIGNALS) process.off(signal, handler);
    },
  };
}
