/** Where the CLI writes: stdout for results, stderr for errors. Swappable so the program can run in-process. */
export interface CliIo {
  /** Writes one line of normal output (a newline is added). */
  out(line?: string): void;
  /** Writes text as is to normal output. */
  write(text: string): void;
  /** Writes text as is to the error stream. */
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (line = '') => {
    process.stdout.write(`${line}\n`);
  },
  write: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
};

/** Prints a value as indented JSON. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
