// Placeholders: the values an author left for the reader to fill in, per kind of command.
//
//   `<pid>`, `<pod-name>`   angle    a name in angle brackets, no spaces. Not `<<EOF`, `< file`,
//                                    `a < b`, `<>` or HTML tags (`<br>`, `<title>`).
//   `{{namespace}}`         mustache a bare name. Not Go/Helm templates: `{{.Container}}`, `{{ .Values.x }}`,
//                                    `{{json .}}`.
//   `${VAR}`, `$VAR`        env      shell: only where the shell expands them (not in single quotes or
//                                    quoted heredocs), never specials (`$1`, `$?`, `$$`), never variables
//                                    the block assigns itself (`for pod in ...`, `PID=$(...)`) or the
//                                    shell provides (`$HOME`).
// SQL: `<name>`, `{{name}}` and `${NAME}` (not `$1` parameters, not `$$` bodies, not bare `$name`).
// Scripts (python, node, ...): `<name>` and `{{name}}` only (`${x}` is a JS template expression), and
// `<name>` not glued to an identifier (`List<String>` is a type).
import type { Placeholder } from './model';
import type { Token } from './shell-lex';

const ANGLE = /<([A-Za-z][A-Za-z0-9_.-]*)>/g;
const MUSTACHE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
const BRACED_ENV = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+=-][^}\n]*)?\}/g;

const HTML_TAGS = new Set(
  (
    'a abbr b body br code div em footer h1 h2 h3 h4 h5 h6 head header hr html i img input li link meta ol ' +
    'option p pre script select small span strong style sub sup table tbody td th thead title tr u ul xml svg'
  ).split(' '),
);

/** Variables every shell provides: using them asks nothing of the reader. */
const SHELL_PROVIDED = new Set(
  (
    'HOME PATH PWD OLDPWD USER LOGNAME SHELL HOSTNAME HOSTTYPE OSTYPE MACHTYPE UID EUID PPID RANDOM SECONDS ' +
    'LINENO BASHPID BASH BASH_VERSION BASH_SOURCE BASH_REMATCH FUNCNAME IFS PS1 PS2 PS4 TERM LANG LC_ALL ' +
    'TMPDIR SHLVL REPLY OPTARG OPTIND PIPESTATUS COLUMNS LINES EPOCHSECONDS EPOCHREALTIME GROUPS HISTFILE'
  ).split(' '),
);

type Range = readonly [number, number];

function inRanges(at: number, ranges: readonly Range[]): boolean {
  for (const [s, e] of ranges) if (at >= s && at < e) return true;
  return false;
}

function textual(
  text: string,
  skip: readonly Range[],
  out: Placeholder[],
  angleGlued: boolean,
  mustache = true,
): void {
  if (text.indexOf('<') >= 0) {
    ANGLE.lastIndex = 0;
    for (let m = ANGLE.exec(text); m; m = ANGLE.exec(text)) {
      const at = m.index;
      const before = text[at - 1] ?? '';
      if (before === '<') continue;
      if (!angleGlued && /[A-Za-z0-9_]/.test(before)) continue;
      if (HTML_TAGS.has(m[1]!.toLowerCase())) continue;
      if (inRanges(at, skip)) continue;
      out.push({ name: m[1]!, syntax: 'angle', raw: m[0], start: at });
    }
  }
  if (mustache && text.indexOf('{{') >= 0) {
    MUSTACHE.lastIndex = 0;
    for (let m = MUSTACHE.exec(text); m; m = MUSTACHE.exec(text)) {
      if (inRanges(m.index, skip)) continue;
      out.push({ name: m[1]!, syntax: 'mustache', raw: m[0], start: m.index });
    }
  }
}

function sorted(out: Placeholder[]): Placeholder[] {
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Placeholders of one shell command. `tokens` are the command's tokens with offsets relative to the
 * lexed text; `base` is where `text` starts in it. `assigned` holds the variables the block sets.
 */
export function shellPlaceholders(
  text: string,
  tokens: readonly Token[],
  base: number,
  assigned: ReadonlySet<string>,
): Placeholder[] {
  const out: Placeholder[] = [];
  const comments: Range[] = [];
  let env: Placeholder[] | undefined;
  const visit = (list: readonly Token[]): void => {
    for (const t of list) {
      if (t.kind === 'comment') comments.push([t.start - base, t.end - base]);
      else if (t.kind === 'word' || t.kind === 'heredoc') {
        for (const v of t.vars) {
          if (assigned.has(v.name) || SHELL_PROVIDED.has(v.name)) continue;
          const start = v.start - base;
          if (start < 0 || start >= text.length) continue;
          (env ??= []).push({ name: v.name, syntax: 'env', raw: text.slice(start, v.end - base), start });
        }
        for (const s of t.subs) visit(s);
      }
    }
  };
  visit(tokens);
  textual(text, comments, out, true);
  if (env) for (const e of env) if (!inRanges(e.start, comments)) out.push(e);
  return out.length > 1 ? sorted(out) : out;
}

/** Placeholders of one SQL statement (comments excluded). */
export function sqlPlaceholders(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  const comments = sqlComments(text);
  textual(text, comments, out, false);
  if (text.indexOf('${') >= 0) {
    BRACED_ENV.lastIndex = 0;
    for (let m = BRACED_ENV.exec(text); m; m = BRACED_ENV.exec(text)) {
      if (inRanges(m.index, comments)) continue;
      out.push({ name: m[1]!, syntax: 'env', raw: m[0], start: m.index });
    }
  }
  return sorted(out);
}

/** Placeholders of a script block (python, node, ...). */
export function scriptPlaceholders(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  textual(text, [], out, false);
  return sorted(out);
}

function sqlComments(text: string): Range[] {
  if (text.indexOf('--') < 0 && text.indexOf('/*') < 0) return [];
  const ranges: Range[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const e = text.indexOf("'", i + 1);
      i = e < 0 ? text.length : e + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const e = text.indexOf('\n', i);
      const end = e < 0 ? text.length : e;
      ranges.push([i, end]);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      const end = e < 0 ? text.length : e + 2;
      ranges.push([i, end]);
      i = end;
    } else i++;
  }
  return ranges;
}
