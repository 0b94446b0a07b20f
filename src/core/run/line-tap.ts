// Watches a command's stdout (before masking) for what sets variables: `::set NAME=value` lines,
// the last non-empty line, and author-given regex captures. Only complete lines count; memory is
// bounded by MAX_LINE whatever the command prints. It works on the raw bytes: only the lines it
// needs (the last non-empty one, `::set` lines, every line when there are captures) are decoded,
// so a command printing gigabytes costs it a few native searches per chunk.
import { sanitizeText } from './terminal';

const MAX_LINE = 64 * 1024;
const SET_LINE = /^::set ([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/;
const SET_MARK = Buffer.from('::set ');
const NL = 0x0a;

export interface SetDirective {
  name: string;
  value: string;
}

export class LineTap {
  /** The current unfinished line (its last MAX_LINE bytes). */
  private partial: Buffer = Buffer.alloc(0);
  private last = '';
  readonly sets: SetDirective[] = [];
  /** Per capture regex: its last match (group 1, or the whole match). */
  readonly captured: (string | undefined)[];

  constructor(private readonly captures: readonly RegExp[] = []) {
    this.captured = captures.map(() => undefined);
  }

  push(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const lastNl = buf.lastIndexOf(NL);
    if (lastNl < 0) {
      this.keepPartial(this.partial.length ? Buffer.concat([this.partial, buf]) : Buffer.from(buf));
      return;
    }
    // The line the previous chunks started, then whole lines of this chunk.
    const firstNl = buf.indexOf(NL);
    const first = this.partial.length
      ? Buffer.concat([this.partial, buf.subarray(0, firstNl)])
      : buf.subarray(0, firstNl);
    const rest = buf.subarray(firstNl + 1, lastNl);
    this.keepPartial(Buffer.from(buf.subarray(lastNl + 1)));
    const lines = firstNl < lastNl ? [first, rest] : [first];
    this.complete(lines);
  }

  end(): void {
    if (this.partial.length) this.complete([this.partial]);
    this.partial = Buffer.alloc(0);
  }

  private keepPartial(b: Buffer): void {
    this.partial = b.length > MAX_LINE ? Buffer.from(b.subarray(b.length - MAX_LINE)) : b;
  }

  /** `blocks`: runs of complete lines, in order, without their final newline. */
  private complete(blocks: Buffer[]): void {
    // The last non-empty line, found from the end without decoding everything.
    found: for (let b = blocks.length - 1; b >= 0; b--) {
      const block = blocks[b]!;
      let end = block.length;
      while (end >= 0) {
        const start = end > 0 ? block.lastIndexOf(NL, end - 1) + 1 : 0;
        const line = decodeLine(block.subarray(start, end));
        if (line.trim()) {
          this.last = line;
          break found;
        }
        if (start === 0) break;
        end = start - 1;
      }
    }
    if (!this.captures.length && !blocks.some((b) => b.includes(SET_MARK))) return;
    for (const block of blocks) {
      if (!this.captures.length && !block.includes(SET_MARK)) continue;
      for (let start = 0; start <= block.length;) {
        let end = block.indexOf(NL, start);
        if (end < 0) end = block.length;
        const bytes = block.subarray(start, end);
        start = end + 1;
        if (!this.captures.length && !bytes.includes(SET_MARK)) continue;
        const line = sanitizeText(decodeLine(bytes));
        const m = SET_LINE.exec(line);
        if (m) this.sets.push({ name: m[1]!, value: m[2]! });
        this.captures.forEach((re, i) => {
          const c = re.exec(line);
          if (c) this.captured[i] = c[1] ?? c[0];
        });
      }
    }
  }

  /** The last non-empty stdout line, escapes removed, trimmed. */
  get lastLine(): string {
    return sanitizeText(this.last).trim();
  }
}

function decodeLine(bytes: Buffer): string {
  return (bytes.length > MAX_LINE ? bytes.subarray(0, MAX_LINE) : bytes).toString('utf8');
}
