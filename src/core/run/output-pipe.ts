// One output stream (stdout or stderr) of a command, from raw bytes to what is shown and stored:
// masked and free of escape sequences. Two paths give the same result:
//   - slow: decode, MaskStream (regex masking with hold-back), TerminalSanitizer (state machine).
//   - fast: bytes that byte-scan.ts finds free of control characters and of anything a mask
//     pattern could start with (and free of literal secrets) are passed on as they are, undecoded.
// Output is cut into blocks of whole lines (mask patterns never span lines, except PEM blocks,
// which send everything through the slow path until they end). Within a block, the lines holding a
// real candidate (a control character, or a mask anchor word: mask.ts MASK_ANCHORS) go through
// the slow path and the lines between them go fast. A line longer than LONG_LINE is released in
// parts that keep a tail of HOLD bytes back, as MaskStream does. Whenever the slow path still
// holds something (a masked match or an escape sequence not finished, a PEM block open), all
// output takes the slow path until it is done, so the order and the masking never depend on
// where the chunks were cut.
import { isUtf8 } from 'node:buffer';
import { byteScanner } from './byte-scan';
import type { LineTap } from './line-tap';
import { MAX_ANCHOR_LEAD, maskAnchorAt, type Masker, type MaskStream } from './mask';
import { TerminalSanitizer, type StyledSpan } from './terminal';

/** What one stream releases: either bytes known to be clean, or text from the slow path. */
export type OutputPiece =
  | { bytes: Buffer; ascii: true; spans: StyledSpan[] }
  | { bytes: Buffer; ascii: false; text: string; spans: StyledSpan[] }
  | { bytes?: undefined; text: string; spans: StyledSpan[] };

const NL = 0x0a;
/** A line without a newline is processed in parts once it is this long. */
const LONG_LINE = 16 * 1024;
/** What MaskStream holds back of a long line; also the tail a long line keeps in the fast path. */
const HOLD = 4096;
/**
 * Candidates closer than this to the previous slow line join it in one slow region: a slow call
 * costs a few microseconds, slow-processing plain text about half a microsecond per 100 bytes.
 */
const MERGE = 512;

export class StreamPipe {
  private readonly mask: MaskStream;
  private readonly term = new TerminalSanitizer();
  private readonly scanner = byteScanner();
  /** Bytes of the line not finished yet. */
  private carry: Buffer | null = null;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    readonly name: 'stdout' | 'stderr',
    private readonly masker: Masker,
    private readonly out: (p: OutputPiece) => void,
    private readonly tap: LineTap | null,
    idleFlushMs: number,
  ) {
    this.mask = masker.stream(HOLD);
    if (idleFlushMs > 0) {
      this.idle = setTimeout(() => this.flushIdle(), idleFlushMs);
      this.idle.unref();
    }
  }

  write(buf: Buffer): void {
    if (!buf.length) return;
    this.tap?.push(buf);
    this.idle?.refresh();
    let start = 0;
    if (this.carry) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, buf]);
        if (this.carry.length > LONG_LINE) this.longLine();
        return;
      }
      const line = Buffer.concat([this.carry, buf.subarray(0, nl + 1)]);
      this.carry = null;
      this.lines(line);
      start = nl + 1;
    }
    const last = buf.lastIndexOf(NL);
    if (last >= start) {
      this.lines(buf.subarray(start, last + 1));
      start = last + 1;
    }
    if (start < buf.length) {
      // Always a copy: the caller may reuse `buf` once this returns (output-capture.ts does).
      this.carry = Buffer.from(buf.subarray(start));
      if (this.carry.length > LONG_LINE) this.longLine();
    }
  }

  end(): void {
    if (this.idle) clearTimeout(this.idle);
    this.tap?.end();
    const last = this.carry;
    this.carry = null;
    if (last) this.lastLine(last);
    this.release(this.mask.flush());
  }

  /** The stream went quiet: show a prompt printed without a newline (see MaskStream.flushIdle). */
  private flushIdle(): void {
    if (this.carry) {
      // Keep an unfinished UTF-8 character for the next chunk.
      const cut = utf8Boundary(this.carry, this.carry.length);
      if (cut > 0) this.slow(this.carry.subarray(0, cut));
      this.carry = cut < this.carry.length ? Buffer.from(this.carry.subarray(cut)) : null;
    }
    this.release(this.mask.flushIdle());
  }

  /** Whole lines (`block` ends with a newline). */
  private lines(block: Buffer): void {
    if (this.busy() || this.hasSecret(block) || this.masker.hasMultilineSecret) return this.slow(block);
    this.load(block);
    const len = block.length;
    let pos = 0; // released up to here
    let p = this.nextReal(0);
    let nonAscii = this.sawNonAscii;
    for (;;) {
      if (p >= len) return this.fast(pos, len, nonAscii);
      const lineStart = p === 0 ? 0 : Math.max(pos, block.lastIndexOf(NL, p - 1) + 1);
      this.fast(pos, lineStart, nonAscii);
      let lineEnd = block.indexOf(NL, p) + 1;
      // Dense candidates (colour on every line): one slow region rather than many.
      for (;;) {
        p = this.nextReal(lineEnd);
        nonAscii = this.sawNonAscii;
        if (p >= len || p - lineEnd > MERGE) break;
        lineEnd = block.indexOf(NL, p) + 1;
      }
      this.slow(block.subarray(lineStart, lineEnd));
      pos = lineEnd;
      if (pos >= len) return;
      if (this.busy()) return this.slow(block.subarray(pos));
    }
  }

  /** The end of the stream without a newline: clean bytes still go on as they are. */
  private lastLine(line: Buffer): void {
    if (this.busy() || this.hasSecret(line) || this.masker.hasMultilineSecret) return this.slow(line);
    this.load(line);
    if (this.nextReal(0) < line.length) return this.slow(line);
    this.fast(0, line.length, this.sawNonAscii);
  }

  /** A line too long to wait for its end: release all but its last HOLD bytes. */
  private longLine(): void {
    const line = this.carry!;
    const cut = utf8Boundary(line, line.length - Math.max(HOLD, this.longestSecret() + MAX_ANCHOR_LEAD));
    if (cut <= 0) return;
    this.carry = Buffer.from(line.subarray(cut));
    if (this.busy() || this.hasSecret(line) || this.masker.hasMultilineSecret)
      return this.slow(line.subarray(0, cut));
    this.load(line);
    const p = this.nextReal(0);
    // A match may start MAX_ANCHOR_LEAD bytes before its anchor word: stop short of that.
    const fastEnd = p - MAX_ANCHOR_LEAD >= cut ? cut : utf8Boundary(line, p - MAX_ANCHOR_LEAD);
    this.fast(0, fastEnd, this.sawNonAscii);
    // The rest goes to MaskStream without a newline: it keeps the end held until the line ends.
    if (fastEnd < cut) this.slow(line.subarray(fastEnd, cut));
  }

  /** The block the shared scanner holds for this pipe. */
  private cur: Buffer = Buffer.alloc(0);
  /** Whether the bytes before the last nextReal() result may be non-ASCII. */
  private sawNonAscii = false;

  private load(block: Buffer): void {
    this.cur = block;
    this.scanner.load(block);
    this.scanner.owner = this;
  }

  /** The next position at or after `from` that needs the slow path (scanner hits verified). */
  private nextReal(from: number): number {
    const scan = this.scanner;
    // A listener run from out() may have let another stream scan meanwhile.
    if (scan.owner !== this) this.load(this.cur);
    const b = this.cur;
    let nonAscii = false;
    for (;;) {
      const p = scan.next(from);
      nonAscii ||= scan.maybeNonAscii;
      if (p >= b.length || needsSlowPath(b, p)) {
        this.sawNonAscii = nonAscii;
        return p;
      }
      from = p + 1;
    }
  }

  private busy(): boolean {
    return this.mask.held > 0 || !this.term.idle;
  }

  private hasSecret(bytes: Buffer): boolean {
    for (const s of this.masker.secretBytes) if (bytes.includes(s)) return true;
    return false;
  }

  private longestSecret(): number {
    let n = 0;
    for (const s of this.masker.secretBytes) n = Math.max(n, s.length);
    return n;
  }

  /**
   * Clean bytes [from, to) of the loaded block. ASCII goes on as bytes; lines holding other
   * characters are decoded (checked to be UTF-8), so a stray accent costs its line, not the block.
   */
  private fast(from: number, to: number, maybeNonAscii: boolean): void {
    if (from >= to) return;
    const b = this.cur;
    if (!maybeNonAscii) return this.ascii(b.subarray(from, to));
    for (let pos = from; pos < to;) {
      let q = this.nextNonAscii(pos, to);
      if (q >= to) return this.ascii(b.subarray(pos, to));
      const lineStart = q === 0 ? 0 : Math.max(pos, b.lastIndexOf(NL, q - 1) + 1);
      this.ascii(b.subarray(pos, lineStart));
      let lineEnd = lineEndIn(b, q, to);
      for (;;) {
        q = this.nextNonAscii(lineEnd, to);
        if (q >= to || q - lineEnd > MERGE) break;
        lineEnd = lineEndIn(b, q, to);
      }
      this.utf8(b.subarray(lineStart, lineEnd));
      pos = lineEnd;
    }
  }

  private nextNonAscii(from: number, to: number): number {
    if (this.scanner.owner !== this) this.load(this.cur);
    return Math.min(this.scanner.nextNonAscii(from), to);
  }

  private ascii(bytes: Buffer): void {
    if (bytes.length) this.out({ bytes, ascii: true, spans: this.term.plainSpans(bytes.length) });
  }

  private utf8(bytes: Buffer): void {
    if (!isUtf8(bytes)) return this.slow(bytes); // the decoder's replacement characters are kept
    const text = bytes.toString('utf8');
    this.out({ bytes, ascii: false, text, spans: this.term.plainSpans(text.length) });
  }

  private slow(bytes: Buffer): void {
    this.release(this.mask.push(bytes.toString('utf8')));
  }

  private release(masked: string): void {
    if (!masked) return;
    const clean = this.term.write(masked);
    if (clean.text) this.out({ text: clean.text, spans: clean.spans });
  }
}

/** End of the line holding position p (after its newline), at most `to`. */
function lineEndIn(b: Buffer, p: number, to: number): number {
  const nl = b.indexOf(NL, p);
  return nl < 0 || nl >= to ? to : nl + 1;
}

/** A control character, a C1 control in UTF-8, or the start of a mask anchor word. */
function needsSlowPath(b: Buffer, p: number): boolean {
  const c = b[p]!;
  if (c < 0x20) return c !== NL && c !== 0x09;
  if (c === 0x7f) return true;
  if (c === 0xc2) return ((b[p + 1] ?? 0) & 0xe0) === 0x80 || maskAnchorAt(b, p);
  return maskAnchorAt(b, p);
}

/** The largest cut <= at that does not split a UTF-8 character of `b` (0 when none fits). */
export function utf8Boundary(b: Uint8Array, at: number): number {
  if (at <= 0) return 0;
  if (at >= b.length) return b.length;
  // Back over continuation bytes (10xxxxxx) to the lead byte, at most 3.
  let i = at;
  while (i > 0 && at - i < 3 && (b[i]! & 0xc0) === 0x80) i--;
  return (b[i]! & 0xc0) === 0x80 ? at : i;
}
