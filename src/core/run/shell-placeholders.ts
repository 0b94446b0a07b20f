// Placeholder values never become shell text. A command like
//     kill -3 <pid> && grep '<pattern>' app.log
// is rewritten to
//     kill -3 "${RUNBOOK_PID}" && grep ''"${RUNBOOK_PATTERN}"'' app.log
// and the values travel as environment variables, so the shell expands them as data: no value
// can add a command, an argument, or a redirection.
//
// What the rewrite depends on is where the placeholder sits, so a small lexer follows bash quoting:
//   unquoted            -> "${VAR}"
//   inside "..."        -> ${VAR}
//   inside '...'        -> '"${VAR}"'     (close the quote, expand, reopen)
//   inside $'...'       -> '"${VAR}"$'
//   unquoted heredoc    -> ${VAR}         (quotes would be literal there)
//   quoted heredoc      -> refused: nothing expands in <<'EOF' bodies
//   $((...)), ((...)), [[ ... -eq ... ]]: only whole numbers (bash evaluates values there as code)
//   ${...}              -> refused (the expansion's own syntax would apply)
//   # comment           -> left alone, no value needed
// `$VAR` / `${VAR}` placeholders are already references: quoted when unquoted, left alone
// elsewhere, and not asked for at all where the shell would not expand them.
import type { Placeholder } from '../runbook/model';
import { envNameFor, normalizeName } from './placeholder-values';

export type ShellContext =
  | 'plain'
  | 'double'
  | 'single'
  | 'ansi-c'
  | 'heredoc'
  | 'heredoc-quoted'
  | 'param'
  | 'arith'
  | 'cond'
  | 'comment'
  | 'unknown';

export interface PlaceholderSite {
  placeholder: Placeholder;
  context: ShellContext;
  /** The value would start a word, so a leading `-` would make it an option. */
  wordStart: boolean;
  /** For `cond`: the [[ ]] test compares numbers (-eq, -lt, ...), so bash evaluates the value. */
  arithmetic: boolean;
}

export class PlaceholderError extends Error {
  constructor(
    message: string,
    readonly placeholder: string,
  ) {
    super(message);
    this.name = 'PlaceholderError';
  }
}

type FrameKind =
  | 'top'
  | 'cmdsub'
  | 'backtick'
  | 'double'
  | 'single'
  | 'ansi-c'
  | 'param'
  | 'arith'
  | 'arith-cmd'
  | 'cond'
  | 'heredoc';

interface Frame {
  kind: FrameKind;
  depth: number;
  /** First content offset and whether the frame's opening began a word (for quotes). */
  contentStart: number;
  openedAtWordStart: boolean;
  /** For cond frames: sites inside, to flag once the frame closes and its operators are known. */
  sites?: PlaceholderSite[];
  start: number;
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '|', '&', '(', ')', '<', '>']);
const ARITH_TEST = /\s-(eq|ne|lt|le|gt|ge)\s/;

/** Where each placeholder sits in shell syntax. */
export function locatePlaceholders(text: string, placeholders: readonly Placeholder[]): PlaceholderSite[] {
  const byStart = new Map<number, Placeholder>();
  for (const p of placeholders) if (text.startsWith(p.raw, p.start)) byStart.set(p.start, p);
  const sites = new Map<Placeholder, PlaceholderSite>();
  lex(text, 0, text.length, { kind: 'top', depth: 0, contentStart: 0, openedAtWordStart: true, start: 0 });
  return placeholders.map(
    (p) => sites.get(p) ?? { placeholder: p, context: 'unknown', wordStart: false, arithmetic: false },
  );

  function wordStartAt(i: number, frame: Frame): boolean {
    if (
      i === frame.contentStart &&
      (frame.kind === 'top' || frame.kind === 'cmdsub' || frame.kind === 'backtick')
    )
      return true;
    const prev = text[i - 1];
    return prev === undefined || (WORD_BREAK.has(prev) && text[i - 2] !== '\\');
  }

  function lex(src: string, from: number, to: number, root: Frame): void {
    const stack: Frame[] = [root];
    const pending: { delim: string; quoted: boolean; stripTabs: boolean }[] = [];
    const push = (kind: FrameKind, at: number, len: number): void => {
      const top = stack[stack.length - 1]!;
      const ws =
        kind === 'double' || kind === 'single' || kind === 'ansi-c' ? quoteWordStart(at, top) : false;
      stack.push({ kind, depth: 0, contentStart: at + len, openedAtWordStart: ws, start: at });
    };
    const quoteWordStart = (at: number, top: Frame): boolean =>
      top.kind === 'double' || top.kind === 'heredoc' ? false : wordStartAt(at, top);
    let i = from;
    while (i < to) {
      const f = stack[stack.length - 1]!;
      const p = byStart.get(i);
      if (p) {
        const site = siteFor(p, f, i);
        sites.set(p, site);
        if (f.kind === 'cond') (f.sites ??= []).push(site);
        i += p.raw.length;
        continue;
      }
      const c = src[i]!;
      const next = src[i + 1];
      switch (f.kind) {
        case 'single':
          if (c === "'") stack.pop();
          i++;
          continue;
        case 'ansi-c':
          if (c === '\\') i += 2;
          else {
            if (c === "'") stack.pop();
            i++;
          }
          continue;
        case 'double':
        case 'heredoc':
          if (c === '\\') {
            i += 2;
            continue;
          }
          if (c === '"' && f.kind === 'double') {
            stack.pop();
            i++;
            continue;
          }
          if (openExpansion(i)) continue;
          i++;
          continue;
        case 'param':
          if (c === '\\') i += 2;
          else if (c === '}' && f.depth === 0) {
            stack.pop();
            i++;
          } else if (c === '{') {
            f.depth++;
            i++;
          } else if (c === '}') {
            f.depth--;
            i++;
          } else if (c === '"') {
            push('double', i, 1);
            i++;
          } else if (c === "'") {
            push('single', i, 1);
            i++;
          } else if (!openExpansion(i)) i++;
          continue;
        case 'arith':
        case 'arith-cmd':
          if (c === '(') {
            f.depth++;
            i++;
          } else if (c === ')' && f.depth === 0 && next === ')') {
            stack.pop();
            i += 2;
          } else if (c === ')') {
            f.depth--;
            i++;
          } else if (!openExpansion(i)) i++;
          continue;
        default:
          break;
      }
      // top, cmdsub, backtick, cond: unquoted shell text
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'") {
        push('single', i, 1);
        i++;
        continue;
      }
      if (c === '"') {
        push('double', i, 1);
        i++;
        continue;
      }
      if (c === '$' && next === "'") {
        push('ansi-c', i, 2);
        i += 2;
        continue;
      }
      if (c === '$' && next === '"') {
        push('double', i, 2);
        i += 2;
        continue;
      }
      if (c === '`' && f.kind === 'backtick') {
        stack.pop();
        i++;
        continue;
      }
      if (openExpansion(i)) continue;
      if (c === '#' && wordStartAt(i, f)) {
        const end = src.indexOf('\n', i);
        const stop = end < 0 || end > to ? to : end;
        for (const [at, ph] of byStart)
          if (at > i && at < stop)
            sites.set(ph, { placeholder: ph, context: 'comment', wordStart: false, arithmetic: false });
        i = stop;
        continue;
      }
      if (c === '(' && next === '(' && wordStartAt(i, f)) {
        push('arith-cmd', i, 2);
        i += 2;
        continue;
      }
      if (c === '[' && next === '[' && wordStartAt(i, f) && /\s/.test(src[i + 2] ?? '')) {
        push('cond', i, 2);
        i += 2;
        continue;
      }
      if (f.kind === 'cond' && c === ']' && next === ']' && /\s/.test(src[i - 1] ?? '')) {
        const body = src.slice(f.contentStart, i);
        if (ARITH_TEST.test(` ${body} `)) for (const s of f.sites ?? []) s.arithmetic = true;
        stack.pop();
        i += 2;
        continue;
      }
      if (c === '<' && next === '<') {
        if (src[i + 2] === '<')
          i += 3; // here-string: an ordinary word follows
        else i = readHeredocOperator(src, i + 2, to, pending);
        continue;
      }
      if (c === '(') {
        f.depth++;
        i++;
        continue;
      }
      if (c === ')') {
        if (f.kind === 'cmdsub' && f.depth === 0) stack.pop();
        else f.depth--;
        i++;
        continue;
      }
      if (c === '\n' && pending.length) {
        i = readHeredocBodies(src, i + 1, to, pending.splice(0));
        continue;
      }
      i++;
    }

    /** `$((`, `$(`, `${`, or a backtick at i: push a frame, return true. */
    function openExpansion(at: number): boolean {
      const c = src[at];
      if (c === '`') {
        push('backtick', at, 1);
        i = at + 1;
        return true;
      }
      if (c !== '$') return false;
      if (src.startsWith('((', at + 1)) {
        push('arith', at, 3);
        i = at + 3;
        return true;
      }
      if (src[at + 1] === '(') {
        push('cmdsub', at, 2);
        i = at + 2;
        return true;
      }
      if (src[at + 1] === '{') {
        push('param', at, 2);
        i = at + 2;
        return true;
      }
      return false;
    }
  }

  function readHeredocOperator(
    src: string,
    at: number,
    to: number,
    pending: { delim: string; quoted: boolean; stripTabs: boolean }[],
  ): number {
    let i = at;
    const stripTabs = src[i] === '-';
    if (stripTabs) i++;
    while (src[i] === ' ' || src[i] === '\t') i++;
    let delim = '';
    let quoted = false;
    while (i < to && !WORD_BREAK.has(src[i]!)) {
      const c = src[i]!;
      if (c === "'" || c === '"') {
        quoted = true;
        const end = src.indexOf(c, i + 1);
        const stop = end < 0 ? to : end;
        delim += src.slice(i + 1, stop);
        i = stop + 1;
      } else if (c === '\\') {
        quoted = true;
        delim += src[i + 1] ?? '';
        i += 2;
      } else {
        delim += c;
        i++;
      }
    }
    if (delim) pending.push({ delim, quoted, stripTabs });
    return i;
  }

  /** Bodies start after the operator's line; returns the offset after the last delimiter line. */
  function readHeredocBodies(
    src: string,
    at: number,
    to: number,
    docs: { delim: string; quoted: boolean; stripTabs: boolean }[],
  ): number {
    let pos = at;
    for (const doc of docs) {
      const bodyStart = pos;
      let bodyEnd = to;
      let after = to;
      while (pos < to) {
        const nl = src.indexOf('\n', pos);
        const lineEnd = nl < 0 || nl > to ? to : nl;
        let line = src.slice(pos, lineEnd);
        if (doc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === doc.delim) {
          bodyEnd = pos;
          after = Math.min(to, lineEnd + 1);
          break;
        }
        pos = lineEnd + 1;
      }
      if (doc.quoted) {
        for (const [start, ph] of byStart)
          if (start >= bodyStart && start < bodyEnd)
            sites.set(ph, {
              placeholder: ph,
              context: 'heredoc-quoted',
              wordStart: false,
              arithmetic: false,
            });
      } else if (bodyEnd > bodyStart) {
        lex(src, bodyStart, bodyEnd, {
          kind: 'heredoc',
          depth: 0,
          contentStart: bodyStart,
          openedAtWordStart: false,
          start: bodyStart,
        });
      }
      pos = after;
    }
    return pos;
  }

  function siteFor(p: Placeholder, f: Frame, at: number): PlaceholderSite {
    const quoteStart = at === f.contentStart && f.openedAtWordStart;
    switch (f.kind) {
      case 'top':
      case 'cmdsub':
      case 'backtick':
        return { placeholder: p, context: 'plain', wordStart: wordStartAt(at, f), arithmetic: false };
      case 'cond':
        return { placeholder: p, context: 'cond', wordStart: wordStartAt(at, f), arithmetic: false };
      case 'double':
        return { placeholder: p, context: 'double', wordStart: quoteStart, arithmetic: false };
      case 'single':
        return { placeholder: p, context: 'single', wordStart: quoteStart, arithmetic: false };
      case 'ansi-c':
        return { placeholder: p, context: 'ansi-c', wordStart: quoteStart, arithmetic: false };
      case 'heredoc':
        return { placeholder: p, context: 'heredoc', wordStart: false, arithmetic: false };
      case 'param':
        return { placeholder: p, context: 'param', wordStart: false, arithmetic: false };
      case 'arith':
      case 'arith-cmd':
        return { placeholder: p, context: 'arith', wordStart: false, arithmetic: true };
    }
  }
}

/** Placeholders that need a value: not in comments, and `$VAR` refs only where the shell expands them. */
export function placeholdersNeedingValues(text: string, placeholders: readonly Placeholder[]): Placeholder[] {
  return locatePlaceholders(text, placeholders)
    .filter((s) => needsValue(s))
    .map((s) => s.placeholder);
}

function needsValue(s: PlaceholderSite): boolean {
  if (s.context === 'comment') return false;
  if (s.placeholder.syntax === 'env')
    return !(s.context === 'single' || s.context === 'ansi-c' || s.context === 'heredoc-quoted');
  return true;
}

export interface ShellRewrite {
  /** The command to hand to the shell. */
  text: string;
  /** Environment variables carrying the values. */
  env: Record<string, string>;
}

/** Env var name that carries a placeholder's value. */
export function carrierName(p: Placeholder): string {
  return p.syntax === 'env' ? p.name : envNameFor(p.name);
}

/**
 * Rewrite `text` so every placeholder is an environment reference. `values` is keyed by
 * normalizeName(placeholder name). Throws PlaceholderError when a value is missing or would be
 * unsafe where it sits.
 */
export function rewriteShellCommand(
  text: string,
  placeholders: readonly Placeholder[],
  values: ReadonlyMap<string, string>,
): ShellRewrite {
  const sites = locatePlaceholders(text, placeholders).sort(
    (a, b) => a.placeholder.start - b.placeholder.start,
  );
  const env: Record<string, string> = {};
  let out = '';
  let pos = 0;
  for (const site of sites) {
    const p = site.placeholder;
    if (p.start < pos) continue; // overlapping placeholders: the first one wins
    out += text.slice(pos, p.start);
    pos = p.start + p.raw.length;
    if (!needsValue(site)) {
      out += p.raw;
      continue;
    }
    const value = values.get(normalizeName(p.name));
    if (value === undefined) throw new PlaceholderError(`no value for ${p.raw}`, p.name);
    checkValue(site, value);
    const name = carrierName(p);
    env[name] = value;
    const ref = `\${${name}}`;
    switch (site.context) {
      case 'plain':
      case 'cond':
        out += `"${ref}"`;
        break;
      case 'double':
      case 'heredoc':
      case 'arith':
        out += p.syntax === 'env' ? p.raw : ref;
        break;
      case 'single':
        out += `'"${ref}"'`;
        break;
      case 'ansi-c':
        out += `'"${ref}"$'`;
        break;
      default:
        throw new PlaceholderError(whyRefused(site), p.name);
    }
  }
  return { text: out + text.slice(pos), env };
}

function checkValue(site: PlaceholderSite, value: string): void {
  const p = site.placeholder;
  if (value.includes('\0'))
    throw new PlaceholderError(
      `${p.raw}: the value contains a NUL byte, which no command can receive`,
      p.name,
    );
  if (site.context === 'heredoc-quoted' || site.context === 'param' || site.context === 'unknown')
    throw new PlaceholderError(whyRefused(site), p.name);
  if ((site.context === 'arith' || site.arithmetic) && !/^[-+]?\d{1,18}$/.test(value))
    throw new PlaceholderError(
      `${p.raw} is used in an arithmetic expression, where bash would evaluate the value as code; only whole numbers are accepted there, got ${JSON.stringify(value)}`,
      p.name,
    );
  if (site.wordStart && value.startsWith('-'))
    throw new PlaceholderError(
      `${p.raw}: a value starting with "-" would be read as an option here; got ${JSON.stringify(value)}`,
      p.name,
    );
}

function whyRefused(site: PlaceholderSite): string {
  const raw = site.placeholder.raw;
  switch (site.context) {
    case 'heredoc-quoted':
      return `${raw} is inside a quoted heredoc (<<'EOF'), where nothing expands, so its value would have to be pasted into the text; use an unquoted delimiter (<<EOF) or read $${carrierName(site.placeholder)} from the environment`;
    case 'param':
      return `${raw} is inside a \${...} expansion; move it out (e.g. into a variable assigned just before)`;
    default:
      return `${raw} sits where the runner cannot tell how the shell would read it (after a backslash or in unusual syntax), so it is not filled in`;
  }
}

/** The command as a person should read it: values in place, shell-quoted when needed. */
export function displayCommand(
  text: string,
  placeholders: readonly Placeholder[],
  values: ReadonlyMap<string, string>,
): string {
  const sorted = [...placeholders].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const p of sorted) {
    if (p.start < pos || !text.startsWith(p.raw, p.start)) continue;
    const v = values.get(normalizeName(p.name));
    out += text.slice(pos, p.start) + (v === undefined ? p.raw : quoteForDisplay(v));
    pos = p.start + p.raw.length;
  }
  return out + text.slice(pos);
}

export function quoteForDisplay(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
