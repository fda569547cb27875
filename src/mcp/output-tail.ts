/**
 * The end of a stream of text (a server's stderr): keeps the last `maxChars` characters written,
 * so that a server that writes forever costs bounded memory and a crash can still quote its last words.
 */
export class OutputTail {
  private text = '';

  constructor(private readonly maxChars = 8_192) {}

  /** Appends a chunk, dropping what falls off the front. */
  write(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.maxChars);
  }

  /** The last `maxLines` non-empty lines, joined by newlines ('' when nothing was written). */
  lines(maxLines = 12): string {
    const lines = this.text.split(/\r?\n/).filter((line) => line.trim() !== '');
    return lines.slice(-maxLines).join('\n');
  }
}
