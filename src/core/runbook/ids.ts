// Stable step ids: `section-slug/.../step-title-slug`, from the step's own section path and title, so
// an edit elsewhere in the file does not change them. Only duplicates (same path and title) get a
// suffix (`-2`, `-3` in document order). An author's `id=` wins as written.
import type { RunbookDiagnostic } from './model';
import type { OpenSection } from './sections';
import type { StepDraft } from './step-draft';
import { slug } from './text';

const sectionSlugs = new WeakMap<OpenSection, string>();

function sectionPath(s: OpenSection | undefined, cache: Map<string, string>): string {
  if (!s) return '';
  const known = sectionSlugs.get(s);
  if (known !== undefined) return known;
  const own = cached(s.title, cache) || 'section';
  const parent = sectionPath(s.parent, cache);
  const path = parent ? `${parent}/${own}` : own;
  sectionSlugs.set(s, path);
  return path;
}

function cached(text: string, cache: Map<string, string>): string {
  let s = cache.get(text);
  if (s === undefined) {
    s = slug(text, 48);
    cache.set(text, s);
  }
  return s;
}

/** Ids for steps given in document order. */
export function assignIds(drafts: readonly StepDraft[], diagnostics: RunbookDiagnostic[]): string[] {
  const cache = new Map<string, string>();
  const used = new Set<string>();
  const ids: string[] = [];
  // Author ids first, so a generated id never takes one an author chose later in the file.
  for (const d of drafts) if (d.annotations.id) used.add(d.annotations.id);
  const authored = new Set<string>();
  for (const d of drafts) {
    const own = d.annotations.id;
    if (own) {
      if (authored.has(own)) {
        diagnostics.push({
          line: d.line,
          severity: 'error',
          message: `step id "${own}" is used twice; this one gets a suffix`,
        });
        ids.push(unique(own, used));
      } else {
        authored.add(own);
        ids.push(own);
      }
      continue;
    }
    const section = sectionPath(d.section, cache);
    const title = cached(d.title, cache) || 'step';
    ids.push(unique(section ? `${section}/${title}` : title, used));
  }
  return ids;
}

// Where to resume counting suffixes for a base, so many duplicates stay linear.
const nextSuffix = new WeakMap<Set<string>, Map<string, number>>();

function unique(base: string, used: Set<string>): string {
  if (!used.has(base)) {
    used.add(base);
    return base;
  }
  let counters = nextSuffix.get(used);
  if (!counters) nextSuffix.set(used, (counters = new Map()));
  for (let n = counters.get(base) ?? 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) {
      used.add(candidate);
      counters.set(base, n + 1);
      return candidate;
    }
  }
}
