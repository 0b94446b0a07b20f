// Markdown troubleshooting guide -> Runbook model, from markdown-it block tokens and their line maps.
// See docs/authoring.md for the rules as an author sees them; sections.ts for nesting, step-draft.ts
// for code blocks, effects.ts for read/write. Never throws: problems become diagnostics.
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { Runbook, RunbookDiagnostic, Section, Step, StepAnnotations } from './model';
import { clip, isBlankLine, itemTitle, lineAt, lineStarts, normalizeNewlines, plainInline } from './text';
import { readFrontMatter } from './front-matter';
import { SectionTree, type OpenSection } from './sections';
import { classifyBlock } from './languages';
import {
  EMPTY_ANNOTATIONS,
  annotationComment,
  mergeAnnotations,
  parseAnnotations,
  splitInfo,
  type ParsedAnnotations,
} from './annotations';
import { blockCommands, blockSteps, withEffect, type CodeBlock, type StepDraft } from './step-draft';
import { assignIds } from './ids';

export interface ParseOptions {
  fileName?: string;
}

// Only block structure is needed: inline parsing (emphasis, links) is skipped, and the few inline
// things we read (bold-only lines, item text) are handled on the raw inline source. Newlines are
// normalized by normalizeNewlines() (which, unlike markdown-it's rule, copies nothing when the text
// has no CR or NUL), so markdown-it's own pass is off too.
const md = new MarkdownIt({ html: true });
md.core.ruler.disable(['normalize', 'inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);

export function parseRunbook(text: string, options: ParseOptions = {}): Runbook {
  try {
    return new Parser(text, options).parse();
  } catch (err) {
    // A bug must not take the tree down with it; the message says where to look.
    return {
      title: fallbackTitle(options.fileName),
      sections: [],
      steps: [],
      frontMatter: {},
      diagnostics: [
        {
          line: 1,
          severity: 'error',
          message: `internal parser error: ${err instanceof Error ? err.message : String(err)}`,
        },
      ],
    };
  }
}

function fallbackTitle(fileName: string | undefined): string {
  const base = fileName?.replace(/\.(md|markdown|mdown|txt|runbook)$/i, '').replace(/\.runbook$/i, '');
  return base || 'Runbook';
}

const EQUALS_LINE = /^\s*(={2,})\s*([^=\s](?:.*?[^=\s])?)\s*={2,}\s*$/;
const BOLD_LINE = /^\s*(\*\*|__)(?!\s)(.+?)(?<!\s)\1\s*(:?)\s*$/;
const TASK = /^\[( |x|X)\]\s+/;
const LEAD_IN_LAST =
  /\b(with|following|run|using|use|via|this|these|below|like|by|as|to|from|in|on|for|and|or|example|instance|e\.g\.?|output|see|type|enter)$/i;
const LEAD_IN_FIRST =
  /^(to|if|when|then|now|next|first|finally|run|use|try|execute|type|enter|paste|check|verify|inspect|look|see|find|get|list|show|print|open|restart|connect|you|we|this|the|it|for example|e\.g\.)\b/i;

/** A labelled group's title: `Symptoms:`, `Common Causes and Fixes:`, `Critical Alerts (PagerDuty):`. */
function labelTitle(line: string): string | undefined {
  const t = line.trim();
  if (!t.endsWith(':') || t.length > 80 || t.includes('`')) return undefined;
  const body = plainInline(t.slice(0, -1)).trim();
  if (!body || body.length > 60 || /[.!?;]\s/.test(body) || /[.!?]$/.test(body)) return undefined;
  if (body.split(/\s+/).length > 7) return undefined;
  if (LEAD_IN_LAST.test(body) || LEAD_IN_FIRST.test(body)) return undefined;
  return body;
}

interface ItemCtx {
  readonly line: number;
  readonly endLine: number;
  readonly ordered: boolean;
  readonly depth: number;
  readonly parent: ItemCtx | undefined;
  readonly section: OpenSection | undefined;
  annotation: ParsedAnnotations | undefined;
  text: string | undefined;
  isStep: boolean;
  /** Code blocks inside the item (allocated on the first one). */
  blocks: CodeBlock[] | undefined;
}

class Parser {
  private readonly diagnostics: RunbookDiagnostic[] = [];
  private readonly tree = new SectionTree();
  private readonly rootSteps: StepDraft[] = [];
  private readonly items: ItemCtx[] = [];
  private readonly lists: boolean[] = [];
  private body = '';
  private starts: number[] = [];
  private lastLine = 0;
  private pending: { parsed: ParsedAnnotations; line: number } | undefined;
  private leadIn: { text: string } | undefined;
  private firstBlockTitle: string | undefined;
  private firstH1: string | undefined;
  private sawBlock = false;

  constructor(
    private readonly text: string,
    private readonly options: ParseOptions,
  ) {}

  parse(): Runbook {
    const normalized = normalizeNewlines(this.text.replace(/^\uFEFF/, ''));
    const fm = readFrontMatter(normalized);
    this.body = fm.body;
    this.starts = lineStarts(this.body);
    const tokens = md.parse(this.body, {});
    for (let i = 0; i < tokens.length; i++) i = this.token(tokens, i);
    if (this.pending) this.strayAnnotation();
    this.tree.closeAll(this.lastLine);

    const drafts: StepDraft[] = [...this.rootSteps];
    const collect = (s: OpenSection): void => {
      drafts.push(...s.steps);
      s.sections.forEach(collect);
    };
    this.tree.roots.forEach(collect);
    drafts.sort((a, b) => a.line - b.line);
    const ids = assignIds(drafts, this.tree.roots, this.diagnostics);
    const steps: Step[] = new Array<Step>(drafts.length);
    for (let k = 0; k < drafts.length; k++) steps[k] = drafts[k]!.frozen = freezeStep(drafts[k]!, ids[k]!);

    const freeze = (s: OpenSection, level: number): Section => ({
      title: s.title,
      level,
      origin: s.origin,
      line: s.line,
      endLine: s.endLine,
      sections: s.sections.map((c) => freeze(c, level + 1)),
      steps: frozenInOrder(s.steps),
      items: s.items,
    });
    const title =
      fm.data.title?.trim() || this.firstBlockTitle || this.firstH1 || fallbackTitle(this.options.fileName);
    return {
      title: clip(title, 200),
      sections: this.tree.roots.map((s) => freeze(s, 1)),
      steps: frozenInOrder(this.rootSteps),
      frontMatter: fm.data,
      diagnostics: this.diagnostics.sort((a, b) => a.line - b.line),
    };
  }

  /** Handles the token at `i`; returns the index of the last token consumed. */
  private token(tokens: readonly Token[], i: number): number {
    const t = tokens[i]!;
    switch (t.type) {
      case 'heading_open':
        return this.heading(tokens, i);
      case 'paragraph_open':
        return this.paragraph(tokens, i);
      case 'bullet_list_open':
      case 'ordered_list_open':
        this.lists.push(t.type === 'ordered_list_open');
        this.block(t);
        this.leadIn = undefined;
        return i;
      case 'bullet_list_close':
      case 'ordered_list_close':
        this.lists.pop();
        return i;
      case 'list_item_open':
        this.itemOpen(t);
        return i;
      case 'list_item_close':
        this.itemClose();
        return i;
      case 'fence':
      case 'code_block':
        this.code(t);
        return i;
      case 'html_block':
        this.html(t);
        return i;
      default:
        if (t.nesting !== -1 && t.map) {
          this.block(t);
          // A table, quote or rule between a lead-in sentence and a code block breaks the link.
          this.leadIn = undefined;
        }
        return i;
    }
  }

  /** Bookkeeping for any block: the last content line, the first block of the document. */
  private block(t: Token): void {
    if (!t.map) return;
    if (t.level === 0) {
      if (t.map[1] > this.lastLine) this.lastLine = Math.max(this.lastLine, this.trimBlankEnd(t.map[1]));
      this.sawBlock = true;
    }
  }

  private heading(tokens: readonly Token[], i: number): number {
    const t = tokens[i]!;
    const inline = tokens[i + 1];
    const title = clip(plainInline(inline?.content ?? ''), 200);
    const line = (t.map?.[0] ?? 0) + 1;
    const level = Number(t.tag.slice(1)) || 1;
    if (!this.sawBlock && title) this.firstBlockTitle = title;
    if (level === 1 && title && this.firstH1 === undefined) this.firstH1 = title;
    if (t.level === 0 && this.items.length === 0 && title) {
      if (this.pending) this.strayAnnotation();
      this.tree.openHeading(title, level, t.markup.startsWith('#') ? 'atx' : 'setext', line, this.lastLine);
      this.leadIn = undefined;
    }
    this.block(t);
    return i + 2;
  }

  private paragraph(tokens: readonly Token[], i: number): number {
    const t = tokens[i]!;
    const content = tokens[i + 1]?.content ?? '';
    const item = this.items[this.items.length - 1];
    const map = t.map ?? [0, 1];
    if (item) {
      if (item.text === undefined) item.text = content;
      this.block(t);
      return i + 2;
    }
    const first = !this.sawBlock;
    const before = this.lastLine;
    this.block(t);
    if (t.level !== 0) return i + 2;

    // What follows the paragraph (an annotation comment may sit in between).
    let k = i + 3;
    if (tokens[k]?.type === 'html_block' && annotationComment(tokens[k]!.content)) k++;
    const next = tokens[k];
    const nextType = next?.type ?? '';
    const beforeList = nextType === 'bullet_list_open' || nextType === 'ordered_list_open';
    // A label names a group of steps: sample output after "Example output:" is not one.
    const beforeCode = (nextType === 'fence' || nextType === 'code_block') && runnable(next!);

    const lines = content.indexOf('\n') < 0 ? [content] : content.split('\n');
    const base = map[0] + 1;
    let pseudoSoFar = true;
    let opened = false;
    for (let n = 0; n < lines.length; n++) {
      const raw = lines[n]!;
      const line = base + n;
      const last = n === lines.length - 1;
      const prev = n > 0 ? line - 1 : before;
      const c0 = firstNonSpace(raw);
      if (raw.length <= 200 && (c0 === '=' || c0 === '*' || c0 === '_' || raw.endsWith(':'))) {
        const eq = c0 === '=' ? EQUALS_LINE.exec(raw) : null;
        if (eq) {
          this.openPseudo('equals', plainInline(eq[2]!), line, prev, eq[1]!.length);
          if (first && n === 0) this.firstBlockTitle ??= plainInline(eq[2]!);
          opened = true;
          continue;
        }
        if (pseudoSoFar) {
          const bold = c0 === '*' || c0 === '_' ? BOLD_LINE.exec(raw) : null;
          if (bold && !bold[2]!.includes(bold[1]!)) {
            const inner = plainInline(bold[2]!);
            const colon = bold[3] === ':' || inner.endsWith(':');
            const kind = colon && last && (beforeList || beforeCode) ? 'label' : 'bold';
            this.openPseudo(kind, inner.replace(/:$/, '').trim(), line, prev);
            if (first && n === 0) this.firstBlockTitle ??= inner;
            opened = true;
            continue;
          }
          if (last && (beforeList || beforeCode)) {
            const label = labelTitle(raw);
            if (label) {
              this.openPseudo('label', label, line, prev);
              opened = true;
              continue;
            }
          }
        }
      }
      pseudoSoFar = false;
    }
    if (!opened && first && lines[0] && lines[0].length <= 120)
      this.firstBlockTitle ??= plainInline(lines[0]);
    // A sentence ending in `:` right before a code block titles the block's first untitled step.
    this.leadIn = undefined;
    const lastLine = lines[lines.length - 1]!.trim();
    if (!pseudoSoFar && beforeCode && lastLine.endsWith(':')) {
      const whole = plainInline(content);
      const text = whole.length <= 120 ? whole : plainInline(lastLine);
      this.leadIn = { text: clip(text.replace(/:$/, '').trim(), 120) };
    }
    // An annotation may be followed by such a lead-in, but not by other prose.
    if (!pseudoSoFar && this.pending && !lastLine.endsWith(':')) this.strayAnnotation();
    return i + 2;
  }

  /** `prev`: the last content line before this pseudo-heading. */
  private openPseudo(
    kind: 'equals' | 'bold' | 'label',
    title: string,
    line: number,
    prev: number,
    eqCount = 0,
  ): void {
    if (!title) return;
    if (this.pending) this.strayAnnotation();
    this.tree.openPseudo(kind, clip(title, 200), line, prev, eqCount);
    this.leadIn = undefined;
  }

  private html(t: Token): void {
    this.block(t);
    const line = (t.map?.[0] ?? 0) + 1;
    // `1. <!-- runbook: ... --> Restart the pod`: markdown-it reads a list item that starts with a
    // comment as an HTML block; the comment annotates the item and the rest is its text.
    const item = this.items[this.items.length - 1];
    if (item && item.text === undefined && !item.blocks && item.line === line) {
      const m = /^\s*<!--([\s\S]*?)-->([\s\S]*)$/.exec(t.content);
      if (m) {
        const ann = annotationComment(`<!--${m[1]}-->`);
        if (ann) {
          const parsed = parseAnnotations(ann.text);
          for (const p of parsed.problems) this.diagnostics.push({ line, severity: 'warning', message: p });
          item.annotation = item.annotation ? mergeAnnotations(item.annotation, parsed) : parsed;
        }
        item.text = m[2]!.trim();
        return;
      }
    }
    const ann = annotationComment(t.content);
    if (!ann) return;
    if (!ann.closed)
      this.diagnostics.push({
        line,
        severity: 'warning',
        message: 'runbook annotation comment is not closed with -->',
      });
    if (this.pending) this.strayAnnotation();
    const parsed = parseAnnotations(ann.text);
    for (const p of parsed.problems) this.diagnostics.push({ line, severity: 'warning', message: p });
    this.pending = { parsed, line };
  }

  private strayAnnotation(): void {
    if (!this.pending) return;
    this.diagnostics.push({
      line: this.pending.line,
      severity: 'warning',
      message: 'runbook annotation is not followed by a code block or list item: it applies to nothing',
    });
    this.pending = undefined;
  }

  private takeAnnotation(): ParsedAnnotations | undefined {
    const p = this.pending?.parsed;
    this.pending = undefined;
    return p;
  }

  private itemOpen(t: Token): void {
    const map = t.map ?? [0, 1];
    const parent = this.items[this.items.length - 1];
    this.items.push({
      line: map[0] + 1,
      endLine: Math.max(map[0] + 1, this.trimBlankEnd(map[1])),
      ordered: this.lists[this.lists.length - 1] ?? false,
      depth: this.items.length,
      parent,
      section: this.tree.current,
      annotation: this.takeAnnotation(),
      text: undefined,
      isStep: false,
      blocks: undefined,
    });
  }

  /** 1-based last non-blank line at or before 0-based exclusive end `end`. */
  private trimBlankEnd(end: number): number {
    let e = end;
    while (e > 0 && isBlankLine(this.body, this.starts, e - 1)) e--;
    return e;
  }

  private itemClose(): void {
    const item = this.items.pop();
    if (!item) return;
    let raw = item.text ?? '';
    const task = raw.startsWith('[') && TASK.test(raw);
    if (task) raw = raw.replace(TASK, '');
    let ann = item.annotation;
    if (raw.includes('<!--')) {
      const inline = /^\s*<!--\s*runbook\s*:([\s\S]*?)-->\s*/i.exec(raw);
      if (inline) {
        const parsed = parseAnnotations(inline[1]!);
        for (const p of parsed.problems)
          this.diagnostics.push({ line: item.line, severity: 'warning', message: p });
        ann = ann ? mergeAnnotations(ann, parsed) : parsed;
      }
      raw = raw.replace(/^\s*<!--[\s\S]*?-->\s*/, '');
    }
    const text = clip(plainInline(raw), 300);
    const section = item.section;
    if (ann?.skip) return this.addItem(section, text, item);

    if (item.blocks) {
      this.itemSteps(item, item.blocks, text, ann ?? EMPTY_ANNOTATIONS);
      return;
    }
    const cls = section?.stepClass ?? 'neutral';
    const nested = item.parent !== undefined;
    const isStep =
      ann !== undefined ||
      task ||
      (cls === 'procedure' && (!nested || item.ordered)) ||
      (cls === 'neutral' && item.ordered);
    if (!isStep || !text) return this.addItem(section, text, item);
    const a = ann?.annotations ?? NO_ANNOTATIONS;
    const named = itemTitle(text);
    this.addStep({
      title: a.title ?? named.title,
      ...(named.description !== undefined ? { description: named.description } : {}),
      kind: 'manual',
      language: null,
      line: item.line,
      endLine: item.endLine,
      commands: [],
      annotations: a,
      section,
    });
  }

  private addItem(section: OpenSection | undefined, text: string, item: ItemCtx): void {
    if (section && text) section.items.push({ text, line: item.line, depth: item.depth });
  }

  /** A list item holding code: the item is the step; its blocks give the commands. */
  private itemSteps(item: ItemCtx, blocks: readonly CodeBlock[], text: string, ann: ParsedAnnotations): void {
    const named = itemTitle(text);
    const title = named.title || item.section?.title || 'Step';
    // Consecutive blocks of the same kind and language make one step; another language, another step.
    let k = 0;
    while (k < blocks.length) {
      const head = blocks[k]!;
      let j = k + 1;
      while (
        j < blocks.length &&
        blocks[j]!.kind.kind === head.kind.kind &&
        blocks[j]!.language === head.language
      )
        j++;
      const group = blocks.slice(k, j);
      const merged = group.reduce((acc, b) => mergeAnnotations(acc, b.annotation), ann);
      const a = merged.annotations;
      const commands = group.flatMap((b) => blockCommands(b, this.diagnostics));
      if (commands.length) {
        this.addStep({
          title: a.title ?? title,
          ...(named.description !== undefined ? { description: named.description } : {}),
          kind: head.kind.kind === 'command' ? 'command' : head.kind.kind,
          language: head.language,
          line: k === 0 ? item.line : head.line,
          endLine: j === blocks.length ? item.endLine : group[group.length - 1]!.endLine,
          commands: withEffect(commands, a, item.line, this.diagnostics),
          annotations: a,
          section: item.section,
        });
      }
      k = j;
    }
  }

  private addStep(d: StepDraft): void {
    (d.section ? d.section.steps : this.rootSteps).push(d);
  }

  private code(t: Token): void {
    const map = t.map ?? [0, 1];
    this.block(t);
    const fence = t.type === 'fence';
    const line = map[0] + 1;
    const closed = !fence || this.fenceClosed(t);
    const endLine = fence ? map[1] : this.trimBlankEnd(map[1]);
    if (!closed)
      this.diagnostics.push({
        line,
        severity: 'warning',
        message: `code block opened with ${t.markup} is not closed: it runs to the end of ${t.level > 0 ? 'its list item or quote' : 'the file'}`,
      });
    const { language: infoLang, attributes } = fence
      ? splitInfo(t.info)
      : { language: null, attributes: null };
    let parsed = this.takeAnnotation() ?? EMPTY_ANNOTATIONS;
    if (attributes !== null) {
      const attrs = parseAnnotations(attributes);
      for (const p of attrs.problems) this.diagnostics.push({ line, severity: 'warning', message: p });
      parsed = mergeAnnotations(parsed, attrs);
    }
    const leadIn = this.leadIn?.text;
    this.leadIn = undefined;
    if (parsed.skip) return;
    const language = parsed.annotations.language ?? infoLang;
    const kind = classifyBlock(language, t.content);
    if (!kind) {
      if (parsed !== EMPTY_ANNOTATIONS && (parsed.annotations.id || parsed.annotations.title))
        this.diagnostics.push({
          line,
          severity: 'warning',
          message: `annotated code block in "${language ?? 'no language'}" is not runnable: say lang=bash (or sql, python, ...)`,
        });
      return;
    }
    const block: CodeBlock = {
      kind,
      language,
      content: t.content,
      contentLine: fence ? line + 1 : line,
      line,
      endLine: Math.max(line, endLine),
      annotation: parsed,
    };
    const item = this.items[this.items.length - 1];
    if (item) {
      (item.blocks ??= []).push(block);
      return;
    }
    const section = this.tree.current;
    const fallback = leadIn ?? section?.title ?? firstLineOf(t.content);
    const whole = parsed !== EMPTY_ANNOTATIONS && Object.keys(parsed.annotations).length > 0;
    for (const d of blockSteps(block, fallback, whole, section, this.diagnostics)) this.addStep(d);
  }

  /** The line before a fence's map end is its closing fence (markdown-it runs unclosed ones to the end). */
  private fenceClosed(t: Token): boolean {
    const map = t.map;
    if (!map || map[1] - map[0] < 2) return false;
    const last = lineAt(this.body, this.starts, map[1] - 1)
      .replace(/^[\s>]*/, '')
      .trimEnd();
    const ch = t.markup[0]!;
    if (last.length < t.markup.length) return false;
    for (let k = 0; k < last.length; k++) if (last[k] !== ch) return false;
    return true;
  }
}

function runnable(t: Token): boolean {
  const language = t.type === 'fence' ? splitInfo(t.info).language : null;
  return classifyBlock(language, t.content) !== null;
}

function firstNonSpace(s: string): string {
  for (let i = 0; i < s.length; i++) if (s[i] !== ' ' && s[i] !== '\t') return s[i]!;
  return '';
}

function firstLineOf(content: string): string {
  const line = content.split('\n', 1)[0] ?? '';
  return clip(line.replace(/^\$\s+/, '').trim(), 80) || 'Commands';
}

const NO_PATH: readonly string[] = [];
/** Shared by steps without annotations; frozen so no consumer can change another step's. */
const NO_ANNOTATIONS: StepAnnotations = Object.freeze({});

/** Finished steps by line. List items finish after the items nested in them, so a section's drafts
 * are not always in order; most are, and those are not sorted again. */
function frozenInOrder(drafts: readonly StepDraft[]): Step[] {
  const steps = drafts.map((d) => d.frozen!);
  for (let k = 1; k < steps.length; k++)
    if (steps[k]!.line < steps[k - 1]!.line) return steps.sort((a, b) => a.line - b.line);
  return steps;
}

function freezeStep(d: StepDraft, id: string): Step {
  // Sections' title paths are immutable: steps share them.
  const path: readonly string[] = d.section ? d.section.titles : NO_PATH;
  return {
    id,
    title: d.title,
    ...(d.description !== undefined ? { description: d.description } : {}),
    kind: d.kind,
    language: d.language,
    line: d.line,
    endLine: Math.max(d.line, d.endLine),
    commands: d.commands,
    annotations: d.annotations,
    path,
  };
}
