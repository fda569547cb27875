/**
 * Ends a command with an exit code and, when there is one, a one-line `error: <message>`. For outcomes
 * that are not faults of the command itself, such as `cairn run` on a run that failed: its story was
 * already told on stdout, and scripts only need the exit code and a line on stderr.
 */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
