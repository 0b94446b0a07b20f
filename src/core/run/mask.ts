// The one masking function for everything the runner shows or stores: live output, error messages,
// resolved commands and history. It hides
//   - passwords in URLs (scheme://user:PASSWORD@host),
//   - NAME=value / NAME: value where NAME contains password, passwd, secret, token, api key, access
//     key, private key (any case) or an upper-case env name containing KEY (PGPASSWORD=..., AWS_...),
//   - `--password VALUE` / `--token VALUE` style flags,
//   - Bearer/Basic authorization values, AWS access key ids, GitHub tokens, PEM private key blocks,
//   - any literal secret it is told about: values of env vars and variables whose names contain
//     SECRET/TOKEN/PASSWORD/KEY, the database password from the secret provider, ...
// Streams are masked with a hold-back (see MaskStream) so a secret split across chunks is still
// caught.
export const MASK = '****';

/** A match: [start, end) is the whole construct, [secretStart, secretEnd) the part replaced. */
interface Hit {
  start: number;
  secretStart: number;
  secretEnd: number;
}

/** Names whose values are secrets (env vars, runbook variables, placeholders). */
export function isSecretName(name: string): boolean {
  return /SECRET|TOKEN|PASSWORD|PASSWD|KEY|CREDENTIAL/i.test(name);
}

// Each pattern starts with a literal or a short keyword so scanning megabytes of output stays
// linear (no leading greedy classes that backtrack over every long line).
const VALUE = String.raw`("[^"\n]*"|'[^'\n]*'|[^\s"'&;,]+)`;
// `may`: a cheap indexOf test that must pass for the pattern to match anywhere in the text; it
// skips most regex scans on output that cannot contain the pattern (binary-ish or encoded data).
const has =
  (...needles: string[]) =>
  (t: string): boolean =>
    needles.some((n) => t.includes(n));
const PATTERNS: { re: RegExp; group: number; may: (t: string) => boolean }[] = [
  // scheme://user:password@host — the password is group 1
  { re: /:\/\/[^\s:/@]*:([^\s@/]+)(?=@)/g, group: 1, may: has('://') },
  {
    may: has('=', ':'),
    re: new RegExp(
      String.raw`(?:passw(?:or)?d|\bpwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret)[A-Za-z0-9_.-]*["']?[ \t]*[=:][ \t]*` +
        VALUE,
      'gi',
    ),
    group: 1,
  },
  { re: new RegExp(String.raw`KEY[A-Z0-9_]*=` + VALUE, 'g'), group: 1, may: has('KEY') },
  { re: /--(?:password|passwd|token|secret|api-key)[ \t]+([^\s-]\S*)/gi, group: 1, may: has('--') },
  {
    re: /\b(?:Bearer|Basic|Token)[ \t]+([A-Za-z0-9._~+/=-]{6,})/g,
    group: 1,
    may: has('Bearer', 'Basic', 'Token'),
  },
  { re: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g, group: 1, may: has('AKIA', 'ASIA') },
  { re: /\b((?:gh[pousr]_[A-Za-z0-9]{30,})|github_pat_[A-Za-z0-9_]{22,})/g, group: 1, may: has('_') },
  {
    re: /(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)/g,
    group: 1,
    may: has('-----BEGIN'),
  },
];

/**
 * Where PATTERNS matches can start: every match contains one of these words, on the same line,
 * within MAX_ANCHOR_LEAD characters of its start. The byte pipeline (output-pipe.ts) sends a line
 * through the regexes only when an anchor is in it, so a pattern added above needs its anchor here
 * (output-pipe.unit.test.ts compares both paths on every documented kind of secret). Each anchor is
 * as narrow as its patterns allow, so ordinary words ("cache key", "basic auth") stay on the fast
 * path: `key` counts only as `KEY` or after api/access/private; Bearer/Basic, AWS key ids and
 * GitHub tokens only in the case their patterns accept. Literal secrets are searched for separately.
 */
interface Anchor {
  word: string;
  caseSensitive?: boolean;
  /** One of these (any case, optionally followed by `_` or `-`) must end right before the word. */
  after?: readonly string[];
}
const ANCHORS: readonly Anchor[] = [
  { word: '://', caseSensitive: true },
  { word: 'passw' },
  { word: 'pwd' },
  { word: 'secret' },
  { word: 'token' },
  { word: 'KEY', caseSensitive: true },
  { word: 'key', after: ['api', 'access', 'private'] },
  { word: 'Bearer', caseSensitive: true },
  { word: 'Basic', caseSensitive: true },
  { word: 'AKIA', caseSensitive: true },
  { word: 'ASIA', caseSensitive: true },
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'].map((word) => ({ word, caseSensitive: true })),
  { word: '-----BEGIN', caseSensitive: true },
];
/** The anchor words (the byte scanner's tables must cover their first three bytes, in any case). */
export const MASK_ANCHORS: readonly string[] = [...new Set(ANCHORS.map((a) => a.word))];
/** How far before its anchor a match may start (`client-secret`, `--password`, `private_key`). */
export const MAX_ANCHOR_LEAD = 8;

const fold = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
interface CompiledAnchor {
  word: Buffer;
  caseSensitive: boolean;
  after: Buffer[];
}
const ANCHORS_BY_FIRST = new Map<number, CompiledAnchor[]>();
for (const a of ANCHORS) {
  const word = Buffer.from(a.caseSensitive ? a.word : a.word.toLowerCase(), 'latin1');
  const key = fold(word[0]!);
  const list = ANCHORS_BY_FIRST.get(key) ?? [];
  list.push({
    word,
    caseSensitive: a.caseSensitive ?? false,
    after: (a.after ?? []).map((w) => Buffer.from(w, 'latin1')),
  });
  ANCHORS_BY_FIRST.set(key, list);
}

function wordAt(bytes: Uint8Array, p: number, end: number, w: Buffer, caseSensitive: boolean): boolean {
  if (p < 0 || p + w.length > end) return false;
  for (let j = 0; j < w.length; j++) {
    const c = bytes[p + j]!;
    if ((caseSensitive ? c : fold(c)) !== w[j]) return false;
  }
  return true;
}

/** Whether a mask anchor starts at bytes[p] (`start`: where the line's bytes begin). */
export function maskAnchorAt(bytes: Uint8Array, p: number, end = bytes.length, start = 0): boolean {
  const anchors = ANCHORS_BY_FIRST.get(fold(bytes[p]!));
  if (!anchors) return false;
  for (const a of anchors) {
    if (!wordAt(bytes, p, end, a.word, a.caseSensitive)) continue;
    if (!a.after.length) return true;
    const sep = p > start && (bytes[p - 1] === 0x5f || bytes[p - 1] === 0x2d) ? 1 : 0;
    for (const before of a.after) {
      const from = p - sep - before.length;
      if (from >= start && wordAt(bytes, from, p, before, false)) return true;
    }
  }
  return false;
}

const OPEN_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/g;
const CLOSE_PEM = /-----END [A-Z ]*PRIVATE KEY-----/;

const TRAILING_KEYWORD =
  /(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|bearer|basic|KEY[A-Z0-9_]*|:\/\/[^\s@/]*)[^\s]*$/i;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Shortest literal secret worth masking: shorter values ("1", "on") would mask noise. */
const MIN_SECRET_LENGTH = 4;

export class Masker {
  private readonly secrets = new Set<string>();
  private literal: RegExp | null = null;
  private bytes: Buffer[] | null = null;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Every value of an env-like map whose name looks secret. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>, extra: Iterable<string> = []): Masker {
    const m = new Masker(extra);
    for (const [k, v] of Object.entries(env)) if (v && isSecretName(k)) m.addSecret(v);
    return m;
  }

  addSecret(value: string | undefined | null): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    this.secrets.add(value);
    // Also the URL-encoded form, which is how passwords appear inside connection strings.
    const enc = encodeURIComponent(value);
    if (enc !== value) this.secrets.add(enc);
    this.literal = null;
    this.bytes = null;
  }

  /** Whether a literal secret spans lines (a key file in an env var): line-wise shortcuts do not apply. */
  get hasMultilineSecret(): boolean {
    for (const s of this.secrets) if (s.includes('\n')) return true;
    return false;
  }

  /** The literal secrets as UTF-8 bytes, for native searches over raw output. */
  get secretBytes(): readonly Buffer[] {
    this.bytes ??= [...this.secrets].map((s) => Buffer.from(s, 'utf8'));
    return this.bytes;
  }

  /**
   * Length of the longest tail of `text` that is the start of a known secret spanning lines: the
   * one case a line-by-line release would cut through (single-line secrets are held with their line).
   */
  multilinePrefixAtEnd(text: string): number {
    let best = 0;
    for (const s of this.secrets) {
      if (!s.includes('\n')) continue;
      for (let n = Math.min(s.length - 1, text.length); n > best; n--) {
        if (text.endsWith(s.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }

  /** The longest literal secret, which bounds how much a stream must hold back. */
  get longestSecret(): number {
    let n = 0;
    for (const s of this.secrets) n = Math.max(n, s.length);
    return n;
  }

  private literalRe(): RegExp | null {
    if (!this.secrets.size) return null;
    if (!this.literal) {
      const alts = [...this.secrets].sort((a, b) => b.length - a.length).map(escapeRe);
      this.literal = new RegExp(alts.join('|'), 'g');
    }
    return this.literal;
  }

  /** Length of the longest tail of `text` that is the start (not all) of a known secret. */
  secretPrefixAtEnd(text: string): number {
    let best = 0;
    for (const s of this.secrets) {
      for (let n = Math.min(s.length - 1, text.length); n > best; n--) {
        if (text.endsWith(s.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }

  hits(text: string): Hit[] {
    const hits: Hit[] = [];
    for (const { re, group, may } of PATTERNS) {
      if (!may(text)) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const g = m[group];
        if (g === undefined) continue;
        // The captured group is always the match's tail.
        const secretEnd = m.index + m[0].length;
        hits.push({ start: m.index, secretStart: secretEnd - g.length, secretEnd });
        if (m[0].length === 0) re.lastIndex++;
      }
    }
    const lit = this.literalRe();
    if (lit) {
      lit.lastIndex = 0;
      for (let m = lit.exec(text); m; m = lit.exec(text)) {
        hits.push({ start: m.index, secretStart: m.index, secretEnd: m.index + m[0].length });
      }
    }
    return hits;
  }

  mask(text: string): string {
    return applyHits(text, this.hits(text));
  }

  /** A stateful masker for one output stream. */
  stream(holdBack = 4096): MaskStream {
    return new MaskStream(this, holdBack);
  }
}

function applyHits(text: string, hits: Hit[]): string {
  if (!hits.length) return text;
  hits.sort((a, b) => a.secretStart - b.secretStart);
  let out = '';
  let pos = 0;
  for (const h of hits) {
    if (h.secretEnd <= pos) continue;
    const from = Math.max(pos, h.secretStart);
    out += text.slice(pos, from) + (from === h.secretStart ? MASK : '');
    pos = h.secretEnd;
  }
  return out + text.slice(pos);
}

/**
 * Masks a stream chunk by chunk. Text is released up to the last line break (every pattern is
 * single-line except PEM blocks, held until their END line); a line longer than `holdBack` is
 * released except its last `holdBack` characters, never cutting through a match. So a secret is
 * caught when it is split across chunks, as long as it is shorter than `holdBack`.
 */
export class MaskStream {
  private pending = '';

  constructor(
    private readonly masker: Masker,
    private readonly holdBack: number,
  ) {}

  /** Feed text; returns what can be shown now (masked). */
  push(text: string): string {
    const all = this.pending + text;
    const hold = Math.max(this.holdBack, this.masker.longestSecret + 1);
    const nl = all.lastIndexOf('\n');
    let cut = all.length - (nl + 1) <= hold ? nl + 1 : all.length - hold;
    cut = Math.min(cut, all.length - this.masker.multilinePrefixAtEnd(all));
    if (cut <= 0) {
      this.pending = all;
      return '';
    }
    const hits = this.masker.hits(all);
    for (const h of hits) if (h.start < cut && h.secretEnd > cut) cut = h.start;
    // Hold an unterminated PEM block (bounded: a runaway one is released masked by the hold limit).
    OPEN_PEM.lastIndex = 0;
    for (let m = all.includes('-----BEGIN') ? OPEN_PEM.exec(all) : null; m; m = OPEN_PEM.exec(all)) {
      if (m.index < cut && !CLOSE_PEM.test(all.slice(m.index)) && all.length - m.index < 64 * 1024) {
        cut = Math.min(cut, m.index);
        break;
      }
    }
    if (cut <= 0) {
      this.pending = all;
      return '';
    }
    this.pending = all.slice(cut);
    return applyHits(
      all.slice(0, cut),
      hits.filter((h) => h.secretEnd <= cut),
    );
  }

  /**
   * The stream has gone quiet (a prompt without a newline): release what is held, except a tail
   * that may be the start of a secret still being written — a match running up to the end, a
   * secret-looking keyword with its value still to come, or the beginning of a known secret.
   */
  flushIdle(): string {
    const all = this.pending;
    if (!all) return '';
    let cut = all.length;
    const hits = this.masker.hits(all);
    for (const h of hits) if (h.secretEnd >= all.length) cut = Math.min(cut, h.start);
    const kw = TRAILING_KEYWORD.exec(all.slice(-64));
    if (kw) cut = Math.min(cut, all.length - Math.min(64, all.length) + kw.index);
    cut = Math.min(cut, all.length - this.masker.secretPrefixAtEnd(all));
    if (cut <= 0) return '';
    this.pending = all.slice(cut);
    return applyHits(
      all.slice(0, cut),
      hits.filter((h) => h.secretEnd <= cut),
    );
  }

  /** Everything still held, masked (at the end of the stream). */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    if (!rest) return '';
    OPEN_PEM.lastIndex = 0;
    const open = OPEN_PEM.exec(rest);
    // An unterminated private key at the very end: hide everything after its header.
    if (open && !CLOSE_PEM.test(rest.slice(open.index))) {
      const head = open.index + open[0].length;
      return this.masker.mask(rest.slice(0, head)) + MASK;
    }
    return this.masker.mask(rest);
  }

  get held(): number {
    return this.pending.length;
  }
}
