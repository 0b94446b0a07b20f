// The Runbook model: what a Markdown troubleshooting guide means once parsed.
// Produced by parse.ts from markdown-it tokens; consumed by the tree, CodeLens, the runner and the CLI.
// Line numbers are 1-based source lines of the original file.

export type StepKind = 'manual' | 'command' | 'query' | 'script';
export type Effect = 'read' | 'write';

/** Where a placeholder's syntax came from: `<pid>`, `{{namespace}}`, `${VAR}` or `$VAR`. */
export type PlaceholderSyntax = 'angle' | 'mustache' | 'env';

export interface Placeholder {
  /** The name as written, e.g. `pid`, `pod-name`, `namespace`, `DATABASE_URL`. */
  readonly name: string;
  readonly syntax: PlaceholderSyntax;
  /** Exact text in the command, e.g. `<pid>` or `${VAR}`. */
  readonly raw: string;
  /** Offset of `raw` in `Command.text`. */
  readonly start: number;
}

export interface Command {
  /** One logical command: continuations joined, heredoc bodies kept, console prompts removed. */
  readonly text: string;
  /** Source line where the command starts. */
  readonly line: number;
  readonly placeholders: readonly Placeholder[];
  readonly effect: Effect;
  /** Why the effect was chosen (the rule that matched), for tooltips and confirmation prompts. */
  readonly effectReason: string;
  /** Id of the deciding rule in effects.ts (`kubectl-read`, `sql-create-index`, ...), or `annotation`
   * when the author's `effect=` decided. */
  readonly effectRule: string;
}

/** Author annotations: `<!-- runbook: key=value ... -->` before a step, or fence attributes. */
export interface StepAnnotations {
  id?: string;
  title?: string;
  timeoutSeconds?: number;
  cwd?: string;
  confirm?: boolean;
  /** Expected outcome / checks; interpreted by src/core/check (a later issue). */
  expect?: string[];
  /** Language to run with, overriding the fence's info string. */
  language?: string;
  /** `effect=write` makes every command write; `effect=read` only overrides defaults (unknown
   * commands, scripts), never a rule that knows the command writes. */
  effect?: Effect;
  /** Any other key the author wrote, kept for later features. */
  extra?: Record<string, string>;
}

export interface Step {
  /** Stable id: unique in the file, unchanged by edits elsewhere in the file. */
  readonly id: string;
  readonly title: string;
  /** The list item's full text when the title is a shortened form of it (a long instruction). */
  readonly description?: string;
  readonly kind: StepKind;
  /** Fence language (`bash`, `sql`, `python`, ...) or null for manual steps / bare fences. */
  readonly language: string | null;
  readonly line: number;
  /** Last source line of the step (inclusive). */
  readonly endLine: number;
  readonly commands: readonly Command[];
  readonly annotations: StepAnnotations;
  /** Section titles from outermost to innermost. */
  readonly path: readonly string[];
}

export type SectionOrigin = 'atx' | 'setext' | 'equals-line' | 'bold-line' | 'label' | 'front-matter';

/** A list item that is not a step: a symptom, a cause and its fix, a metric to watch. Kept for the
 * diagnosis feature, which links failing checks to a section's "Common Causes and Fixes". */
export interface SectionItem {
  /** Plain text of the item's first paragraph. */
  readonly text: string;
  readonly line: number;
  /** 0 for a top-level item, 1 for an item nested in another, ... */
  readonly depth: number;
}

export interface Section {
  readonly title: string;
  /** Nesting depth: 1 is outermost. */
  readonly level: number;
  readonly origin: SectionOrigin;
  readonly line: number;
  readonly endLine: number;
  readonly sections: readonly Section[];
  /** Steps directly in this section (not in sub-sections), in document order. */
  readonly steps: readonly Step[];
  /** List items directly in this section that are not steps, in document order. Always set by
   * parseRunbook; optional only so hand-built test fixtures need not list them. */
  readonly items?: readonly SectionItem[];
}

export interface Runbook {
  /** Title: front matter `title`, else the first block when it is a heading (any kind), else the first
   * `#` / setext level-1 heading, else the first block's first line when short, else the file name. */
  readonly title: string;
  /** Top-level sections; steps before any heading sit in `steps`. */
  readonly sections: readonly Section[];
  readonly steps: readonly Step[];
  readonly frontMatter: Readonly<Record<string, string>>;
  /** Problems found while parsing (never thrown): unclosed fence, bad annotation, ... */
  readonly diagnostics: readonly RunbookDiagnostic[];
}

export interface RunbookDiagnostic {
  readonly line: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

/** Every step in document order. */
export function allSteps(runbook: Runbook): Step[] {
  const out: Step[] = [...runbook.steps];
  const visit = (s: Section): void => {
    out.push(...s.steps);
    s.sections.forEach(visit);
  };
  runbook.sections.forEach(visit);
  return out.sort((a, b) => a.line - b.line);
}

/** True when the runbook has anything a person could run or tick off. */
export function hasRunnableSteps(runbook: Runbook): boolean {
  return allSteps(runbook).some((s) => s.kind !== 'manual');
}
