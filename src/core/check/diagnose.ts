// Diagnosis: a warning or critical finding points at the runbook's own causes and fixes — the list
// items under "Common Causes and Fixes", "Fixes", "Emergency Mitigation" and the like. The author's
// `cause=` annotation wins; otherwise the finding's topic terms are matched against the item text.
import type { Runbook, Section } from '../runbook/model';
import type { Finding } from './evaluate';

export interface CauseItem {
  /** The list item's text, e.g. "Database connection exhaustion → Increase connection pool size ...". */
  readonly text: string;
  /** The title of the list it sits under, e.g. "Common Causes and Fixes". */
  readonly section: string;
  /** 1-based source line. */
  readonly line?: number;
  /** The heading above that list, naming the problem: "Memory Leaks", "Database Connection Issues". */
  readonly topic?: string;
}

export interface DiagnosisMatch {
  readonly item: CauseItem;
  readonly by: 'annotation' | 'terms';
  /** Higher is closer; annotation matches score Infinity. */
  readonly score: number;
  /** The finding's terms found in the item. */
  readonly terms: string[];
}

/** Titles of lists that hold causes, fixes or mitigations. */
export const CAUSE_TITLE =
  /\b(causes?|fix(es)?|mitigations?|solutions?|remediation|resolution|workarounds?|common (issues|sources|problems))\b/i;

// Topic terms per figure (by path prefix) and per known failure. Phrases weigh more than words.
const TOPICS: readonly { match: RegExp; terms: string[] }[] = [
  {
    match: /^connections\.|^failure:too-many-connections$/,
    terms: [
      'database connection exhaustion',
      'connection exhaustion',
      'connection pool',
      'too many connections',
      'connection pooling',
      'database connection',
      'connections',
      'pool',
    ],
  },
  {
    match: /^failure:connection-refused$/,
    terms: [
      'connection refused',
      'network connectivity',
      'database server status',
      'backup database',
      'connectivity',
      'outage',
    ],
  },
  {
    match: /^gpu\.memory|^torch\.|^failure:cuda-oom$/,
    terms: [
      'gpu memory fragmentation',
      'gpu memory',
      'gpu out of memory',
      'out of memory',
      'memory limits',
      'fragmentation',
      'mixed precision',
      'quantization',
      'gpu',
    ],
  },
  {
    match: /^gpu\./,
    terms: ['gpu utilization', 'gpu', 'inference', 'batch inference', 'model serving'],
  },
  {
    match: /^failure:checkpoint-/,
    terms: [
      'model file corruption',
      'model loading failures',
      'model loading',
      'version mismatch',
      'model versioning',
      'automatic reloading',
      'health checks',
      'corruption',
      'checkpoint',
      'model file',
    ],
  },
  {
    match: /^pods\.(restarts|status|not_ready)|^failure:oom-killed$/,
    terms: [
      'application restarts',
      'memory pressure',
      'oom kills',
      'out of memory',
      'restarts',
      'memory leaks',
      'memory limits',
      'crash',
    ],
  },
  {
    match:
      /^(pods|nodes|containers|processes|memory|swap|jvm|heap|python)\.(memory|rss|used|old|heap|mem)|^memory\.|^heap\.|^jvm\.|^failure:java-oom$/,
    terms: [
      'memory leaks',
      'memory usage',
      'memory pressure',
      'garbage collection',
      'growing caches',
      'cache size limits',
      'resource cleanup',
      'out of memory',
      'memory',
      'leak',
      'cache',
      'heap',
      'oom',
    ],
  },
  {
    match: /\.cpu|cpu_pct/,
    terms: ['scale out', 'traffic spikes', 'resource utilization', 'cpu', 'load', 'horizontally'],
  },
  {
    match: /^disk\./,
    terms: ['disk space', 'disk', 'log', 'cleanup', 'space'],
  },
  {
    match: /^plan\./,
    terms: [
      'slow query',
      'query performance',
      'explain analyze',
      'indexes',
      'index',
      'query',
      'read replicas',
      'statistics',
    ],
  },
  {
    match: /^http\.latency|^run\.duration/,
    terms: ['high latency', 'latency', 'response time', 'timeouts', 'cold start', 'circuit breakers', 'slow'],
  },
  {
    match: /^http\.error/,
    terms: ['error rate', '500 errors', 'errors', 'failures', 'roll back', 'health check'],
  },
];

/** The topic terms of a finding: from its figure's path, its known failure, its recognizer. */
export function findingTerms(finding: Finding): string[] {
  const keys = [finding.metric ?? '', finding.failure ? `failure:${finding.failure}` : ''].filter(Boolean);
  if (finding.metric === 'failures.kind' && typeof finding.value === 'string')
    keys.push(`failure:${finding.value}`);
  const terms: string[] = [];
  for (const t of TOPICS)
    if (keys.some((k) => t.match.test(k))) for (const w of t.terms) if (!terms.includes(w)) terms.push(w);
  return terms;
}

const STOP = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'of',
  'to',
  'for',
  'in',
  'on',
  'with',
  'by',
  'use',
  'set',
  'up',
]);

/** Lower-case word stems: crude, but "connections", "connection" and "connect" meet. */
export function stems(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w))
    .map((w) => (w.length > 4 ? w.replace(/(ations|ation|ings|ing|ions|ion|ies|es|s|ed)$/, '') : w));
}

const containsRun = (hay: string[], needle: string[]): boolean => {
  if (!needle.length || needle.length > hay.length) return false;
  for (let i = 0; i + needle.length <= hay.length; i++)
    if (needle.every((w, j) => hay[i + j] === w)) return true;
  return false;
};

/** "Cause → Fix" (also ->, =>, :, —): the cause part weighs more than the fix part. */
function splitCause(text: string): { cause: string; fix: string } {
  const m = /\s*(?:→|->|=>|—|:)\s*/.exec(text);
  if (!m || m.index === 0) return { cause: text, fix: '' };
  return { cause: text.slice(0, m.index), fix: text.slice(m.index + m[0].length) };
}

/** The minimum score for a match by terms: one phrase, or two separate words. */
export const MIN_SCORE = 2;

/**
 * Items that explain a finding, best first. `cause` is the author's annotation (`cause=...`, items
 * separated by `|`): items containing it win outright; when it names nothing in the list the
 * terms decide. Ok findings have no diagnosis.
 */
export function diagnose(finding: Finding, items: readonly CauseItem[], cause?: string): DiagnosisMatch[] {
  if (finding.level === 'ok') return [];
  if (cause?.trim()) {
    const wanted = cause
      .split('|')
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean);
    const hits = items.filter((it) => wanted.some((w) => it.text.toLowerCase().includes(w)));
    if (hits.length) return hits.map((item) => ({ item, by: 'annotation', score: Infinity, terms: [] }));
  }
  const terms = findingTerms(finding);
  const out: DiagnosisMatch[] = [];
  for (const item of items) {
    const { cause: c, fix } = splitCause(item.text);
    const cs = stems(c);
    const fs = stems(fix);
    const ts0 = stems(item.topic ?? '');
    let score = 0;
    const found: string[] = [];
    for (const term of terms) {
      const ts = stems(term);
      if (!ts.length) continue;
      // A phrase scores per word, more in the cause than in the fix.
      if (containsRun(cs, ts)) score += ts.length * (ts.length > 1 ? 3 : 1.5);
      else if (containsRun(fs, ts)) score += ts.length * (ts.length > 1 ? 1.5 : 0.75);
      // The problem the list belongs to ("Memory Leaks") counts a little.
      else if (ts.length > 1 && containsRun(ts0, ts)) score += ts.length;
      else continue;
      found.push(term);
    }
    if (score >= MIN_SCORE) out.push({ item, by: 'terms', score, terms: found });
  }
  return out.sort((a, b) => b.score - a.score || (a.item.line ?? 0) - (b.item.line ?? 0));
}

/**
 * The cause/fix list items of a Markdown runbook: lists under a heading (`#`, `**Bold**`, or a
 * `Label:` line) whose title names causes, fixes or mitigations.
 */
export function causeItemsFromMarkdown(source: string): CauseItem[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const items: CauseItem[] = [];
  let section: string | null = null;
  let topic: string | null = null;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const heading =
      /^#{1,6}\s+(.+?)\s*#*$/.exec(line)?.[1] ??
      /^\s*\*\*(.+?)\*\*:?\s*$/.exec(line)?.[1] ??
      /^([A-Z][^:\-*#>|`]{2,80}):\s*$/.exec(line)?.[1] ??
      /^===\s*(.+?)\s*===$/.exec(line)?.[1];
    if (heading) {
      section = CAUSE_TITLE.test(heading) ? heading.replace(/:$/, '').trim() : null;
      if (!section && /^(#|\s*\*\*|===)/.test(line)) topic = heading.trim();
      continue;
    }
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.+)$/.exec(line);
    if (item && section)
      items.push({ text: (item[1] as string).trim(), section, line: i + 1, ...(topic ? { topic } : {}) });
    else if (line.trim() && !item && section && !/^\s{2,}/.test(line)) section = null;
  }
  return items;
}

/**
 * The cause/fix items of a parsed runbook: the list items of every section whose title names
 * causes, fixes or mitigations, and its manual steps (imperative lists such as "Emergency
 * Mitigation" are parsed as steps to tick off). The topic is the nearest enclosing section that
 * names the problem ("Memory Leaks").
 */
export function causeItemsFromRunbook(runbook: Runbook): CauseItem[] {
  const out: CauseItem[] = [];
  const visit = (s: Section, topic: string | null): void => {
    if (CAUSE_TITLE.test(s.title)) {
      const withTopic = topic ? { topic } : {};
      for (const it of s.items ?? [])
        out.push({ text: it.text, section: s.title, line: it.line, ...withTopic });
      for (const st of s.steps)
        if (st.kind === 'manual') out.push({ text: st.title, section: s.title, line: st.line, ...withTopic });
    }
    const next = CAUSE_TITLE.test(s.title) ? topic : s.title;
    for (const c of s.sections) visit(c, next);
  };
  for (const s of runbook.sections) visit(s, null);
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
