// Watches a command's stdout (before masking) for what sets variables: `::set NAME=value` lines,
// the last non-empty line, and author-given regex captures. Only complete lines count; memory is
// bounded by MAX_LINE whatever the command prints.
import { sanitizeText } from './terminal';

const MAX_LINE = 64 * 1024;
const SET_LINE = /^::set ([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/;

export interface SetDirective {
  name: string;
  value: string;
}

export class LineTap {
  private partial = '';
  private last = '';
  readonly sets: SetDirective[] = [];
  /** Per capture regex: its last match (group 1, or the whole match). */
  readonly captured: (string | undefined)[];

  constructor(private readonly captures: readonly RegExp[] = []) {
    this.captured = captures.map(() => undefined);
  }

  push(text: string): void {
    const s = this.partial + text;
    const nl = s.lastIndexOf('\n');
    if (nl < 0) {
      this.partial = s.length > MAX_LINE ? s.slice(-MAX_LINE) : s;
      return;
    }
    this.partial = s.length - nl - 1 > MAX_LINE ? s.slice(-MAX_LINE) : s.slice(nl + 1);
    this.complete(s.slice(0, nl));
  }

  end(): void {
    if (this.partial) this.complete(this.partial);
    this.partial = '';
  }

  private complete(block: string): void {
    // The last non-empty line of this block, found from the end without splitting everything.
    let end = block.length;
    while (end > 0) {
      const start = block.lastIndexOf('\n', end - 1) + 1;
      const line = block.slice(start, end);
      if (line.trim()) {
        this.last = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
        break;
      }
      end = start - 1;
    }
    if (!this.captures.length && !block.includes('::set ')) return;
    for (const raw of block.split('\n')) {
      const line = sanitizeText(raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw);
      const m = SET_LINE.exec(line);
      if (m) this.sets.push({ name: m[1]!, value: m[2]! });
      this.captures.forEach((re, i) => {
        const c = re.exec(line);
        if (c) this.captured[i] = c[1] ?? c[0];
      });
    }
  }

  /** The last non-empty stdout line, escapes removed, trimmed. */
  get lastLine(): string {
    return sanitizeText(this.last).trim();
  }
}
