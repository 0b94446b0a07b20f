// History records are data written by any version of the extension or the CLI: read their
// `findings` field defensively, keeping only the parts a report prints.
import { worstLevel, type Level } from '../check/status';

export interface ReportCause {
  readonly text: string;
  readonly section: string;
  readonly line?: number;
}

export interface ReportFinding {
  readonly level: Level;
  readonly message: string;
  readonly causes: readonly ReportCause[];
}

export interface ReportAssessment {
  readonly recognizer: string | null;
  readonly title: string | null;
  readonly level: Level;
  readonly findings: readonly ReportFinding[];
}

const LEVELS: ReadonlySet<string> = new Set(['ok', 'warning', 'critical']);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

function cause(x: unknown): ReportCause | null {
  if (!isObject(x) || typeof x.text !== 'string') return null;
  const line = typeof x.line === 'number' && Number.isInteger(x.line) && x.line > 0 ? x.line : undefined;
  return { text: x.text, section: str(x.section) ?? '', ...(line !== undefined ? { line } : {}) };
}

function finding(x: unknown): ReportFinding | null {
  if (!isObject(x) || typeof x.message !== 'string' || !LEVELS.has(String(x.level))) return null;
  const causes = Array.isArray(x.causes) ? x.causes.map(cause).filter((c): c is ReportCause => !!c) : [];
  return { level: x.level as Level, message: x.message, causes };
}

/** The record's assessment, or null when it has none (or it is not one this reader understands). */
export function readStoredFindings(x: unknown): ReportAssessment | null {
  if (!isObject(x)) return null;
  const findings = Array.isArray(x.findings)
    ? x.findings.map(finding).filter((f): f is ReportFinding => !!f)
    : [];
  const level = LEVELS.has(String(x.level)) ? (x.level as Level) : 'ok';
  return { recognizer: str(x.recognizer), title: str(x.title), level, findings };
}

/** The worst of the stored level and its findings' (a record may disagree with itself). */
export function assessedLevel(a: ReportAssessment): Level {
  return worstLevel([a.level, ...a.findings.map((f) => f.level)]);
}
