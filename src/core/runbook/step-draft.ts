// From a code block to steps with commands: splitting, placeholders, effects, author annotations.
import type { Command, RunbookDiagnostic, Step, StepAnnotations, StepKind } from './model';
import type { OpenSection } from './sections';
import type { BlockKind } from './languages';
import { mergeAnnotations, parseAnnotations, type ParsedAnnotations } from './annotations';
import { splitConsoleBlock, splitShellBlock, looksLikeTranscript, type SplitBlock } from './shell-block';
import { splitSql } from './sql-block';
import { assignedNames } from './shell-lex';
import { scriptPlaceholders, shellPlaceholders, sqlPlaceholders } from './placeholders';
import { scriptVerdict, shellVerdict, sqlVerdict, type Verdict } from './effect-eval';

export interface StepDraft {
  title: string;
  description?: string;
  readonly kind: StepKind;
  readonly language: string | null;
  readonly line: number;
  endLine: number;
  readonly commands: Command[];
  annotations: StepAnnotations;
  readonly section: OpenSection | undefined;
  /** The finished step, once ids are assigned. */
  frozen?: Step;
}

export interface CodeBlock {
  readonly kind: BlockKind;
  readonly language: string | null;
  readonly content: string;
  /** 1-based line of the block's first content line. */
  readonly contentLine: number;
  /** 1-based line of the opening fence (or first line of an indented block). */
  readonly line: number;
  readonly endLine: number;
  readonly annotation: ParsedAnnotations;
}

interface Group {
  title?: string;
  line: number;
  endLine: number;
  annotation?: ParsedAnnotations;
  commands: Command[];
}

function command(text: string, line: number, placeholders: Command['placeholders'], v: Verdict): Command {
  return { text, line, placeholders, effect: v.effect, effectReason: v.reason, effectRule: v.rule };
}

/** Commands of a block in groups (one group per titled part), with 1-based lines. */
function groupsOf(block: CodeBlock, diagnostics: RunbookDiagnostic[]): Group[] {
  const base = block.contentLine;
  const { kind, content } = block;
  if (kind.kind === 'script') {
    const text = content.replace(/\n$/, '');
    if (!text.trim()) return [];
    const v = scriptVerdict(block.language ?? 'script');
    return [
      {
        line: block.line,
        endLine: block.endLine,
        commands: [command(text, base, scriptPlaceholders(text), v)],
      },
    ];
  }
  if (kind.kind === 'query') {
    const split = splitSql(content);
    for (const p of split.problems)
      diagnostics.push({ line: base + p.line, severity: 'warning', message: p.message });
    return split.groups.map((g) => {
      const commands: Command[] = [];
      for (const c of g.commands)
        commands.push(command(c.text, base + c.line, sqlPlaceholders(c.text), sqlVerdict(c.text)));
      const last = g.commands[g.commands.length - 1];
      return group(
        g.title,
        base + g.line,
        base + (last?.endLine ?? g.line),
        annotationOf(g.annotation, base, diagnostics),
        commands,
      );
    });
  }
  const split: SplitBlock = kind.transcript
    ? splitConsoleBlock(content, true)
    : looksLikeTranscript(content)
      ? splitConsoleBlock(content, false)
      : splitShellBlock(content);
  for (const p of split.problems)
    diagnostics.push({ line: base + p.line, severity: 'warning', message: p.message });
  const assigned = new Set<string>();
  assignedNames(split.tokens, assigned);
  return split.groups.map((g) => {
    const commands: Command[] = [];
    for (const c of g.commands)
      commands.push(
        command(
          c.text,
          base + c.line,
          shellPlaceholders(c.text, c.tokens, c.base, assigned),
          shellVerdict(c.tokens, c.source),
        ),
      );
    const last = g.commands[g.commands.length - 1];
    return group(
      g.title,
      base + g.line,
      base + (last?.endLine ?? g.line),
      annotationOf(g.annotation, base, diagnostics),
      commands,
    );
  });
}

function group(
  title: string | undefined,
  line: number,
  endLine: number,
  annotation: ParsedAnnotations | undefined,
  commands: Command[],
): Group {
  const g: Group = { line, endLine, commands };
  if (title !== undefined) g.title = title;
  if (annotation) g.annotation = annotation;
  return g;
}

function annotationOf(
  a: { text: string; line: number } | undefined,
  base: number,
  diagnostics: RunbookDiagnostic[],
): ParsedAnnotations | undefined {
  if (!a) return undefined;
  const parsed = parseAnnotations(a.text);
  for (const p of parsed.problems) diagnostics.push({ line: base + a.line, severity: 'warning', message: p });
  return parsed;
}

/** Applies the author's `effect=` to a step's commands. */
function withEffect(
  commands: Command[],
  a: StepAnnotations,
  line: number,
  diagnostics: RunbookDiagnostic[],
): Command[] {
  if (a.effect === 'write')
    return commands.map((c) =>
      c.effect === 'write'
        ? c
        : {
            ...c,
            effect: 'write',
            effectReason: 'the runbook marks this step as write',
            effectRule: 'annotation',
          },
    );
  if (a.effect !== 'read') return commands;
  return commands.map((c) => {
    if (c.effect === 'read') return c;
    if (OVERRIDABLE.has(c.effectRule))
      return {
        ...c,
        effect: 'read',
        effectReason: `the runbook marks this step as read-only (otherwise: ${c.effectReason})`,
        effectRule: 'annotation',
      };
    diagnostics.push({
      line: c.line,
      severity: 'warning',
      message: `effect=read ignored for "${c.text.split('\n')[0]}": ${c.effectReason}`,
    });
    return c;
  });
}

/** Rules whose write verdict is a default an author may override (see effects.ts). */
const OVERRIDABLE = new Set([
  'unknown-command',
  'wrapper-without-command',
  'interpreter-code',
  'psql-file',
  'db-interactive',
  'sql-unknown',
  'script-code',
]);

const KIND: Record<BlockKind['kind'], StepKind> = { command: 'command', query: 'query', script: 'script' };

/**
 * Steps of a code block outside any list item: one per comment-titled group, or one for the whole
 * block when `whole` (annotated blocks). Untitled first group: `fallbackTitle`.
 */
export function blockSteps(
  block: CodeBlock,
  fallbackTitle: string,
  whole: boolean,
  section: OpenSection | undefined,
  diagnostics: RunbookDiagnostic[],
): StepDraft[] {
  const groups = groupsOf(block, diagnostics);
  if (!groups.length) return [];
  const kind = KIND[block.kind.kind];
  if (whole || block.kind.kind === 'script') {
    const ann = block.annotation.annotations;
    const commands = groups.flatMap((g) => g.commands);
    const title =
      ann.title ?? (block.kind.kind === 'script' ? fallbackTitle : (groups[0]!.title ?? fallbackTitle));
    return [
      {
        title,
        kind,
        language: block.language,
        line: block.kind.kind === 'script' || whole ? block.line : groups[0]!.line,
        endLine: block.endLine,
        commands: withEffect(commands, ann, block.line, diagnostics),
        annotations: ann,
        section,
      },
    ];
  }
  return groups.map((g, k) => {
    const ann = g.annotation
      ? mergeAnnotations(block.annotation, g.annotation).annotations
      : block.annotation.annotations;
    return {
      title: ann.title ?? g.title ?? fallbackTitle,
      kind,
      language: block.language,
      // Commands before any comment: the step starts at the fence.
      line: k === 0 && g.title === undefined ? block.line : g.line,
      endLine: g.endLine,
      commands: withEffect(g.commands, ann, g.line, diagnostics),
      annotations: ann,
      section,
    };
  });
}

/** Commands of a block inside a list item: the item is the step, so all groups merge. */
export function blockCommands(block: CodeBlock, diagnostics: RunbookDiagnostic[]): Command[] {
  return groupsOf(block, diagnostics).flatMap((g) => g.commands);
}

export { withEffect };
