// Small text helpers shared by the runbook parser: line offsets, inline Markdown to plain text, slugs.

/** markdown-it normalizes CRLF / CR to LF and NUL to U+FFFD; doing it once up front keeps our line
 * offsets identical to its line maps. */
export function normalizeNewlines(text: string): string {
  let out = text.indexOf('\r') >= 0 ? text.replace(/\r\n?/g, '\n') : text;
  if (out.indexOf('\0') >= 0) out = out.replace(/\0/g, '\uFFFD');
  return out;
}

/** Start offset of every line of `text` (index 0 = line 1). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i >= 0) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

/** True when 0-based line `index` has only spaces and tabs (or does not exist). */
export function isBlankLine(text: string, starts: readonly number[], index: number): boolean {
  const s = starts[index];
  if (s === undefined) return true;
  for (let i = s; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** The text of 0-based line `index` without its newline. */
export function lineAt(text: string, starts: readonly number[], index: number): string {
  const s = starts[index];
  if (s === undefined) return '';
  const next = starts[index + 1];
  return text.slice(s, next === undefined ? text.length : next - 1);
}

/** Walks offsets in increasing order and tells their 0-based line, without re-scanning from the start. */
export class LineCounter {
  private line = 0;
  private pos = 0;
  constructor(private readonly text: string) {}

  lineOf(offset: number): number {
    if (offset < this.pos) {
      this.line = 0;
      this.pos = 0;
    }
    let i = this.text.indexOf('\n', this.pos);
    while (i >= 0 && i < offset) {
      this.line++;
      i = this.text.indexOf('\n', i + 1);
    }
    // Every newline before `offset` is counted; the next call resumes from here.
    this.pos = offset;
    return this.line;
  }
}

const HTML_TAGS = new Set(
  (
    'a abbr b br code del details div em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre s small span ' +
    'strong sub summary sup table tbody td th thead tr u ul'
  ).split(' '),
);

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
  rarr: '→',
  larr: '←',
  mdash: '—',
  ndash: '–',
};

const INLINE_MARKUP = /[*_`[<&\\~!]/;
const SPACING = /\s\s|[\t\n\r]|^\s|\s$/;

/**
 * Inline Markdown to the plain text a reader sees: emphasis, code spans, links and known HTML tags
 * removed; `<pid>`-style placeholders in prose are kept as written.
 */
export function plainInline(md: string): string {
  if (md.length > 2000) md = md.slice(0, 2000);
  // Most titles and items have no markup at all.
  if (!INLINE_MARKUP.test(md)) return SPACING.test(md) ? md.replace(/\s+/g, ' ').trim() : md;
  let s = md
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?\/?>/g, (all: string, tag: string) =>
      HTML_TAGS.has(tag.toLowerCase()) ? '' : all,
    )
    .replace(/<((?:https?|mailto):[^<>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/(`+)([\s\S]*?)\1/g, (_all: string, _ticks: string, code: string) => code.trim())
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(#?[A-Za-z0-9]+);/g, (all: string, name: string) => ENTITIES[name] ?? all);
  s = s.replace(/\s+/g, ' ').trim();
  return s;
}

/** Cuts a title to a readable length at a word boundary. */
export function clip(s: string, max = 200): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  return `${s.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}

const ASCII = /^[\x20-\x7e]*$/;

/**
 * A lowercase id segment: letters and digits of any script, joined by `-`, at most `max` characters
 * (cut at a `-`). Empty when the text has no letter or digit.
 */
export function slug(text: string, max = 60): string {
  const s = ASCII.test(text)
    ? text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
    : text
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
        .replace(/^-+|-+$/g, '')
        .normalize('NFC');
  if (s.length <= max) return s;
  const cut = s.lastIndexOf('-', max);
  return s.slice(0, cut > max / 2 ? cut : max).replace(/-+$/, '');
}

/**
 * A step title from a list item's text: a trailing `.` or `:` dropped, and a long instruction cut to
 * its first clause ("Check load balancer metrics: open the dashboard and ..." -> "Check load balancer
 * metrics"). `description` is the full text when the title is shorter than it.
 */
export function itemTitle(text: string): { title: string; description?: string } {
  let title = text.replace(/(?<!\.)[.:]$/, '').trim();
  if (title.length > 80) {
    const m = /^(.{10,100}?)(?::\s|(?<=[a-z]{4})\.\s|\s[—–-]\s)/.exec(title);
    title = m ? m[1]!.trim() : clip(title, 100);
  }
  return title === text ? { title } : { title, description: text };
}
