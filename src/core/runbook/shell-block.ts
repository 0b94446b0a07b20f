// Cuts the body of a shell code block into commands, grouped into steps by comment lines.
// - One command per logical line: `\` continuations, open quotes, heredocs, `if`/`for`/`{` blocks and
//   a trailing `|`, `&&` or `||` keep the command going onto the next line.
// - A comment on its own line, between commands, starts a new group titled by the comment
//   (consecutive comment lines: the first titles, the rest are notes). `# runbook: ...` comments are
//   annotations for the group that follows, not titles.
// - Console transcripts keep only prompt lines (`$ `, `# `, `user@host:~$ `) and their continuations;
//   everything else is output.
import { LineCounter } from './text';
import { lexShell, type Token } from './shell-lex';

export interface BlockCommand {
  /** Exactly what runs: source text for scripts, prompt-stripped text for transcripts. */
  readonly text: string;
  /** 0-based line in the block where the command starts. */
  readonly line: number;
  readonly endLine: number;
  /** Tokens of the command; their offsets are relative to the block when `base` is set, else to `text`. */
  readonly tokens: readonly Token[];
  /** Offset of `text` in `source` (tokens' offsets minus this = offsets in `text`). */
  readonly base: number;
  /** The string the tokens' offsets index into: the block, or `text` for transcripts. */
  readonly source: string;
}

export interface CommandGroup {
  title?: string;
  /** 0-based line of the title comment, or of the first command. */
  line: number;
  /** `# runbook: ...` annotation text written just above the group. */
  annotation?: { text: string; line: number };
  commands: BlockCommand[];
}

export interface BlockProblem {
  readonly line: number;
  readonly message: string;
}

export interface SplitBlock {
  readonly groups: CommandGroup[];
  readonly problems: BlockProblem[];
  /** Every token of the block, for block-wide facts such as which variables it assigns. */
  readonly tokens: readonly Token[];
}

const ANNOTATION_COMMENT = /^#+\s*runbook:\s*(.*)$/i;

/** Title text of a comment line: `# Monitor memory usage:` -> `Monitor memory usage`. */
export function commentTitle(comment: string): string {
  return comment
    .replace(/^(#+|--+|\/\/+|;+)\s*/, '')
    .replace(/\s*[-#=*]*\s*$/, '')
    .replace(/:$/, '')
    .trim();
}

export function splitShellBlock(content: string): SplitBlock {
  const lexed = lexShell(content);
  const tokens = lexed.tokens;
  const groups: CommandGroup[] = [];
  const problems: BlockProblem[] = [];
  let group: CommandGroup | undefined;
  let pendingAnnotation: { text: string; line: number } | undefined;
  let lastCommentLine = -2;
  // Current command: index of its first token; the last significant token so far.
  let first = -1;
  let lastSig = -1;

  // Line numbers: offsets only grow, so count newlines incrementally.
  const lines = new LineCounter(content);
  const lineOf = (offset: number): number => lines.lineOf(offset);

  const finish = (endTok: number): void => {
    const startTok = tokens[first]!;
    let end = tokens[endTok]!.end;
    const slice = tokens.slice(first, endTok + 1);
    // Heredoc bodies follow the newline that ends the command line: they belong to it.
    for (let k = endTok + 1; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.kind === 'heredoc') {
        end = t.end;
        slice.push(t);
      } else if (!(t.kind === 'op' && t.op === '\n')) break;
      else if (tokens[k + 1]?.kind !== 'heredoc') break;
    }
    const line = lineOf(startTok.start);
    const cmd: BlockCommand = {
      text: content.slice(startTok.start, end),
      line,
      endLine: line + countNewlines(content, startTok.start, end),
      tokens: slice,
      base: startTok.start,
      source: content,
    };
    if (!group || (pendingAnnotation && group.commands.length > 0)) {
      group = { line, commands: [] };
      groups.push(group);
    }
    if (pendingAnnotation) group.annotation = pendingAnnotation;
    pendingAnnotation = undefined;
    group.commands.push(cmd);
    first = -1;
    lastSig = -1;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'comment') {
      if (first >= 0) continue; // inside a multi-line command: part of it
      const line = lineOf(t.start);
      const raw = content.slice(t.start, t.end);
      if (raw.startsWith('#!')) continue;
      const ann = ANNOTATION_COMMENT.exec(raw);
      if (ann) {
        pendingAnnotation = { text: ann[1] ?? '', line };
        lastCommentLine = -2;
        continue;
      }
      const title = commentTitle(raw);
      if (!title) continue;
      if (line === lastCommentLine + 1) {
        lastCommentLine = line;
        continue;
      }
      lastCommentLine = line;
      if (group && group.commands.length === 0) {
        group.title = title;
        group.line = line;
      } else {
        group = { title, line, commands: [] };
        if (pendingAnnotation) group.annotation = pendingAnnotation;
        pendingAnnotation = undefined;
        groups.push(group);
      }
      continue;
    }
    if (t.kind === 'op' && t.op === '\n') {
      if (first < 0) continue;
      const last = tokens[lastSig];
      const continues =
        last?.kind === 'op' && (last.op === '|' || last.op === '&&' || last.op === '||' || last.op === '|&');
      if (t.depth === 0 && !continues) finish(lastSig);
      continue;
    }
    // A body whose command ended on the line above: finish() already took it.
    if (t.kind === 'heredoc' && first < 0) continue;
    if (first < 0) first = k;
    lastSig = k;
  }
  if (first >= 0) finish(lastSig);
  // A group that only had a title comment runs nothing: drop it.
  const kept = groups.filter((g) => g.commands.length > 0);
  if (lexed.problem) {
    const lastLine = kept.at(-1)?.commands.at(-1)?.line ?? 0;
    problems.push({
      line: lastLine,
      message: `${lexed.problem}: the rest of the block is read as one command`,
    });
  }
  return { groups: kept, problems, tokens };
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  let i = s.indexOf('\n', from);
  while (i >= 0 && i < to) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}

/** `$ `, `# `, `user@host:~$ `, `[user@host dir]# ` at the start of a transcript line. */
const PROMPT = /^\s*(?:(?:\[[^\]\n]{1,80}\]|[\w.-]+@[\w.-]+(?::[^\s$#]*)?)\s?)?([$#])(?: |\t)/;
const PS2 = /^\s*> ?/;
const MAX_CONTINUATION = 200;

/**
 * Shell session transcripts: prompt lines are commands (with their continuation lines), the rest is
 * output. With `hashIsPrompt` false (a `bash` block written with `$ ` prompts), `# ` lines are
 * comments that title groups, as in a script.
 */
export function splitConsoleBlock(content: string, hashIsPrompt: boolean): SplitBlock {
  const lines = content.split('\n');
  const groups: CommandGroup[] = [];
  const problems: BlockProblem[] = [];
  const allTokens: Token[] = [];
  let group: CommandGroup | undefined;
  let pendingAnnotation: { text: string; line: number } | undefined;
  for (let l = 0; l < lines.length; l++) {
    const raw = lines[l]!;
    const m = PROMPT.exec(raw);
    if (!m || (m[1] === '#' && !hashIsPrompt)) {
      const comment = /^\s*(#.*)$/.exec(raw)?.[1];
      if (!hashIsPrompt && comment && !comment.startsWith('#!')) {
        const ann = ANNOTATION_COMMENT.exec(comment);
        if (ann) {
          pendingAnnotation = { text: ann[1] ?? '', line: l };
          continue;
        }
        const title = commentTitle(comment);
        if (!title) continue;
        if (group && group.commands.length === 0) {
          group.title = title;
          group.line = l;
        } else {
          group = { title, line: l, commands: [] };
          if (pendingAnnotation) group.annotation = pendingAnnotation;
          pendingAnnotation = undefined;
          groups.push(group);
        }
      }
      continue;
    }
    let text = raw.slice(m[0].length);
    let endLine = l;
    let lexed = lexShell(text);
    // Continuation lines (`> ` PS2 prompts, indented lines, any line after a trailing `\`) while the
    // command is incomplete. Output after an unclosed quote is not swallowed, and the re-lexing stays bounded.
    while (
      !lexed.complete &&
      endLine + 1 < lines.length &&
      endLine - l < MAX_CONTINUATION &&
      !PROMPT.exec(lines[endLine + 1]!) &&
      (PS2.test(lines[endLine + 1]!) || /^[ \t]/.test(lines[endLine + 1]!) || /\\$/.test(lines[endLine]!))
    ) {
      endLine++;
      text += '\n' + lines[endLine]!.replace(PS2, '');
      lexed = lexShell(text);
    }
    if (!text.trim()) continue;
    if (!lexed.complete && lexed.problem) problems.push({ line: l, message: lexed.problem });
    if (!group || (pendingAnnotation && group.commands.length > 0)) {
      group = { line: l, commands: [] };
      groups.push(group);
    }
    if (pendingAnnotation) group.annotation = pendingAnnotation;
    pendingAnnotation = undefined;
    const trimmed = text.trimEnd();
    group.commands.push({ text: trimmed, line: l, endLine, tokens: lexed.tokens, base: 0, source: trimmed });
    allTokens.push(...lexed.tokens);
    l = endLine;
  }
  return { groups: groups.filter((g) => g.commands.length > 0), problems, tokens: allTokens };
}

/** A `bash` block written as a transcript: its first command-like line starts with `$ `. */
export function looksLikeTranscript(content: string): boolean {
  for (const line of content.split('\n', 50)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    return /^\$\s/.test(t);
  }
  return false;
}
