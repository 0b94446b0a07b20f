// Cuts the body of a SQL code block into statements, grouped into steps by comment lines, like
// shell blocks: a `--` (or `/* */`) comment on its own line between statements titles the statements
// after it. Semicolons inside strings, quoted identifiers, dollar-quoted bodies and comments do not
// split. psql meta-commands (`\dt`, `\x`) are one command per line. A statement without `;` ends at
// a blank line followed by a comment or another statement (runbooks often omit the last `;`).
import { LineCounter } from './text';
import { commentTitle, type BlockProblem } from './shell-block';

export interface SqlStatement {
  readonly text: string;
  /** 0-based line in the block. */
  readonly line: number;
  readonly endLine: number;
}

export interface SqlGroup {
  title?: string;
  line: number;
  annotation?: { text: string; line: number };
  commands: SqlStatement[];
}

const STATEMENT_START =
  /^\s*(?:--|\/\*|\\|\(|(?:select|with|insert|update|delete|merge|create|drop|alter|explain|show|set|reset|vacuum|analy[sz]e|truncate|grant|revoke|begin|start|commit|rollback|end|abort|copy|reindex|cluster|refresh|call|do|lock|table|values|comment|checkpoint|prepare|execute|deallocate|discard|listen|notify|load|use|describe|desc|kill|optimize|repair|flush|savepoint|release)\b)/i;
const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;
const ANNOTATION = /^(?:--+|\/\*+)\s*runbook:\s*(.*?)\s*(?:\*\/)?$/i;

export function splitSql(content: string): { groups: SqlGroup[]; problems: BlockProblem[] } {
  const src = content;
  const n = src.length;
  const groups: SqlGroup[] = [];
  const problems: BlockProblem[] = [];
  let group: SqlGroup | undefined;
  let pendingAnnotation: { text: string; line: number } | undefined;
  let lastCommentLine = -2;

  const lines = new LineCounter(src);
  const lineOf = (offset: number): number => lines.lineOf(offset);

  const push = (start: number, end: number): void => {
    const text = src.slice(start, end).trim();
    if (!text) return;
    const line = lineOf(start);
    let endLine = line;
    for (let k = src.indexOf('\n', start); k >= 0 && k < start + text.length; k = src.indexOf('\n', k + 1))
      endLine++;
    if (!group || (pendingAnnotation && group.commands.length > 0)) {
      group = { line, commands: [] };
      groups.push(group);
    }
    if (pendingAnnotation) group.annotation = pendingAnnotation;
    pendingAnnotation = undefined;
    group.commands.push({ text, line, endLine });
  };

  const comment = (start: number, end: number): void => {
    const atLineStart = /^[ \t]*$/.test(src.slice(src.lastIndexOf('\n', start - 1) + 1, start));
    if (!atLineStart) return;
    const line = lineOf(start);
    const raw = src.slice(start, end).trim();
    const ann = ANNOTATION.exec(raw);
    if (ann) {
      pendingAnnotation = { text: ann[1] ?? '', line };
      lastCommentLine = -2;
      return;
    }
    const firstLine = raw.startsWith('/*')
      ? (raw
          .replace(/^\/\*+|\*+\/$/g, '')
          .split('\n')
          .map((l) => l.replace(/^\s*\*?\s*/, ''))
          .find((l) => l.trim()) ?? '')
      : raw;
    const title = commentTitle(firstLine);
    if (!title) return;
    if (line === lastCommentLine + 1) {
      lastCommentLine = line;
      return;
    }
    lastCommentLine = line + countNl(raw);
    if (group && group.commands.length === 0) {
      group.title = title;
      group.line = line;
    } else {
      group = { title, line, commands: [] };
      if (pendingAnnotation) group.annotation = pendingAnnotation;
      pendingAnnotation = undefined;
      groups.push(group);
    }
  };

  const fail = (at: number, what: string): void => {
    problems.push({ line: lineOf(at), message: `${what}: the rest of the block is read as one statement` });
  };

  let i = 0;
  while (i < n) {
    // Between statements.
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (src.startsWith('--', i)) {
      const e = eol(src, i);
      comment(i, e);
      i = e;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const e = skipBlockComment(src, i);
      if (e > n) {
        fail(i, 'a /* comment is not closed');
        break;
      }
      comment(i, e);
      i = e;
      continue;
    }
    if (c === '\\') {
      // psql meta-command: the rest of the line.
      const e = eol(src, i);
      push(i, e);
      i = e;
      continue;
    }
    if (c === ';') {
      i++;
      continue;
    }
    // A statement.
    const start = i;
    let depth = 0;
    let end = -1;
    while (i < n) {
      const ch = src[i]!;
      if (ch === "'") {
        const escapes = /[Ee]/.test(src[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(src[i - 2] ?? '');
        const e = skipString(src, i + 1, escapes);
        if (e > n) {
          fail(i, 'a string is not closed');
          i = n;
          break;
        }
        i = e;
        continue;
      }
      if (ch === '"') {
        const e = skipQuotedIdent(src, i + 1);
        if (e > n) {
          fail(i, 'a quoted identifier is not closed');
          i = n;
          break;
        }
        i = e;
        continue;
      }
      if (ch === '$' && !/[A-Za-z0-9_]/.test(src[i - 1] ?? '')) {
        DOLLAR_TAG.lastIndex = i;
        const m = DOLLAR_TAG.exec(src);
        if (m) {
          const close = src.indexOf(m[0], i + m[0].length);
          if (close < 0) {
            fail(i, `the ${m[0]} body is not closed`);
            i = n;
            break;
          }
          i = close + m[0].length;
          continue;
        }
      }
      if (src.startsWith('--', i)) {
        i = eol(src, i);
        continue;
      }
      if (src.startsWith('/*', i)) {
        const e = skipBlockComment(src, i);
        if (e > n) {
          fail(i, 'a /* comment is not closed');
          i = n;
          break;
        }
        i = e;
        continue;
      }
      if (ch === '(') depth++;
      else if (ch === ')') depth = Math.max(0, depth - 1);
      else if (ch === ';') {
        end = i + 1;
        i++;
        break;
      } else if (
        ch === '\\' &&
        /\s/.test(src[i - 1] ?? ' ') &&
        /^\\(g|gx|gset|gexec|watch|crosstabview)\b/.test(src.slice(i, i + 16))
      ) {
        // `SELECT ... \gx` ends the statement (psql).
        end = eol(src, i);
        i = end;
        break;
      } else if (ch === '\n' && depth === 0) {
        const next = blankLineThenStatement(src, i);
        if (next.split >= 0) {
          end = i;
          i = next.split;
          break;
        }
        i = next.resume;
        continue;
      }
      i++;
    }
    push(start, end < 0 ? i : end);
  }
  return { groups: groups.filter((g) => g.commands.length > 0), problems };
}

/**
 * At a newline inside a statement: `split` when one or more blank lines follow and then a comment or
 * a statement keyword (the offset of that line); else -1. `resume` is where scanning may continue
 * (after the blank lines), so runs of blank lines are looked at once.
 */
function blankLineThenStatement(src: string, nl: number): { split: number; resume: number } {
  let i = nl + 1;
  let blank = false;
  while (i < src.length) {
    const e = eol(src, i);
    if (!isBlank(src, i, e))
      return { split: blank && STATEMENT_START.test(src.slice(i, Math.min(e, i + 200))) ? i : -1, resume: i };
    blank = true;
    i = e + 1;
  }
  return { split: -1, resume: src.length };
}

function isBlank(src: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = src.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function eol(src: string, i: number): number {
  const e = src.indexOf('\n', i);
  return e < 0 ? src.length : e;
}

function countNl(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** After a `/* ... *\/` comment (PostgreSQL nests them); past the end when unclosed. */
export function skipBlockComment(src: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < src.length) {
    if (src.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (src.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return src.length + 1;
}

/** After the closing quote of a string opened before `from`; past the end when unclosed. */
export function skipString(src: string, from: number, backslashEscapes: boolean): number {
  let i = from;
  while (i < src.length) {
    const c = src[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === "'") {
      if (src[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return src.length + 1;
}

function skipQuotedIdent(src: string, from: number): number {
  let i = from;
  while (i < src.length) {
    if (src[i] === '"') {
      if (src[i + 1] === '"') i += 2;
      else return i + 1;
    } else i++;
  }
  return src.length + 1;
}
