/**
 * Named places where a test can make this process die with SIGKILL, to prove recovery from each crash
 * window. Armed through the environment, read once at load:
 *
 *   CAIRN_CRASH_AT=<point>[:<label>][@<n>]
 *
 * `<label>` narrows it to one step, timer or signal name; `@<n>` fires on the n-th match (default 1).
 * Unarmed, a crash point costs one comparison.
 */
export type CrashPoint =
  /** A step is about to record its intent. */
  | 'before-intent'
  /** A step's intent is recorded; its function has not run. */
  | 'after-intent'
  /** A step's function has returned; its result is not recorded. */
  | 'after-effect'
  /**
   * A step's result has just been committed (for a side effect, before the workflow sees it; for a
   * step that may run again, when the run's next write carries it).
   */
  | 'after-result'
  /** A timer is recorded and the run is about to wait on it. */
  | 'during-timer'
  /** A signal was taken from the inbox; its receipt is not recorded. */
  | 'during-signal';

interface Armed {
  readonly point: string;
  readonly label: string | undefined;
  remaining: number;
}

const armed = parse(process.env.CAIRN_CRASH_AT);

function parse(spec: string | undefined): Armed | undefined {
  if (spec === undefined || spec === '') return undefined;
  const match = /^([a-z-]+)(?::([^@]+))?(?:@(\d+))?$/.exec(spec);
  if (match === null) throw new Error(`CAIRN_CRASH_AT=${spec} is not <point>[:<label>][@<n>]`);
  return { point: match[1]!, label: match[2], remaining: Number(match[3] ?? 1) };
}

/** Kills this process with SIGKILL if the armed crash point matches. */
export function crashPoint(point: CrashPoint, label: string): void {
  if (armed === undefined || armed.point !== point) return;
  if (armed.label !== undefined && armed.label !== label) return;
  armed.remaining -= 1;
  if (armed.remaining === 0) process.kill(process.pid, 'SIGKILL');
}
