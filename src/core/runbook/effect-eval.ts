// Applies the rules of effects.ts to commands: cuts shell commands into simple commands (pipelines,
// lists, `$(...)`), sees through wrappers, hands embedded SQL to the SQL rules, and combines:
// write if any part is write.
import type { Effect } from './model';
import {
  EFFECT_RULES,
  VALUE_FLAGS,
  type EffectRule,
  type Inner,
  type ShellCall,
  type SqlCall,
  type SqlRule,
  type ShellRule,
} from './effects';
import { lexShell, type HeredocToken, type Token, type WordToken } from './shell-lex';
import { skipBlockComment } from './sql-block';

export interface Verdict {
  readonly effect: Effect;
  /** Id of the deciding rule in EFFECT_RULES. */
  readonly rule: string;
  readonly reason: string;
  /** Every write part came from a default (unknown command, arbitrary code): an author may say read. */
  readonly overridable: boolean;
}

const MAX_DEPTH = 8;
const SHELL_RULES = EFFECT_RULES.filter((r): r is ShellRule => r.domain === 'shell');
const SQL_RULES = EFFECT_RULES.filter((r): r is SqlRule => r.domain === 'sql');
const RULES_BY_ID = new Map<string, EffectRule>(EFFECT_RULES.map((r) => [r.id, r]));

/** Shell rules by tool name, in table order (RegExp tools are checked for every command). */
const BY_TOOL = new Map<string, ShellRule[]>();
const PATTERN_RULES: ShellRule[] = [];
for (const r of SHELL_RULES) {
  if (!r.tools) continue;
  if (r.tools instanceof RegExp) PATTERN_RULES.push(r);
  else
    for (const t of r.tools) {
      const list = BY_TOOL.get(t) ?? [];
      list.push(r);
      BY_TOOL.set(t, list);
    }
}

function verdictOf(id: string, label: string, detail?: string): Verdict {
  const r = RULES_BY_ID.get(id)!;
  const effect: Effect = r.effect === 'inner' ? 'write' : r.effect;
  return {
    effect,
    rule: id,
    reason: `${label ? `${label}: ` : ''}${detail ?? r.reason}`,
    overridable: r.overridable === true,
  };
}

function combine(parts: readonly Verdict[], fallback: Verdict): Verdict {
  const writes = parts.filter((p) => p.effect === 'write');
  if (writes.length) return { ...writes[0]!, overridable: writes.every((w) => w.overridable) };
  return parts[0] ?? fallback;
}

// ---------------------------------------------------------------------------------------------------
// Shell

/** The effect of one shell command, from its tokens (as cut by the block splitter). */
export function shellVerdict(tokens: readonly Token[], blockText: string): Verdict {
  const parts: Verdict[] = [];
  evalTokens(tokens, blockText, 0, parts);
  return combine(parts, verdictOf('no-op', ''));
}

/** The effect of a shell command given as text. */
export function shellTextVerdict(text: string): Verdict {
  return shellVerdict(lexShell(text).tokens, text);
}

interface Simple {
  words: WordToken[];
  redirs: { op: string; target?: WordToken }[];
  stdin?: string;
  awaitingHeredoc: number;
}

const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'while',
  'until',
  '!',
  '{',
  '}',
  'time',
  'esac',
  'in',
]);
const CLAUSES = new Set(['for', 'select', 'case', 'function']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
const HARMLESS_TARGET = /^(\/dev\/(null|stdout|stderr|tty|fd\/\d+)|&?\d+|-)$/;

function evalTokens(tokens: readonly Token[], src: string, depth: number, out: Verdict[]): void {
  if (depth > MAX_DEPTH) {
    out.push(verdictOf('too-deep', ''));
    return;
  }
  const simples: Simple[] = [];
  const awaiting: Simple[] = [];
  let cur: Simple = { words: [], redirs: [], awaitingHeredoc: 0 };
  const flush = (): void => {
    if (cur.words.length || cur.redirs.length) simples.push(cur);
    cur = { words: [], redirs: [], awaitingHeredoc: 0 };
  };
  let redirPending: { op: string; target?: WordToken } | undefined;
  for (const t of tokens) {
    switch (t.kind) {
      case 'comment':
        break;
      case 'op':
        redirPending = undefined;
        flush();
        break;
      case 'redir': {
        const r: { op: string; target?: WordToken } = { op: t.op };
        cur.redirs.push(r);
        redirPending = r;
        if (t.op.endsWith('<<') || t.op.endsWith('<<-')) {
          cur.awaitingHeredoc++;
          awaiting.push(cur);
        }
        break;
      }
      case 'heredoc': {
        const owner = awaiting.shift();
        if (owner) owner.stdin = (owner.stdin ?? '') + src.slice(t.bodyStart, t.bodyEnd);
        for (const s of (t as HeredocToken).subs) evalTokens(s, src, depth + 1, out);
        break;
      }
      case 'word':
        for (const s of t.subs) evalTokens(s, src, depth + 1, out);
        if (redirPending) {
          redirPending.target = t;
          if (redirPending.op.endsWith('<<<')) cur.stdin = t.value;
          redirPending = undefined;
        } else cur.words.push(t);
        break;
    }
  }
  flush();
  for (const s of simples) evalSimple(s, depth, out);
}

function evalSimple(s: Simple, depth: number, out: Verdict[]): void {
  for (const r of s.redirs) {
    if (!/^(\d*(>|>>|>\|)|&>>?)$/.test(r.op)) continue;
    const target = r.target?.value ?? '';
    if (HARMLESS_TARGET.test(target)) continue;
    out.push(
      verdictOf(
        'output-redirection',
        `${r.op} ${target}`,
        `writes ${target || 'a file'} (output redirection)`,
      ),
    );
  }
  let words = s.words;
  let k = 0;
  while (k < words.length && !words[k]!.quoted && KEYWORDS.has(words[k]!.value)) k++;
  if (k < words.length && !words[k]!.quoted && CLAUSES.has(words[k]!.value)) return; // `for x in ...`
  let assignments = 0;
  while (k < words.length && ASSIGNMENT.test(words[k]!.value)) {
    k++;
    assignments++;
  }
  words = words.slice(k);
  if (!words.length) {
    if (assignments) out.push(verdictOf('assignment-only', ''));
    return;
  }
  evalArgv(
    words.map((w) => w.value),
    s.stdin,
    depth,
    out,
  );
}

/** A command's arguments as rules see them. A class (not closures) because it is built per command. */
class Call implements ShellCall {
  readonly positional: string[] = [];
  readonly stdin?: string;
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    stdin: string | undefined,
  ) {
    if (stdin !== undefined) this.stdin = stdin;
    const valueFlags = VALUE_FLAGS[tool];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        for (let j = i + 1; j < args.length; j++) this.positional.push(args[j]!);
        break;
      }
      if (a.length > 1 && a.charCodeAt(0) === 45 /* - */) {
        if (valueFlags?.includes(a)) i++;
        continue;
      }
      this.positional.push(a);
    }
  }

  has(...flags: string[]): boolean {
    for (const a of this.args)
      for (const f of flags)
        if (a === f || (f.startsWith('--') && a.startsWith(f) && a[f.length] === '=')) return true;
    return false;
  }

  hasShort(letter: string): boolean {
    for (const a of this.args) {
      if (a.length < 2 || a[0] !== '-' || a[1] === '-') continue;
      for (let k = 1; k < a.length; k++) {
        const ch = a[k]!;
        if (!/[A-Za-z]/.test(ch)) break;
        if (ch === letter) return true;
      }
    }
    return false;
  }

  values(...flags: string[]): string[] {
    const out: string[] = [];
    const args = this.args;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      for (const f of flags) {
        if (a === f && args[i + 1] !== undefined) out.push(args[i + 1]!);
        else if (f.startsWith('--') && a.startsWith(`${f}=`)) out.push(a.slice(f.length + 1));
        else if (
          !f.startsWith('--') &&
          f.length === 2 &&
          a.length > 2 &&
          a.startsWith(f) &&
          !a.startsWith('--')
        )
          out.push(a.slice(2));
      }
    }
    return out;
  }
}

function labelOf(call: ShellCall): string {
  const s = call.positional[0];
  return s && /^[A-Za-z][\w.:-]{0,30}$/.test(s) ? `${call.tool} ${s}` : call.tool;
}

function evalArgv(argv: readonly string[], stdin: string | undefined, depth: number, out: Verdict[]): void {
  if (depth > MAX_DEPTH) {
    out.push(verdictOf('too-deep', ''));
    return;
  }
  const cmd = argv[0] ?? '';
  const tool = cmd.includes('/') ? cmd.slice(cmd.lastIndexOf('/') + 1) : cmd;
  const call = new Call(tool, argv.slice(1), stdin);
  const candidates = BY_TOOL.get(tool) ?? [];
  let rule: ShellRule | undefined;
  for (const r of candidates) {
    if (!r.when || r.when(call)) {
      rule = r;
      break;
    }
  }
  if (!rule) rule = PATTERN_RULES.find((r) => (r.tools as RegExp).test(tool) && (!r.when || r.when(call)));
  const label = labelOf(call);
  if (!rule) {
    out.push(verdictOf('unknown-command', label));
    return;
  }
  if (rule.effect !== 'inner') {
    out.push({
      effect: rule.effect,
      rule: rule.id,
      reason: `${label}: ${rule.reason}`,
      overridable: rule.overridable === true,
    });
    return;
  }
  const inner = rule.inner?.(call) ?? [];
  if (!inner.length) {
    out.push(verdictOf('wrapper-without-command', label));
    return;
  }
  for (const i of inner) evalInner(i, depth + 1, out);
}

function evalInner(i: Inner, depth: number, out: Verdict[]): void {
  if (i.kind === 'argv') evalArgv(i.argv, i.stdin, depth, out);
  else if (i.kind === 'shell') evalTokens(lexShell(i.text).tokens, i.text, depth, out);
  else for (const stmt of splitStatementsLoosely(i.text)) out.push(evalSql(stmt, depth));
}

// ---------------------------------------------------------------------------------------------------
// SQL

/** The effect of one SQL statement or psql meta-command. */
export function sqlVerdict(text: string): Verdict {
  return evalSql(text, 0);
}

function evalSql(text: string, depth: number): Verdict {
  if (depth > MAX_DEPTH) return verdictOf('too-deep', '');
  const call = analyzeSql(text);
  const rule = SQL_RULES.find((r) => !r.when || r.when(call))!;
  const label = call.meta ? `\\${call.meta.name}` : sqlLabel(call);
  if (rule.effect !== 'inner') {
    return {
      effect: rule.effect,
      rule: rule.id,
      reason: `${label}: ${rule.reason}`,
      overridable: rule.overridable === true,
    };
  }
  const parts: Verdict[] = [];
  for (const i of rule.inner?.(call) ?? []) evalInner(i, depth + 1, parts);
  const inner = combine(parts, verdictOf('no-op', label));
  if (rule.id === 'sql-explain-analyze')
    return {
      ...inner,
      rule: inner.effect === 'write' ? inner.rule : rule.id,
      reason:
        inner.effect === 'write'
          ? `EXPLAIN ANALYZE runs the statement, and ${inner.reason}`
          : `EXPLAIN ANALYZE runs the statement (${inner.reason})`,
    };
  return inner;
}

function sqlLabel(call: SqlCall): string {
  const w = call.words.filter((x) => x !== '(');
  const a = w[0] ?? '';
  const b = w[1] ?? '';
  if (/^[A-Z]+$/.test(b) && ['CREATE', 'DROP', 'ALTER', 'EXPLAIN', 'REFRESH', 'START', 'SET'].includes(a))
    return `${a} ${b}`;
  return a;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** Words, punctuation and called functions of a statement, outside strings and comments. */
export function analyzeSql(text: string): SqlCall {
  const trimmed = text.trimStart();
  const lead = text.length - trimmed.length;
  if (trimmed.startsWith('\\')) {
    const m = /^\\(\S+)\s*([\s\S]*)$/.exec(trimmed)!;
    return { text, words: [], offsets: [], funcs: new Set(), meta: { name: m[1]!, args: m[2] ?? '' } };
  }
  const words: string[] = [];
  const offsets: number[] = [];
  const funcs = new Set<string>();
  let i = lead;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = Math.min(n, skipBlockComment(text, i));
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      while (j < n && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
      words.push("'");
      offsets.push(i);
      i = j + 1;
      continue;
    }
    if (c === '"') {
      const e = text.indexOf('"', i + 1);
      words.push('"');
      offsets.push(i);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (m) {
        const e = text.indexOf(m[0], i + m[0].length);
        i = e < 0 ? n : e + m[0].length;
        continue;
      }
    }
    WORD.lastIndex = i;
    const m = WORD.exec(text);
    if (m) {
      words.push(m[0].toUpperCase());
      offsets.push(i);
      i += m[0].length;
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n')) j++;
      if (text[j] === '(') funcs.add(m[0].toLowerCase());
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9.]/.test(text[j]!)) j++;
      words.push(text.slice(i, j));
      offsets.push(i);
      i = j;
      continue;
    }
    words.push(c);
    offsets.push(i);
    i++;
  }
  return { text, words, offsets, funcs };
}

/** Statements of SQL given to a client (`psql -c`, a heredoc): split on `;` outside strings. */
function splitStatementsLoosely(text: string): string[] {
  const out: string[] = [];
  const call = analyzeSql(text);
  if (call.meta) return [text];
  let start = 0;
  for (let k = 0; k < call.words.length; k++) {
    if (call.words[k] !== ';') continue;
    const end = call.offsets[k]! + 1;
    if (text.slice(start, end).trim() !== ';') out.push(text.slice(start, end));
    start = end;
  }
  const rest = text.slice(start);
  if (rest.trim()) out.push(rest);
  // psql meta-commands on their own lines inside a heredoc.
  return out.flatMap((s) => {
    const lines = s.split('\n');
    const meta = lines.filter((l) => l.trimStart().startsWith('\\'));
    if (!meta.length) return [s];
    const sql = lines.filter((l) => !l.trimStart().startsWith('\\')).join('\n');
    return [...meta, ...(sql.trim() ? [sql] : [])];
  });
}

// ---------------------------------------------------------------------------------------------------
// Scripts

export function scriptVerdict(language: string): Verdict {
  return verdictOf('script-code', language);
}
