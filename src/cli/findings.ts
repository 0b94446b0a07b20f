// How the CLI prints an assessment: the JSON shape of `"findings"` (run --json, recognize --json)
// and the lines a person reads in a terminal.
import type { Assessment } from '../core/check/assess';
import type { Level } from '../core/check/status';

export interface FindingJson {
  recognizer: string | null;
  level: Level;
  message: string;
  /** The runbook's matching causes/fixes, best first (warning and critical findings only). */
  causes?: { text: string; section: string; line?: number }[];
}

export function findingsJson(a: Pick<Assessment, 'findings'>): FindingJson[] {
  return a.findings.map((f) => ({
    recognizer: f.recognizer,
    level: f.level,
    message: f.message,
    ...(f.causes.length
      ? {
          causes: f.causes.map((c) => ({
            text: c.text,
            section: c.section,
            ...(c.line !== undefined ? { line: c.line } : {}),
          })),
        }
      : {}),
  }));
}

const MARK: Record<Level, string> = { ok: '✓', warning: '⚠', critical: '✖' };

const NOUNS: Record<string, string> = {
  rows: 'row',
  gpus: 'GPU',
  samples: 'sample',
  lines: 'line',
  stats: 'figure',
  failures: 'failure',
};

/** A count for the data people recognize by rows (pods, GPUs, file systems, plan nodes). */
function sizeOf(data: unknown): string {
  if (!data || typeof data !== 'object') return '';
  const d = data as Record<string, unknown>;
  const count = (n: number, noun: string): string => ` (${n} ${noun}${n === 1 ? '' : 's'})`;
  for (const [key, noun] of Object.entries(NOUNS)) {
    const v = d[key];
    if (Array.isArray(v)) return count(v.length, noun);
  }
  if (typeof d['nodeCount'] === 'number') return count(d['nodeCount'], 'plan node');
  return '';
}

/** Lines for a terminal: what was recognized, each finding, the causes of the bad ones, check problems. */
export function findingLines(a: Assessment, runbookName?: string): string[] {
  const out: string[] = [];
  if (a.recognizer) out.push(`recognized: ${a.title ?? a.recognizer}${sizeOf(a.data)}`);
  for (const f of a.findings) {
    out.push(`${MARK[f.level]} ${f.message}`);
    for (const c of f.causes)
      out.push(
        `    → ${c.text}${c.line !== undefined ? ` (${runbookName ? `${runbookName}:` : 'line '}${c.line})` : ''}`,
      );
  }
  for (const d of a.diagnostics) out.push(`! ${d}`);
  return out;
}
