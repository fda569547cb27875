/** What a tool logs through: lines tagged with the tool, run, tenant and call. */
export interface ToolLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** One log line of a tool. */
export interface ToolLogRecord {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly tool: string;
  readonly runId: string;
  readonly tenantId: string;
  readonly toolCallId: string;
  readonly data?: Record<string, unknown>;
}

/** Where tools' log lines go. Default: one JSON line each on stderr. */
export type ToolLogSink = (record: ToolLogRecord) => void;

const stderrSink: ToolLogSink = (record) => {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), ...record })}\n`);
};

let sink: ToolLogSink = stderrSink;

/** Sends tools' log lines to `next` (for a logging library, or tests); `undefined` restores stderr. */
export function setToolLogSink(next: ToolLogSink | undefined): void {
  sink = next ?? stderrSink;
}

/** A logger for one tool call. */
export function toolLogger(context: Omit<ToolLogRecord, 'level' | 'message' | 'data'>): ToolLogger {
  const log =
    (level: ToolLogRecord['level']) =>
    (message: string, data?: Record<string, unknown>): void =>
      sink({ level, message, ...context, ...(data === undefined ? {} : { data }) });
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
