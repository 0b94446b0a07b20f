// Author annotations, written so GitHub still renders the runbook as plain Markdown:
//   <!-- runbook: id=check-mem timeout=30s confirm expect="gpu.memory.used_pct < 95" -->
//   ```bash {id=check-mem timeout=30 lang=bash}
//   # runbook: id=dump-heap confirm        (inside a shell block: annotates the commands below it)
//   -- runbook: timeout=2m                 (inside a SQL block)
// Keys: id, title, timeout (30, 30s, 500ms, 2m, 1h), cwd, confirm (bare, or =true/false), expect
// (repeatable; interpreted by src/core/check), lang / language, effect (read|write), skip. Any other
// key is kept in `extra`. A bad value is a diagnostic, never an exception.
import type { Effect, StepAnnotations } from './model';

export interface ParsedAnnotations {
  readonly annotations: StepAnnotations;
  /** `skip`: the block or list item is not a step. */
  readonly skip: boolean;
  readonly problems: readonly string[];
}

export const EMPTY_ANNOTATIONS: ParsedAnnotations = { annotations: {}, skip: false, problems: [] };

const COMMENT = /^<!--\s*runbook\s*:([\s\S]*?)(-->)?\s*$/i;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** The annotation text of an HTML comment block, or undefined when it is another comment. */
export function annotationComment(html: string): { text: string; closed: boolean } | undefined {
  const m = COMMENT.exec(html.trim());
  if (!m) return undefined;
  return { text: m[1]!.trim(), closed: m[2] !== undefined };
}

/** Splits a fence info string into its language and `{...}` attributes. */
export function splitInfo(info: string): { language: string | null; attributes: string | null } {
  const s = info.trim();
  if (!s) return { language: null, attributes: null };
  const brace = s.indexOf('{');
  const close = s.lastIndexOf('}');
  const attributes = brace >= 0 && close > brace ? s.slice(brace + 1, close).trim() : null;
  let language: string | null = (brace >= 0 ? s.slice(0, brace) : s).trim().split(/\s+/)[0] ?? '';
  if (!language && attributes) language = /(?:^|\s)\.([A-Za-z0-9_+-]+)/.exec(attributes)?.[1] ?? null;
  return { language: language ? language.toLowerCase() : null, attributes };
}

interface Pair {
  key: string;
  value: string | null;
}

function tokenize(text: string, problems: string[]): Pair[] {
  const pairs: Pair[] = [];
  let i = 0;
  const n = Math.min(text.length, 4096);
  if (text.length > n) problems.push('annotation longer than 4096 characters: the rest is ignored');
  while (i < n) {
    while (i < n && /[\s,]/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    if (text[i] === '#' || text[i] === '.') {
      // Pandoc-style `{#id .class}`.
      const sigil = text[i];
      i++;
      const s = i;
      while (i < n && !/[\s,]/.test(text[i]!)) i++;
      pairs.push({ key: sigil === '#' ? 'id' : 'class', value: text.slice(s, i) });
      continue;
    }
    while (i < n && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
    const key = text.slice(start, i).toLowerCase();
    if (!key) {
      const e = text.slice(i).search(/[\s,]/);
      const junk = e < 0 ? text.slice(i, n) : text.slice(i, i + e);
      problems.push(`unexpected "${junk}" in annotation`);
      i = e < 0 ? n : i + e;
      continue;
    }
    if (text[i] !== '=') {
      pairs.push({ key, value: null });
      continue;
    }
    i++;
    const q = text[i];
    if (q === '"' || q === "'") {
      let value = '';
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '\\' && (text[i + 1] === q || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (c === q) {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) problems.push(`the quoted value of "${key}" is not closed`);
      pairs.push({ key, value });
      continue;
    }
    const s = i;
    while (i < n && !/[\s,]/.test(text[i]!)) i++;
    pairs.push({ key, value: text.slice(s, i) });
  }
  return pairs;
}

/** `30`, `30s`, `500ms`, `2m`, `1h`, `1m30s` -> seconds. */
export function parseDuration(value: string): number | undefined {
  const s = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ms|s|sec|secs|m|min|mins|h|hr|hrs)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const n = Number(m[1]);
    const unit = m[2]!;
    total += unit === 'ms' ? n / 1000 : unit.startsWith('h') ? n * 3600 : unit.startsWith('m') ? n * 60 : n;
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : undefined;
}

function bool(value: string | null): boolean | undefined {
  if (value === null) return true;
  const v = value.toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  return undefined;
}

export function parseAnnotations(text: string): ParsedAnnotations {
  const problems: string[] = [];
  const a: StepAnnotations = {};
  let skip = false;
  for (const { key, value } of tokenize(text, problems)) {
    switch (key) {
      case 'id':
        if (value && ID.test(value)) a.id = value;
        else
          problems.push(
            `id "${value ?? ''}" must start with a letter or digit and use only letters, digits, . _ : / -`,
          );
        break;
      case 'title':
        if (value?.trim()) a.title = value.trim();
        else problems.push('title needs a value: title="..."');
        break;
      case 'timeout': {
        const secs = value === null ? undefined : parseDuration(value);
        if (secs !== undefined && secs > 0) a.timeoutSeconds = secs;
        else problems.push(`timeout "${value ?? ''}" is not a duration (30, 30s, 500ms, 2m, 1h)`);
        break;
      }
      case 'cwd':
        if (value?.trim()) a.cwd = value;
        else problems.push('cwd needs a value: cwd=/path');
        break;
      case 'confirm': {
        const b = bool(value);
        if (b === undefined) problems.push(`confirm "${value}" is not true or false`);
        else a.confirm = b;
        break;
      }
      case 'expect':
        if (value?.trim()) (a.expect ??= []).push(value.trim());
        else problems.push('expect needs a value: expect="..."');
        break;
      case 'lang':
      case 'language':
        if (value?.trim()) a.language = value.trim().toLowerCase();
        else problems.push(`${key} needs a value: ${key}=bash`);
        break;
      case 'effect':
        if (value === 'read' || value === 'write') a.effect = value as Effect;
        else problems.push(`effect "${value ?? ''}" must be read or write`);
        break;
      case 'skip': {
        const b = bool(value);
        if (b === undefined) problems.push(`skip "${value}" is not true or false`);
        else skip = b;
        break;
      }
      case 'class':
        break;
      default:
        (a.extra ??= {})[key] = value ?? 'true';
    }
  }
  return { annotations: a, skip, problems };
}

/** `later` wins for single values; `expect` and `extra` accumulate. */
export function mergeAnnotations(earlier: ParsedAnnotations, later: ParsedAnnotations): ParsedAnnotations {
  const a: StepAnnotations = { ...earlier.annotations, ...later.annotations };
  const expect = [...(earlier.annotations.expect ?? []), ...(later.annotations.expect ?? [])];
  if (expect.length) a.expect = expect;
  else delete a.expect;
  if (earlier.annotations.extra || later.annotations.extra)
    a.extra = { ...earlier.annotations.extra, ...later.annotations.extra };
  return {
    annotations: a,
    skip: earlier.skip || later.skip,
    problems: [...earlier.problems, ...later.problems],
  };
}
