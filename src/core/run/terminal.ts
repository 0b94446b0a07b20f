// Terminal output made safe to show and store. Design choice (documented for the output view):
//   - Colour and text attributes (SGR, `ESC[...m`) are removed from the text and reported as
//     structured style spans, so the view can render colour without ever interpreting escapes and
//     the stored output file is plain text.
//   - Every other escape sequence — cursor movement, screen/line erase, title setting (OSC),
//     hyperlinks, device control strings, C1 controls — is dropped entirely.
//   - Other control characters are dropped except tab and newline; CR LF and a lone CR (progress
//     bars) both become a newline, so nothing can overwrite text already shown.
// The parser is a state machine, so a sequence split across chunks is still recognised.

export interface TextStyle {
  /** 0-255 palette index or `#rrggbb`. */
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

export interface StyledSpan {
  /** Offsets into the chunk's plain text. */
  start: number;
  end: number;
  style: TextStyle;
}

export interface CleanChunk {
  text: string;
  /** Only spans with a non-default style. */
  spans: StyledSpan[];
}

const enum S {
  Text,
  Esc,
  EscIntermediate,
  Csi,
  Str, // OSC / DCS / SOS / PM / APC: skipped until BEL or ST
  StrEsc,
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
// Bound what one unterminated sequence may swallow, so garbage cannot hide all later output.
const MAX_SEQ = 4096;

export class TerminalSanitizer {
  private state = S.Text;
  private params = '';
  private seqLen = 0;
  private lastCR = false;
  private style: TextStyle = {};

  write(input: string): CleanChunk {
    if (this.state === S.Text && !this.lastCR && !CONTROL.test(input)) {
      return {
        text: input,
        spans: isPlain(this.style) || !input ? [] : [{ start: 0, end: input.length, style: this.style }],
      };
    }
    let text = '';
    const spans: StyledSpan[] = [];
    let spanStart = 0;
    const closeSpan = (): void => {
      if (text.length > spanStart && !isPlain(this.style))
        spans.push({ start: spanStart, end: text.length, style: this.style });
      spanStart = text.length;
    };
    let runStart = -1;
    const flushRun = (i: number): void => {
      if (runStart >= 0) text += input.slice(runStart, i);
      runStart = -1;
    };
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      switch (this.state) {
        case S.Text: {
          if (this.lastCR) {
            this.lastCR = false;
            if (c === 0x0a) continue; // CR LF: the newline was already written for the CR
          }
          const isCtl = c < 0x20 || (c >= 0x7f && c <= 0x9f);
          if (!isCtl || c === 0x09 || c === 0x0a) {
            if (runStart < 0) runStart = i;
            continue;
          }
          flushRun(i);
          if (c === 0x0d) {
            text += '\n';
            this.lastCR = true;
          } else if (c === 0x1b) this.enter(S.Esc);
          else if (c === 0x9b) this.enter(S.Csi);
          else if (c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) this.enter(S.Str);
          break;
        }
        case S.Esc:
          if (c === 0x5b /* [ */) this.enter(S.Csi);
          else if (c === 0x5d /* ] */ || c === 0x50 /* P */ || c === 0x58 || c === 0x5e || c === 0x5f)
            this.enter(S.Str);
          else if (c >= 0x20 && c <= 0x2f) this.enter(S.EscIntermediate);
          else this.state = S.Text; // two-byte sequence (ESC 7, ESC c, ...): dropped
          break;
        case S.EscIntermediate:
          if (c >= 0x30 && c <= 0x7e) this.state = S.Text;
          else if (++this.seqLen > MAX_SEQ) this.state = S.Text;
          break;
        case S.Csi:
          if (c >= 0x40 && c <= 0x7e) {
            if (c === 0x6d /* m */) {
              closeSpan();
              this.style = applySgr(this.style, this.params);
            }
            this.state = S.Text;
          } else if (c === 0x1b) this.enter(S.Esc);
          else if (++this.seqLen > MAX_SEQ) this.state = S.Text;
          else this.params += input[i];
          break;
        case S.Str:
          if (c === 0x07 || c === 0x9c) this.state = S.Text;
          else if (c === 0x1b) this.state = S.StrEsc;
          else if (++this.seqLen > MAX_SEQ) this.state = S.Text;
          break;
        case S.StrEsc:
          // ESC \ ends the string; any other ESC aborts it (and starts a new sequence).
          if (c === 0x5c) this.state = S.Text;
          else if (c === 0x5b) this.enter(S.Csi);
          else this.state = c === 0x1b ? S.Esc : S.Str;
          break;
      }
    }
    flushRun(input.length);
    closeSpan();
    return { text, spans };
  }

  /** Between sequences and not after a CR: text without control characters passes unchanged. */
  get idle(): boolean {
    return this.state === S.Text && !this.lastCR;
  }

  /** Spans for `length` characters of control-free text written while idle (the current colour). */
  plainSpans(length: number): StyledSpan[] {
    return isPlain(this.style) || !length ? [] : [{ start: 0, end: length, style: this.style }];
  }

  private enter(s: S): void {
    this.state = s;
    this.params = '';
    this.seqLen = 0;
  }
}

function isPlain(s: TextStyle): boolean {
  for (const k in s) if ((s as Record<string, unknown>)[k] !== undefined) return false;
  return true;
}

function applySgr(current: TextStyle, params: string): TextStyle {
  // Private/intermediate forms (`ESC[?...m`, `ESC[>...m`) are not colours.
  if (/[^0-9;:]/.test(params)) return current;
  const codes: number[] = [];
  if (params === '') codes.push(0);
  else for (const p of params.split(/[;:]/)) codes.push(p === '' ? 0 : Number(p));
  let s: TextStyle = { ...current };
  for (let i = 0; i < codes.length; i++) {
    const n = codes[i]!;
    if (n === 0) s = {};
    else if (n === 1) s.bold = true;
    else if (n === 2) s.dim = true;
    else if (n === 3) s.italic = true;
    else if (n === 4) s.underline = true;
    else if (n === 7) s.inverse = true;
    else if (n === 9) s.strike = true;
    else if (n === 22) s.bold = s.dim = undefined;
    else if (n === 23) s.italic = undefined;
    else if (n === 24) s.underline = undefined;
    else if (n === 27) s.inverse = undefined;
    else if (n === 29) s.strike = undefined;
    else if (n >= 30 && n <= 37) s.fg = n - 30;
    else if (n === 39) s.fg = undefined;
    else if (n >= 40 && n <= 47) s.bg = n - 40;
    else if (n === 49) s.bg = undefined;
    else if (n >= 90 && n <= 97) s.fg = n - 90 + 8;
    else if (n >= 100 && n <= 107) s.bg = n - 100 + 8;
    else if (n === 38 || n === 48) {
      const mode = codes[i + 1];
      let colour: number | string | undefined;
      if (mode === 5) {
        const idx = codes[i + 2];
        if (idx !== undefined && idx >= 0 && idx <= 255) colour = idx;
        i += 2;
      } else if (mode === 2) {
        const [r, g, b] = [codes[i + 2], codes[i + 3], codes[i + 4]].map((v) =>
          Math.max(0, Math.min(255, v ?? 0)),
        );
        colour = '#' + [r, g, b].map((v) => v!.toString(16).padStart(2, '0')).join('');
        i += 4;
      } else i = codes.length;
      if (n === 38) s.fg = colour;
      else s.bg = colour;
    }
  }
  for (const k of Object.keys(s) as (keyof TextStyle)[]) if (s[k] === undefined) delete s[k];
  return s;
}

/** Plain text of one complete string (for error messages and the like). */
export function sanitizeText(s: string): string {
  return new TerminalSanitizer().write(s).text;
}
