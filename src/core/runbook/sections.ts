// Section nesting. Real headings (`#` ATX, setext) are the skeleton; pseudo-headings hang inside them:
//
//   `=== Title ===`  opens inside the most recent real heading (or at the top). Equals-lines nest among
//                    themselves by their number of `=` (fewer is outer: `== A ==` holds `=== B ===`).
//   `**Bold**`       opens inside the most recent `===` section or real heading; ends at the next bold
//                    line, `===` line or real heading.
//   `Label:`         (a labelled group: a short paragraph ending in `:` followed by a list or code
//                    block, or `**Label:**`) opens inside the most recent bold, `===` or real heading;
//                    ends at the next label or anything above.
//
// A pseudo-heading counts as one level below the section it opens in, so a real heading closes it when
// its level is that deep or shallower: under `# Guide`, `=== Setup ===` sits at level 2, a following
// `## Next` closes it (sibling) and a `### Detail` nests inside it.
import type { SectionItem, SectionOrigin } from './model';
import type { StepDraft } from './step-draft';

export type SectionKind = 'heading' | 'equals' | 'bold' | 'label';

/** How list items in a section are read: `procedure` bullets are steps, `info` lists never are. */
export type StepClass = 'procedure' | 'info' | 'neutral';

export interface OpenSection {
  readonly title: string;
  readonly origin: SectionOrigin;
  readonly kind: SectionKind;
  readonly line: number;
  endLine: number;
  readonly rank: number;
  readonly eqCount: number;
  readonly parent: OpenSection | undefined;
  readonly sections: OpenSection[];
  readonly steps: StepDraft[];
  readonly items: SectionItem[];
  readonly titles: readonly string[];
  readonly stepClass: StepClass;
}

const PSEUDO_ORDER: Record<SectionKind, number> = { heading: 0, equals: 1, bold: 2, label: 3 };

const PROCEDURE =
  /\b(steps?|procedures?|mitigations?|checklists?|actions?|response|remediation|runbooks?|playbooks?|instructions?|what to do|how to|to-?do|workarounds?|recovery|rollback|escalation|triage|investigation|diagnostics?|troubleshooting|debugging)\b/i;
const INFO =
  /\b(symptoms?|signs?|indicators?|causes?|sources?|reasons?|metrics?|alerts?|issues?|problems?|fix(es)?|solutions?|prerequisites?|requirements?|references?|see also|notes?|background|overview|glossary|contacts?|links?|owners?)\b/i;

export function stepClassOf(title: string): StepClass {
  if (PROCEDURE.test(title)) return 'procedure';
  if (INFO.test(title)) return 'info';
  return 'neutral';
}

export class SectionTree {
  readonly roots: OpenSection[] = [];
  private readonly stack: OpenSection[] = [];

  get current(): OpenSection | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** `#`..`######` or setext heading of `level`. `lastLine`: last content line before it. */
  openHeading(
    title: string,
    level: number,
    origin: SectionOrigin,
    line: number,
    lastLine: number,
  ): OpenSection {
    for (let top = this.current; top && top.rank >= level; top = this.current) this.close(line, lastLine);
    return this.push(title, origin, 'heading', level, 0, line);
  }

  openPseudo(
    kind: Exclude<SectionKind, 'heading'>,
    title: string,
    line: number,
    lastLine: number,
    eqCount = 0,
  ): OpenSection {
    const order = PSEUDO_ORDER[kind];
    for (let top = this.current; top && top.kind !== 'heading'; top = this.current) {
      const deeper = PSEUDO_ORDER[top.kind] > order;
      const sibling = top.kind === kind && (kind !== 'equals' || top.eqCount >= eqCount);
      if (!deeper && !sibling) break;
      this.close(line, lastLine);
    }
    const rank = (this.current?.rank ?? 0) + 1;
    const origin: SectionOrigin = kind === 'equals' ? 'equals-line' : kind === 'bold' ? 'bold-line' : 'label';
    return this.push(title, origin, kind, rank, eqCount, line);
  }

  closeAll(lastLine: number): void {
    while (this.current) this.close(Number.MAX_SAFE_INTEGER, lastLine);
  }

  /** Closes the innermost section before a new one at `line`; `lastLine` is the last content before it. */
  private close(line: number, lastLine: number): void {
    const top = this.stack.pop();
    if (!top) return;
    top.endLine = Math.max(top.line, Math.min(lastLine, line - 1), top.endLine);
    // A parent ends no earlier than its last child.
    const parent = this.current;
    if (parent) parent.endLine = Math.max(parent.endLine, top.endLine);
  }

  private push(
    title: string,
    origin: SectionOrigin,
    kind: SectionKind,
    rank: number,
    eqCount: number,
    line: number,
  ): OpenSection {
    const parent = this.current;
    const s: OpenSection = {
      title,
      origin,
      kind,
      line,
      endLine: line,
      rank,
      eqCount,
      parent,
      sections: [],
      steps: [],
      items: [],
      titles: parent ? [...parent.titles, title] : [title],
      stepClass: stepClassOf(title),
    };
    (parent ? parent.sections : this.roots).push(s);
    this.stack.push(s);
    return s;
  }
}
