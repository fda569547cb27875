/** How a session ended without being closed: its process died, or its HTTP connection broke. */
export interface ServerLoss {
  /** What happened, as a clause after the server's name: "exited with code 1", "lost its HTTP connection (...)". */
  readonly description: string;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  /** The last lines of the process's stderr (stdio servers). */
  readonly stderrTail?: string;
  /** The error that revealed the loss (HTTP). */
  readonly cause?: Error;
}

/** The message of an error and of its cause (undici hides "ECONNREFUSED" in the cause of "fetch failed"). */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
