// A shell lexer with just enough of POSIX sh / bash to cut a code block into commands (quotes,
// continuations, heredocs, compound commands spanning lines), to tell which words are commands
// (for effects), and which `$VAR`s the shell would expand (single quotes and quoted heredocs do not).
// It never fails: unclosed constructs run to the end and are reported in `problem`.

export interface VarRef {
  readonly name: string;
  /** Offsets of the whole `$NAME` / `${NAME...}` in the lexed text. */
  readonly start: number;
  readonly end: number;
}

export interface WordToken {
  readonly kind: 'word';
  readonly start: number;
  readonly end: number;
  /** The word after quote removal; expansions are kept as written. */
  readonly value: string;
  readonly quoted: boolean;
  /** At a command position (where `if`, `for`, a command name or an assignment can appear). */
  readonly cmdPos: boolean;
  /** Token lists of `$(...)`, backquotes and `<(...)` inside the word. */
  readonly subs: readonly Token[][];
  readonly vars: readonly VarRef[];
}

export interface OpToken {
  readonly kind: 'op';
  /** `;` `&&` `||` `|` `|&` `&` `(` `)` `;;` `;&` `;;&` or `\n`. */
  readonly op: string;
  readonly start: number;
  readonly end: number;
  /** For `\n`: open compound commands and parentheses after this line (0 = the line completes). */
  readonly depth: number;
}

export interface RedirToken {
  readonly kind: 'redir';
  /** Operator with its fd prefix, e.g. `>`, `2>`, `>>`, `<<`, `<<-`, `<<<`, `&>`, `>&`. */
  readonly op: string;
  readonly start: number;
  readonly end: number;
}

export interface HeredocToken {
  readonly kind: 'heredoc';
  /** From the first body line to the end of the delimiter line (without its newline). */
  readonly start: number;
  readonly end: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** Unquoted delimiter: `$VAR` and `$(...)` in the body are expanded. */
  readonly expand: boolean;
  readonly vars: readonly VarRef[];
  readonly subs: readonly Token[][];
  readonly closed: boolean;
}

export interface CommentToken {
  readonly kind: 'comment';
  readonly start: number;
  readonly end: number;
}

export type Token = WordToken | OpToken | RedirToken | HeredocToken | CommentToken;

export interface LexResult {
  readonly tokens: Token[];
  /** False when the text ends inside a quote, heredoc, `$(`, compound command or after `|`/`&&`/`\`. */
  readonly complete: boolean;
  /** The first unclosed construct, for a diagnostic. */
  readonly problem?: string;
}

const MAX_DEPTH = 24;
const REDIR_OPS = ['<<<', '<<-', '<<', '<>', '<&', '>>', '>|', '>&', '<', '>'];
const SP = 32;
const TAB = 9;
const NL = 10;
const CR = 13;
const HASH = 35;
const DOLLAR = 36;
const AMP = 38;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const SEMI = 59;
const LT = 60;
const GT = 62;
const BSLASH = 92;
const BTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;
const DQUOTE = 34;

/** `<pid>`, `<pod-name>`: an author's placeholder, not a redirection. */
export const ANGLE_PLACEHOLDER = /<([A-Za-z][A-Za-z0-9_.-]*)>/y;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

interface Pending {
  delimiter: string;
  expand: boolean;
  stripTabs: boolean;
}

// Most words have no substitution or variable: they share these (never pushed to) empty arrays.
const NO_SUBS: Token[][] = [];
const NO_VARS: VarRef[] = [];

function addVar(acc: WordAcc, v: VarRef): void {
  if (acc.vars === NO_VARS) acc.vars = [];
  acc.vars.push(v);
}

interface WordAcc {
  value: string;
  quoted: boolean;
  subs: Token[][];
  vars: VarRef[];
}

type Closer = 'paren' | 'backtick' | null;

export function lexShell(text: string): LexResult {
  const lexer = new Lexer(text);
  const r = lexer.list(0, null, 0);
  const last = lastSignificant(r.tokens);
  const trailingOp = last?.kind === 'op' && (last.op === '|' || last.op === '&&' || last.op === '||');
  const trailingSlash = /\\\n?$/.test(text) && !/\\\\\n?$/.test(text);
  const complete = !lexer.problem && r.depth === 0 && !r.pendingHeredoc && !trailingOp && !trailingSlash;
  return {
    tokens: r.tokens,
    complete,
    ...(lexer.problem
      ? { problem: lexer.problem }
      : r.depth > 0
        ? { problem: 'a compound command or parenthesis is not closed' }
        : {}),
  };
}

function lastSignificant(tokens: readonly Token[]): Token | undefined {
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k]!;
    if (t.kind === 'comment' || (t.kind === 'op' && t.op === '\n')) continue;
    return t;
  }
  return undefined;
}

class Lexer {
  problem: string | undefined;
  private i = 0;
  constructor(private readonly src: string) {}

  private fail(what: string): void {
    this.problem ??= what;
  }

  list(
    from: number,
    closer: Closer,
    depth: number,
  ): { tokens: Token[]; depth: number; pendingHeredoc: boolean } {
    const src = this.src;
    const n = src.length;
    const tokens: Token[] = [];
    const pending: Pending[] = [];
    let block = 0;
    let paren = 0;
    let cmdPos = true;
    this.i = from;
    while (this.i < n) {
      const i = this.i;
      const c = src.charCodeAt(i);
      if (c === SP || c === TAB || c === CR) {
        this.i++;
        continue;
      }
      if (c === BSLASH && src.charCodeAt(i + 1) === NL) {
        this.i += 2;
        continue;
      }
      if (c === NL) {
        tokens.push({ kind: 'op', op: '\n', start: i, end: i + 1, depth: block + paren });
        this.i++;
        if (pending.length) this.heredocs(pending.splice(0), tokens, depth);
        cmdPos = true;
        continue;
      }
      if (c === HASH) {
        const e = eol(src, i);
        tokens.push({ kind: 'comment', start: i, end: e });
        this.i = e;
        continue;
      }
      if (closer === 'backtick' && c === BTICK) {
        this.i++;
        return { tokens, depth: block + paren, pendingHeredoc: pending.length > 0 };
      }
      if (c === RPAREN) {
        if (closer === 'paren' && paren === 0) {
          this.i++;
          return { tokens, depth: block, pendingHeredoc: pending.length > 0 };
        }
        if (paren > 0) paren--;
        tokens.push(op(')', i, 1));
        this.i++;
        cmdPos = false;
        continue;
      }
      if (c === LPAREN) {
        paren++;
        tokens.push(op('(', i, 1));
        this.i++;
        cmdPos = true;
        continue;
      }
      if (c === SEMI) {
        const o = src.startsWith(';;&', i)
          ? ';;&'
          : src.startsWith(';;', i)
            ? ';;'
            : src.startsWith(';&', i)
              ? ';&'
              : ';';
        tokens.push(op(o, i, o.length));
        this.i += o.length;
        cmdPos = true;
        continue;
      }
      if (c === PIPE) {
        const o = src.startsWith('||', i) ? '||' : src.startsWith('|&', i) ? '|&' : '|';
        tokens.push(op(o, i, o.length));
        this.i += o.length;
        cmdPos = true;
        continue;
      }
      if (c === AMP) {
        if (src.startsWith('&&', i)) {
          tokens.push(op('&&', i, 2));
          this.i += 2;
          cmdPos = true;
          continue;
        }
        if (src.charCodeAt(i + 1) === GT) {
          const o = src.startsWith('&>>', i) ? '&>>' : '&>';
          tokens.push({ kind: 'redir', op: o, start: i, end: i + o.length });
          this.i += o.length;
          continue;
        }
        tokens.push(op('&', i, 1));
        this.i++;
        cmdPos = true;
        continue;
      }
      if ((c === LT || c === GT) && !this.startsWordAt(i)) {
        this.redirection(i, '', tokens, pending, closer, depth);
        continue;
      }
      const w = this.word(i, closer, depth);
      if (this.i === i) {
        // Defensive: never loop without progress on a character no branch above consumed.
        this.i++;
        continue;
      }
      // `2>&1`, `2>/dev/null`: digits glued to a redirection are its fd, not a word.
      if (this.i < n && !w.quoted && isDigits(w.value)) {
        const next = src.charCodeAt(this.i);
        if ((next === LT || next === GT) && !this.startsWordAt(this.i)) {
          this.redirection(this.i, w.value, tokens, pending, closer, depth, i);
          continue;
        }
      }
      const token: WordToken = {
        kind: 'word',
        start: i,
        end: this.i,
        value: w.value,
        quoted: w.quoted,
        cmdPos,
        subs: w.subs,
        vars: w.vars,
      };
      tokens.push(token);
      if (w.quoted) {
        cmdPos = false;
        continue;
      }
      if (w.value === '{') {
        block++;
        cmdPos = true;
        continue;
      }
      if (w.value === '}') {
        if (block > 0) block--;
        cmdPos = false;
        continue;
      }
      if (!cmdPos) continue;
      switch (w.value) {
        case 'if':
        case 'while':
        case 'until':
          block++;
          break;
        case 'for':
        case 'select':
        case 'case':
          block++;
          cmdPos = false;
          break;
        case 'then':
        case 'do':
        case 'else':
        case 'elif':
        case '!':
        case 'time':
          break;
        case 'fi':
        case 'done':
        case 'esac':
          if (block > 0) block--;
          cmdPos = false;
          break;
        default:
          cmdPos = ASSIGNMENT.test(w.value);
      }
    }
    if (closer === 'paren') this.fail('`$(` is not closed');
    if (closer === 'backtick') this.fail('a backquote is not closed');
    return { tokens, depth: block + paren, pendingHeredoc: pending.length > 0 };
  }

  /** `<(cmd)`, `>(cmd)` and `<pid>` start words; any other `<` / `>` is a redirection. */
  private startsWordAt(i: number): boolean {
    const src = this.src;
    if (src.charCodeAt(i + 1) === LPAREN) return true;
    if (src.charCodeAt(i) !== LT || src.charCodeAt(i - 1) === LT) return false;
    ANGLE_PLACEHOLDER.lastIndex = i;
    return ANGLE_PLACEHOLDER.test(src);
  }

  private redirection(
    i: number,
    fd: string,
    tokens: Token[],
    pending: Pending[],
    closer: Closer,
    depth: number,
    start = i,
  ): void {
    const src = this.src;
    const o = REDIR_OPS.find((x) => src.startsWith(x, i)) ?? src[i]!;
    tokens.push({ kind: 'redir', op: fd + o, start, end: i + o.length });
    this.i = i + o.length;
    if (o !== '<<' && o !== '<<-') return;
    while (this.i < src.length && (src.charCodeAt(this.i) === SP || src.charCodeAt(this.i) === TAB)) this.i++;
    const at = this.i;
    if (at >= src.length || src.charCodeAt(at) === NL) {
      this.fail('a heredoc has no delimiter');
      return;
    }
    const w = this.word(at, closer, depth);
    tokens.push({
      kind: 'word',
      start: at,
      end: this.i,
      value: w.value,
      quoted: w.quoted,
      cmdPos: false,
      subs: w.subs,
      vars: w.vars,
    });
    pending.push({ delimiter: w.value, expand: !w.quoted, stripTabs: o === '<<-' });
  }

  /** Reads heredoc bodies after a newline; leaves `i` on the newline that ends the last delimiter line. */
  private heredocs(list: Pending[], tokens: Token[], depth: number): void {
    const src = this.src;
    const n = src.length;
    for (let k = 0; k < list.length; k++) {
      const p = list[k]!;
      const bodyStart = this.i;
      let at = bodyStart;
      let closed = false;
      let bodyEnd = n;
      let end = n;
      while (at < n) {
        const e = eol(src, at);
        let line = src.slice(at, e);
        if (p.stripTabs) line = line.replace(/^\t+/, '');
        if (line.trimEnd() === p.delimiter) {
          closed = true;
          bodyEnd = at;
          end = e;
          break;
        }
        at = e + 1;
      }
      if (!closed) this.fail(`the heredoc ending with "${p.delimiter}" is not closed`);
      const acc: WordAcc = { value: '', quoted: false, subs: NO_SUBS, vars: NO_VARS };
      if (p.expand) this.expansions(bodyStart, bodyEnd, acc, depth);
      tokens.push({
        kind: 'heredoc',
        start: bodyStart,
        end,
        bodyStart,
        bodyEnd,
        expand: p.expand,
        vars: acc.vars,
        subs: acc.subs,
        closed,
      });
      const last = k === list.length - 1;
      this.i = end >= n ? n : last ? end : end + 1;
    }
  }

  /** `$VAR` / `$(...)` inside an expanding heredoc body. */
  private expansions(from: number, to: number, acc: WordAcc, depth: number): void {
    const src = this.src;
    let i = from;
    while (i < to) {
      const c = src.charCodeAt(i);
      if (c === BSLASH) i += 2;
      else if (c === DOLLAR) i = this.dollar(i, acc, depth);
      else i++;
    }
  }

  private word(from: number, closer: Closer, depth: number): WordAcc {
    const src = this.src;
    const n = src.length;
    const acc: WordAcc = { value: '', quoted: false, subs: NO_SUBS, vars: NO_VARS };
    let i = from;
    // Start of the pending run of plain characters, appended to `value` in one slice.
    let lit = i;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (
        (c >= 97 && c <= 122) ||
        (c >= 64 && c <= 90) ||
        (c >= 43 && c <= 58 && c !== 44) ||
        c === 95 ||
        c === 61
      ) {
        // Letters, digits, `@ + - . / : = _`: the common case, nothing to decide.
        i++;
        continue;
      }
      if (c === PIPE || (closer === 'backtick' && c === BTICK)) break;
      if (c === BTICK) {
        if (i > lit) acc.value += src.slice(lit, i);
        lit = i;
        i = this.sub(i + 1, 'backtick', depth, acc);
        acc.value += src.slice(lit, i);
        lit = i;
        continue;
      }
      if (c === SP || c === TAB || c === NL || c === CR || c === SEMI || c === AMP || c === RPAREN) break;
      if (c === LPAREN) {
        // `arr=(a b)` keeps its list in the word; any other `(` ends it.
        if (src.charCodeAt(i - 1) === 61 /* = */ && i > from) {
          if (i > lit) acc.value += src.slice(lit, i);
          const e = matchParen(src, i + 1);
          acc.value += src.slice(i, e);
          i = lit = e;
          continue;
        }
        break;
      }
      if (c === LT || c === GT) {
        if (src.charCodeAt(i + 1) === LPAREN) {
          if (i > lit) acc.value += src.slice(lit, i);
          lit = i;
          i = this.sub(i + 2, 'paren', depth, acc);
          acc.value += src.slice(lit, i);
          lit = i;
          continue;
        }
        if (c === LT && src.charCodeAt(i - 1) !== LT) {
          ANGLE_PLACEHOLDER.lastIndex = i;
          if (ANGLE_PLACEHOLDER.test(src)) {
            i = ANGLE_PLACEHOLDER.lastIndex;
            continue;
          }
        }
        break;
      }
      if (c === BSLASH) {
        if (i > lit) acc.value += src.slice(lit, i);
        if (src.charCodeAt(i + 1) !== NL) acc.value += src[i + 1] ?? '';
        i += 2;
        lit = i;
        continue;
      }
      if (c === SQUOTE) {
        if (i > lit) acc.value += src.slice(lit, i);
        acc.quoted = true;
        let e = src.indexOf("'", i + 1);
        if (e < 0) {
          this.fail('a single quote is not closed');
          e = n;
        }
        acc.value += src.slice(i + 1, e);
        i = lit = Math.min(n, e + 1);
        continue;
      }
      if (c === DQUOTE) {
        if (i > lit) acc.value += src.slice(lit, i);
        acc.quoted = true;
        i = lit = this.double(i + 1, acc, depth);
        continue;
      }
      if (c === DOLLAR) {
        if (i > lit) acc.value += src.slice(lit, i);
        const next = src.charCodeAt(i + 1);
        if (next === SQUOTE) {
          acc.quoted = true;
          const e = ansiEnd(src, i + 2);
          if (e > n) this.fail("a $'...' string is not closed");
          acc.value += src.slice(i + 2, Math.min(e - 1, n));
          i = lit = Math.min(e, n);
          continue;
        }
        if (next === DQUOTE) {
          acc.quoted = true;
          i = lit = this.double(i + 2, acc, depth);
          continue;
        }
        const e = this.dollar(i, acc, depth);
        acc.value += src.slice(i, e);
        i = lit = e;
        continue;
      }
      i++;
    }
    if (i > lit) acc.value += src.slice(lit, i);
    this.i = i;
    return acc;
  }

  /** Inside `"..."`; returns the offset after the closing quote. */
  private double(from: number, acc: WordAcc, depth: number): number {
    const src = this.src;
    const n = src.length;
    let i = from;
    let lit = i;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === DQUOTE) {
        acc.value += src.slice(lit, i);
        return i + 1;
      }
      if (c === BSLASH) {
        acc.value += src.slice(lit, i);
        const next = src[i + 1] ?? '';
        acc.value += '$`"\\\n'.includes(next) ? (next === '\n' ? '' : next) : `\\${next}`;
        i += 2;
        lit = i;
        continue;
      }
      if (c === DOLLAR || c === BTICK) {
        acc.value += src.slice(lit, i);
        const e = c === BTICK ? this.sub(i + 1, 'backtick', depth, acc) : this.dollar(i, acc, depth);
        acc.value += src.slice(i, e);
        i = lit = e;
        continue;
      }
      i++;
    }
    this.fail('a double quote is not closed');
    acc.value += src.slice(lit, n);
    return n;
  }

  /** At `$`: records variables and command substitutions; returns the offset after the expansion. */
  private dollar(i: number, acc: WordAcc, depth: number): number {
    const src = this.src;
    const next = src.charCodeAt(i + 1);
    if (next === LPAREN) {
      if (src.charCodeAt(i + 2) === LPAREN) return matchParen(src, i + 2); // $(( arithmetic ))
      return this.sub(i + 2, 'paren', depth, acc);
    }
    if (next === LBRACE) {
      const e = matchBrace(src, i + 2);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?=$|[}:#%/^,@[?+=-])/.exec(src.slice(i + 2, Math.min(e, i + 200)));
      if (m) addVar(acc, { name: m[1]!, start: i, end: e });
      return e;
    }
    if (NAME_START.test(src[i + 1] ?? '')) {
      let e = i + 2;
      while (e < src.length && NAME_CHAR.test(src[e]!)) e++;
      addVar(acc, { name: src.slice(i + 1, e), start: i, end: e });
      return e;
    }
    if ('0123456789?$!#@*-'.includes(src[i + 1] ?? ' ') && i + 1 < src.length) return i + 2;
    return i + 1;
  }

  /** A nested command list (`$(`, `<(`, backquote) from `from`; returns the offset after its closer. */
  private sub(from: number, closer: 'paren' | 'backtick', depth: number, acc: WordAcc): number {
    const src = this.src;
    if (depth >= MAX_DEPTH) {
      // Too deep to be a real command: skip it without recursing further.
      if (closer === 'backtick') {
        const e = src.indexOf('`', from);
        return e < 0 ? src.length : e + 1;
      }
      return matchParen(src, from);
    }
    const saved = this.i;
    const r = this.list(from, closer, depth + 1);
    if (acc.subs === NO_SUBS) acc.subs = [];
    acc.subs.push(r.tokens);
    const end = this.i;
    this.i = saved;
    return end;
  }
}

function isDigits(s: string): boolean {
  if (!s) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function op(o: string, start: number, len: number): OpToken {
  return { kind: 'op', op: o, start, end: start + len, depth: 0 };
}

function eol(src: string, i: number): number {
  const e = src.indexOf('\n', i);
  return e < 0 ? src.length : e;
}

/** Offset after the `)` matching an already-open `(` (quotes respected), or the end. */
function matchParen(src: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === BSLASH) i += 2;
    else if (c === SQUOTE) {
      const e = src.indexOf("'", i + 1);
      i = e < 0 ? src.length : e + 1;
    } else if (c === DQUOTE) {
      i = skipDouble(src, i + 1);
    } else {
      if (c === LPAREN) depth++;
      else if (c === RPAREN && --depth === 0) return i + 1;
      i++;
    }
  }
  return src.length;
}

/** Offset after the `}` closing a `${`. */
function matchBrace(src: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === BSLASH) i += 2;
    else if (c === SQUOTE) {
      const e = src.indexOf("'", i + 1);
      i = e < 0 ? src.length : e + 1;
    } else if (c === DQUOTE) i = skipDouble(src, i + 1);
    else {
      if (c === LBRACE) depth++;
      else if (c === RBRACE && --depth === 0) return i + 1;
      else if (c === NL) return i;
      i++;
    }
  }
  return src.length;
}

function skipDouble(src: string, from: number): number {
  let i = from;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === BSLASH) i += 2;
    else if (c === DQUOTE) return i + 1;
    else i++;
  }
  return src.length;
}

/** Offset after the closing quote of `$'...'` (backslash escapes); past the end when unclosed. */
function ansiEnd(src: string, from: number): number {
  let i = from;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === BSLASH) i += 2;
    else if (c === SQUOTE) return i + 1;
    else i++;
  }
  return src.length + 1;
}

/** Names a command assigns, so `$NAME` later in the same block is not asked for. */
export function assignedNames(tokens: readonly Token[], out: Set<string>): void {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'word') continue;
    for (const s of t.subs) assignedNames(s, out);
    if (!t.cmdPos) continue;
    const m = ASSIGNMENT.exec(t.value);
    if (m) {
      out.add(t.value.slice(0, t.value.search(/[[+=]/)));
      continue;
    }
    const v = t.value;
    if (v === 'for' || v === 'select') {
      const next = tokens[k + 1];
      if (next?.kind === 'word') out.add(next.value);
    } else if (
      v === 'read' ||
      v === 'export' ||
      v === 'local' ||
      v === 'declare' ||
      v === 'typeset' ||
      v === 'readonly' ||
      v === 'mapfile' ||
      v === 'readarray'
    ) {
      for (let j = k + 1; j < tokens.length; j++) {
        const a = tokens[j]!;
        if (a.kind !== 'word') break;
        if (a.value.startsWith('-')) {
          // read's options that take a value (the value is not a variable name).
          if (v === 'read' && /^-[ptndu]$/.test(a.value)) j++;
          continue;
        }
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(a.value)?.[0];
        if (name) out.add(name);
      }
    }
  }
}
