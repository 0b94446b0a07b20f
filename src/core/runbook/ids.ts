// Stable step ids: `section-slug/.../step-title-slug`, from the step's own section path and title, so
// an edit elsewhere in the file does not change them. Only duplicates get a suffix, in document order:
// a step titled like an earlier one in the same section (`check-2`), a section titled like an earlier
// sibling (`symptoms-2/...`). An author's `id=` wins as written.
//
// Names are unique within their section and section paths are unique, so generated ids are unique by
// construction; only authored ids need checking against everything else.
import type { RunbookDiagnostic } from './model';
import type { OpenSection } from './sections';
import type { StepDraft } from './step-draft';
import { slug } from './text';

/**
 * `base` the first time, then `base-2`, `base-3`, ... skipping names already used in the scope (a
 * literal "Check 2" next to two "Check"s). `used` maps each used name to the next suffix to try.
 */
function nextName(used: Map<string, number>, base: string): string {
  let n = used.get(base);
  if (n === undefined) {
    used.set(base, 2);
    return base;
  }
  let name = `${base}-${n}`;
  while (used.has(name)) name = `${base}-${++n}`;
  used.set(base, n + 1);
  used.set(name, 2);
  return name;
}

/** Ids for `drafts` (in document order) under the section tree `roots`. */
export function assignIds(
  drafts: readonly StepDraft[],
  roots: readonly OpenSection[],
  diagnostics: RunbookDiagnostic[],
): string[] {
  const slugs = new Map<string, string>();
  const slugOf = (text: string): string => {
    let s = slugs.get(text);
    if (s === undefined) slugs.set(text, (s = slug(text, 48)));
    return s;
  };

  const paths = new Map<OpenSection, string>();
  const name = (list: readonly OpenSection[], parent: string): void => {
    const used = new Map<string, number>();
    for (const s of list) {
      const own = nextName(used, slugOf(s.title) || 'section');
      const path = parent ? `${parent}/${own}` : own;
      paths.set(s, path);
      if (s.sections.length) name(s.sections, path);
    }
  };
  name(roots, '');

  const authored = new Set<string>();
  for (const d of drafts) if (d.annotations.id) authored.add(d.annotations.id);
  const usedBySection = new Map<OpenSection | undefined, Map<string, number>>();
  const authoredUses = new Map<string, number>();
  const ids: string[] = [];
  for (const d of drafts) {
    const own = d.annotations.id;
    if (own) {
      if (authoredUses.has(own))
        diagnostics.push({
          line: d.line,
          severity: 'error',
          message: `step id "${own}" is used twice; this one gets a suffix`,
        });
      ids.push(authoredUses.has(own) ? nextName(authoredUses, own) : (authoredUses.set(own, 2), own));
      continue;
    }
    let used = usedBySection.get(d.section);
    if (!used) usedBySection.set(d.section, (used = new Map()));
    const step = nextName(used, slugOf(d.title) || 'step');
    ids.push(d.section ? `${paths.get(d.section) ?? 'section'}/${step}` : step);
  }
  if (!authored.size) return ids;
  // An author's id may equal a generated one (or a suffixed duplicate of another author id): the
  // generated one steps aside.
  const taken = new Set<string>();
  drafts.forEach((d, k) => {
    if (d.annotations.id) taken.add(ids[k]!);
  });
  return ids.map((id, k) => {
    if (drafts[k]!.annotations.id || !taken.has(id)) {
      taken.add(id);
      return id;
    }
    let n = 2;
    while (taken.has(`${id}-${n}`)) n++;
    taken.add(`${id}-${n}`);
    return `${id}-${n}`;
  });
}
