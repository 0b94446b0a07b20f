// Reading SQL text just enough to run it safely: placeholders become bind parameters ($1, $2, ...)
// instead of text, and statements are classified (EXPLAIN ANALYZE of a data-changing statement,
// other writes) outside strings and comments.
import type { Placeholder } from '../runbook/model';
import { normalizeName } from './placeholder-values';
import { PlaceholderError } from './shell-placeholders';

type SqlContext = 'code' | 'string' | 'escape-string' | 'identifier' | 'dollar' | 'comment';

interface Span {
  context: SqlContext;
  start: number;
  end: number;
}

/** Cut SQL into code / string / identifier / dollar-quoted / comment spans. */
function scan(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  let codeStart = 0;
  const push = (context: SqlContext, start: number, end: number): void => {
    if (codeStart < start) spans.push({ context: 'code', start: codeStart, end: start });
    spans.push({ context, start, end });
    codeStart = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    const n = text[i + 1];
    if (c === '-' && n === '-') {
      const e = text.indexOf('\n', i);
      push('comment', i, e < 0 ? text.length : e);
      i = e < 0 ? text.length : e;
    } else if (c === '/' && n === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text.startsWith('/*', j)) {
          depth++;
          j += 2;
        } else if (text.startsWith('*/', j)) {
          depth--;
          j += 2;
        } else j++;
      }
      push('comment', i, j);
      i = j;
    } else if (c === "'" || ((c === 'E' || c === 'e') && n === "'" && !/\w/.test(text[i - 1] ?? ''))) {
      const escape = c !== "'";
      let j = i + (escape ? 2 : 1);
      while (j < text.length) {
        if (escape && text[j] === '\\') j += 2;
        else if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      push(escape ? 'escape-string' : 'string', i, Math.min(j + 1, text.length));
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) j += text[j] === '"' ? 2 : 1;
      push('identifier', i, Math.min(j + 1, text.length));
      i = j + 1;
    } else if (c === '$' && !/\w/.test(text[i - 1] ?? '')) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (m) {
        const close = text.indexOf(m[0], i + m[0].length);
        const end = close < 0 ? text.length : close + m[0].length;
        push('dollar', i, end);
        i = end;
      } else i++;
    } else i++;
  }
  if (codeStart < text.length) spans.push({ context: 'code', start: codeStart, end: text.length });
  return spans;
}

/** The SQL with strings, identifiers and comments blanked out (same length), for keyword tests. */
function codeOnly(text: string): string {
  return scan(text)
    .map((s) => (s.context === 'code' ? text.slice(s.start, s.end) : ' '.repeat(s.end - s.start)))
    .join('');
}

/** Statements (code-only text, trimmed), split on `;` outside strings and comments. */
export function statements(text: string): string[] {
  return codeOnly(text)
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

const WRITE_START =
  /^(insert|update|delete|merge|truncate|drop|alter|create|grant|revoke|vacuum|reindex|cluster|refresh|comment|lock|copy\s+\S+\s+from|call|do|reset|discard|security|import|load|begin|start|commit|rollback|savepoint|release|prepare\s+transaction)\b/i;
const WRITE_FUNCTIONS =
  /\b(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|setval|nextval|pg_advisory_lock|lo_unlink|set_config|pg_switch_wal)\s*\(/i;
const DATA_CHANGING =
  /^(insert|update|delete|merge)\b|^with\b[\s\S]*\b(insert|update|delete|merge)\b|^select\b[\s\S]*\binto\b|^create\s+table\b[\s\S]*\bas\b/i;

export interface SqlClass {
  /** Every statement is EXPLAIN ANALYZE of something, at least one of which changes data. */
  explainAnalyzeWrite: boolean;
  /** Something changes data or state (and is not a rolled-back EXPLAIN ANALYZE). */
  write: boolean;
  statementCount: number;
}

/** EXPLAIN [(options)] [ANALYZE] [VERBOSE] ... -> { analyze, body } */
function explainParts(stmt: string): { analyze: boolean; body: string } | null {
  const m = /^explain\b\s*(\(([^)]*)\))?\s*((?:(?:analyze|analyse|verbose)\b\s*)*)([\s\S]*)$/i.exec(stmt);
  if (!m) return null;
  const opts = (m[2] ?? '').toLowerCase();
  const analyzeOpt = /\banaly[sz]e\b(?!\s+(false|off|0))/.test(opts);
  const analyzeWord = /\banaly[sz]e\b/i.test(m[3] ?? '');
  return { analyze: analyzeOpt || analyzeWord, body: m[4]!.trim() };
}

export function classifySql(text: string): SqlClass {
  const stmts = statements(text);
  let explainWrite = 0;
  let allExplain = stmts.length > 0;
  let write = false;
  for (const s of stmts) {
    const ex = explainParts(s);
    if (ex) {
      if (ex.analyze && DATA_CHANGING.test(ex.body)) explainWrite++;
      else if (ex.analyze && WRITE_FUNCTIONS.test(ex.body)) write = true;
      continue;
    }
    allExplain = false;
    if (WRITE_START.test(s) || DATA_CHANGING.test(s) || WRITE_FUNCTIONS.test(s) || /^set\b/i.test(s))
      write = true;
  }
  const explainAnalyzeWrite = allExplain && explainWrite > 0 && !write;
  return {
    explainAnalyzeWrite,
    write: write || (explainWrite > 0 && !explainAnalyzeWrite),
    statementCount: stmts.length,
  };
}

export interface SqlRewrite {
  text: string;
  params: string[];
}

/**
 * Placeholders become bind parameters: `pid = <pid>` -> `pid = $1`, and a string literal holding
 * placeholders (`'%<name>%'`) becomes one parameter with the literal's text filled in. Refused:
 * placeholders in identifiers, E'' or dollar-quoted strings, and in multi-statement text (bind
 * parameters need a single statement).
 */
export function rewriteSqlPlaceholders(
  text: string,
  placeholders: readonly Placeholder[],
  values: ReadonlyMap<string, string>,
): SqlRewrite {
  const valid = placeholders.filter((p) => text.startsWith(p.raw, p.start)).sort((a, b) => a.start - b.start);
  const spans = scan(text);
  const spanAt = (pos: number): Span => spans.find((s) => s.start <= pos && pos < s.end)!;
  const live = valid.filter((p) => spanAt(p.start).context !== 'comment');
  if (!live.length) return { text, params: [] };
  if (statements(text).length > 1)
    throw new PlaceholderError(
      `a query with placeholders (${live[0]!.raw}) must be a single statement, so its values can be sent as parameters`,
      live[0]!.name,
    );
  const params: string[] = [];
  const index = new Map<string, number>();
  const valueOf = (p: Placeholder): string => {
    const v = values.get(normalizeName(p.name));
    if (v === undefined) throw new PlaceholderError(`no value for ${p.raw}`, p.name);
    if (v.includes('\0')) throw new PlaceholderError(`${p.raw}: the value contains a NUL byte`, p.name);
    return v;
  };
  const param = (key: string, value: string): string => {
    let n = index.get(key);
    if (n === undefined) {
      params.push(value);
      n = params.length;
      index.set(key, n);
    }
    return `$${n}`;
  };
  let out = '';
  let pos = 0;
  for (const span of spans) {
    const inside = live.filter((p) => p.start >= span.start && p.start < span.end);
    if (!inside.length) continue;
    if (span.context === 'code') {
      for (const p of inside) {
        out += text.slice(pos, p.start) + param(normalizeName(p.name), valueOf(p));
        pos = p.start + p.raw.length;
      }
    } else if (span.context === 'string') {
      // The whole literal becomes one parameter holding its text with the values in place.
      let content = '';
      let at = span.start + 1;
      for (const p of inside) {
        content += text.slice(at, p.start) + valueOf(p);
        at = p.start + p.raw.length;
      }
      content += text.slice(at, span.end - 1);
      out += text.slice(pos, span.start) + param(`literal@${span.start}`, content.replace(/''/g, "'"));
      pos = span.end;
    } else {
      const p = inside[0]!;
      const where =
        span.context === 'identifier'
          ? 'a quoted identifier'
          : span.context === 'dollar'
            ? 'a dollar-quoted string'
            : "an E'' string";
      throw new PlaceholderError(
        `${p.raw} is inside ${where}, where it cannot be sent as a parameter`,
        p.name,
      );
    }
  }
  return { text: out + text.slice(pos), params };
}
