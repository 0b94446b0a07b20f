// The expectation language runbook authors write in `expect=` annotations (StepAnnotations.expect).
//
//   expect      := statement (';' statement)*
//   statement   := subject condition (',' condition)*      e.g. p95 > 2s: warning, > 5s: critical
//                | path ':' 'off'                          turn a default check off
//                | 'defaults' ':' 'off'                    turn every default check off
//   subject     := path | aggregate '(' path ')'           aggregate: any all max min avg sum count
//   condition   := op value [':' level]                    level: warning (default) | critical
//   op          := > >= < <= == != ~ | in | not in          ~ is "contains", case-insensitive
//   value       := number[unit] | word | "quoted text" | '(' value (',' value)* ')'   (after in)
//   unit        := % | B KB MB GB KiB MiB GiB Ki Mi Gi ... | ns us ms s m min h d | m (millicores) | x | W C MHz
//
// Paths name a recognizer's figures (`gpu.memory.used_pct`, `pods.restarts`). Without an aggregate a
// condition holds when ANY row crosses it. Units are checked against the figure's dimension when the
// rule is evaluated (a size limit on a percentage is reported, not guessed at).

export type Aggregate = 'any' | 'all' | 'max' | 'min' | 'avg' | 'sum' | 'count';
export type Op = '>' | '>=' | '<' | '<=' | '==' | '!=' | '~' | 'in' | 'not in';
export type CheckLevel = 'warning' | 'critical';

export type Value =
  | { readonly kind: 'number'; readonly number: number; readonly unit: string; readonly text: string }
  | { readonly kind: 'text'; readonly text: string };

export interface Condition {
  readonly op: Op;
  /** One value, or several after `in` / `not in`. */
  readonly values: readonly Value[];
  readonly level: CheckLevel;
}

export interface Rule {
  /** The statement as written, for messages. */
  readonly source: string;
  readonly aggregate: Aggregate;
  /** True when the author wrote the aggregate (any(...)), false when implied. */
  readonly explicitAggregate: boolean;
  readonly path: string;
  readonly conditions: readonly Condition[];
}

export interface ExpectDiagnostic {
  /** Index of the expect string in the list. */
  readonly index: number;
  /** 1-based column in that string. */
  readonly column: number;
  readonly message: string;
}

export interface ParsedExpect {
  readonly rules: Rule[];
  /** Paths whose default checks are off; `*` for all. */
  readonly off: string[];
  readonly diagnostics: ExpectDiagnostic[];
}

const AGGREGATES: readonly Aggregate[] = ['any', 'all', 'max', 'min', 'avg', 'sum', 'count'];
const LEVEL_WORDS: Record<string, CheckLevel> = {
  warning: 'warning',
  warn: 'warning',
  critical: 'critical',
  crit: 'critical',
};

type TokKind = 'word' | 'number' | 'string' | 'op' | 'punct' | 'end';
interface Tok {
  kind: TokKind;
  text: string;
  /** number tokens: value and unit */
  number?: number;
  unit?: string;
  start: number;
}

class SyntaxProblem extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest);
    if (num && (!/^[+-]/.test(num[0]) || prevAllowsSign(toks))) {
      const n = num;
      const after = /^(%|[A-Za-zµ°]+)/.exec(rest.slice(n[0].length));
      const unit = after?.[0] ?? '';
      toks.push({ kind: 'number', text: n[0] + unit, number: Number(n[0]), unit, start: i });
      i += n[0].length + unit.length;
      continue;
    }
    const op = /^(>=|<=|==|!=|=|>|<|~)/.exec(rest);
    if (op) {
      toks.push({ kind: 'op', text: op[0] === '=' ? '==' : op[0], start: i });
      i += op[0].length;
      continue;
    }
    if ('(),:;'.includes(ch)) {
      toks.push({ kind: 'punct', text: ch, start: i });
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = src.indexOf(ch, i + 1);
      if (end < 0) throw new SyntaxProblem(i + 1, `unclosed quote ${ch}`);
      toks.push({ kind: 'string', text: src.slice(i + 1, end), start: i });
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_][\w.\-/:]*[\w]|^[A-Za-z_]/.exec(rest);
    if (word) {
      // A word may not swallow the ':' that introduces a level (`restarts > 0: warning`).
      let w = word[0];
      const colon = w.indexOf(':');
      if (colon >= 0 && /^(warning|warn|critical|crit|off)\b/.test(src.slice(i + colon + 1).trimStart()))
        w = w.slice(0, colon);
      toks.push({ kind: 'word', text: w, start: i });
      i += w.length;
      continue;
    }
    throw new SyntaxProblem(i + 1, `unexpected character '${ch}'`);
  }
  toks.push({ kind: 'end', text: '', start: src.length });
  return toks;
}

function prevAllowsSign(toks: Tok[]): boolean {
  const p = toks[toks.length - 1];
  return !p || p.kind === 'op' || (p.kind === 'punct' && p.text !== ')');
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  private peek(offset = 0): Tok {
    return this.toks[Math.min(this.pos + offset, this.toks.length - 1)] as Tok;
  }
  private next(): Tok {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private fail(t: Tok, message: string): never {
    throw new SyntaxProblem(t.start + 1, message);
  }
  private describe(t: Tok): string {
    return t.kind === 'end' ? 'the end' : `'${t.text}'`;
  }
  private expectPunct(p: string, what: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p)
      this.fail(t, `expected '${p}' ${what}, found ${this.describe(t)}`);
  }

  /** statement, up to ';' or end. */
  statement(): { rule?: Rule; off?: string } {
    const first = this.peek();
    if (first.kind !== 'word')
      this.fail(first, `expected a figure such as pods.restarts, found ${this.describe(first)}`);
    // path: off / defaults: off
    if (this.peek(1).kind === 'punct' && this.peek(1).text === ':') {
      const path = this.next().text;
      this.next();
      const w = this.next();
      if (w.kind !== 'word' || w.text !== 'off')
        this.fail(
          w,
          `after '${path}:' only 'off' is allowed (to turn its default checks off); a condition needs a comparison such as ${path} > 90%`,
        );
      return { off: path === 'defaults' ? '*' : path };
    }
    let aggregate: Aggregate = 'any';
    let explicitAggregate = false;
    let path: string;
    if (
      AGGREGATES.includes(first.text as Aggregate) &&
      this.peek(1).kind === 'punct' &&
      this.peek(1).text === '('
    ) {
      aggregate = this.next().text as Aggregate;
      explicitAggregate = true;
      this.next();
      const p = this.next();
      if (p.kind !== 'word')
        this.fail(p, `expected a figure inside ${aggregate}( ), found ${this.describe(p)}`);
      path = p.text;
      this.expectPunct(')', `to close ${aggregate}(`);
    } else {
      path = this.next().text;
      if (this.peek().kind === 'punct' && this.peek().text === '(')
        this.fail(first, `unknown aggregate '${first.text}': use one of ${AGGREGATES.join(', ')}`);
    }
    if (!/^[A-Za-z_]\w*(\.\w+)*$/.test(path))
      this.fail(first, `'${path}' is not a figure name (letters, digits, _ and dots)`);
    const conditions: Condition[] = [this.condition(path)];
    while (this.peek().kind === 'punct' && this.peek().text === ',') {
      this.next();
      conditions.push(this.condition(path));
    }
    const start = first.start;
    const endTok = this.peek();
    const source = this.src.slice(start, endTok.start).trim();
    return { rule: { source, aggregate, explicitAggregate, path, conditions } };
  }

  private condition(path: string): Condition {
    const t = this.next();
    let op: Op;
    if (t.kind === 'op') op = t.text as Op;
    else if (t.kind === 'word' && t.text === 'in') op = 'in';
    else if (
      t.kind === 'word' &&
      t.text === 'not' &&
      this.peek().kind === 'word' &&
      this.peek().text === 'in'
    ) {
      this.next();
      op = 'not in';
    } else
      this.fail(t, `expected a comparison (> >= < <= == != ~ in) after ${path}, found ${this.describe(t)}`);
    const values: Value[] = [];
    if (op === 'in' || op === 'not in') {
      this.expectPunct('(', `after '${op}' (write ${op} (A, B))`);
      values.push(this.value(op));
      while (this.peek().kind === 'punct' && this.peek().text === ',') {
        this.next();
        values.push(this.value(op));
      }
      this.expectPunct(')', `to close the list after '${op}'`);
    } else {
      values.push(this.value(op));
    }
    let level: CheckLevel = 'warning';
    if (this.peek().kind === 'punct' && this.peek().text === ':') {
      this.next();
      const l = this.next();
      const lv = l.kind === 'word' ? LEVEL_WORDS[l.text.toLowerCase()] : undefined;
      if (!lv) this.fail(l, `expected a level (warning or critical) after ':', found ${this.describe(l)}`);
      level = lv;
    }
    const after = this.peek();
    if (!(after.kind === 'end' || (after.kind === 'punct' && (after.text === ',' || after.text === ';'))))
      this.fail(
        after,
        `unexpected ${this.describe(after)}: separate conditions with ',' and checks with ';'`,
      );
    return { op, values, level };
  }

  private value(op: string): Value {
    const t = this.next();
    if (t.kind === 'number')
      return { kind: 'number', number: t.number as number, unit: t.unit ?? '', text: t.text };
    if (t.kind === 'word' || t.kind === 'string') return { kind: 'text', text: t.text };
    return this.fail(t, `expected a value after '${op}', found ${this.describe(t)}`);
  }

  atStatementEnd(): boolean {
    const t = this.peek();
    if (t.kind === 'end') return true;
    if (t.kind === 'punct' && t.text === ';') {
      this.next();
      return false;
    }
    return this.fail(t, `unexpected ${this.describe(t)}: separate checks with ';'`);
  }
  done(): boolean {
    return this.peek().kind === 'end';
  }
}

/** Parses every expect string; problems become diagnostics with a column, never exceptions. */
export function parseExpect(expect: readonly string[] | undefined): ParsedExpect {
  const rules: Rule[] = [];
  const off: string[] = [];
  const diagnostics: ExpectDiagnostic[] = [];
  (expect ?? []).forEach((src, index) => {
    if (src.length > 4000) {
      diagnostics.push({ index, column: 1, message: 'expectation longer than 4000 characters' });
      return;
    }
    try {
      const toks = tokenize(src);
      const p = new Parser(toks, src);
      while (!p.done()) {
        const s = p.statement();
        if (s.rule) rules.push(s.rule);
        if (s.off) off.push(s.off);
        if (p.atStatementEnd()) break;
      }
    } catch (e) {
      if (e instanceof SyntaxProblem) diagnostics.push({ index, column: e.column, message: e.message });
      else throw e;
    }
  });
  return { rules, off, diagnostics };
}

/** `expect "…": at 12: message` — one line per diagnostic, for the CLI and hovers. */
export function formatExpectDiagnostic(expect: readonly string[], d: ExpectDiagnostic): string {
  return `expect "${expect[d.index] ?? ''}": column ${d.column}: ${d.message}`;
}
