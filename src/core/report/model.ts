// The incident report as data: the chosen history records grouped into step runs in time order,
// each command with its findings, figures, captured files and the person's note, and a summary of
// what was found. Every text a record, a note or an output carried is masked again here: the
// runner masked it when it was stored, this is the second net (a secret known only now — an env
// value the CLI sees — is caught too). `runbook report --json` prints this model.
import { isAbsolute } from 'node:path';
import { severity, stepStatus, worst, type Level, type StepStatus } from '../check/status';
import type { HistoryRecord } from '../run/history';
import { isSecretName, MASK, Masker } from '../run/mask';
import type { CaptureKind } from './captures';
import { assessedLevel, readStoredFindings, type ReportCause } from './stored-findings';

/** A file a step wrote that still exists: absolute path, what it is, its size. */
export interface CaptureLink {
  readonly path: string;
  readonly kind: CaptureKind;
  readonly bytes?: number;
}

export interface ReportOptions {
  readonly title?: string;
  /** When the report is made (its header); default now. */
  readonly now?: Date;
  /** Free text per step run, keyed by stepKey(record). */
  readonly notes?: Readonly<Record<string, string>>;
  /** Files each command wrote, keyed by record id (gather.ts finds and checks them). */
  readonly profileLinks?: Readonly<Record<string, readonly CaptureLink[]>>;
  /** Figures re-derived from each command's output, keyed by record id. */
  readonly figures?: Readonly<Record<string, readonly string[]>>;
  /** Why a failed command failed (the tail of its output), keyed by record id. */
  readonly excerpts?: Readonly<Record<string, string>>;
  /** The history folder, to link each command's full output; omitted: no output links. */
  readonly historyDir?: string;
  /** Adds secrets the caller knows about to the patterns every Masker hides. */
  readonly masker?: Masker;
}

export interface ReportCommand {
  readonly id: string;
  readonly command: string;
  readonly status: HistoryRecord['status'];
  /** How it ended joined with its checks, as the tree shows a step. */
  readonly outcome: StepStatus;
  readonly exitCode: number | null;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly message?: string;
  readonly recognizer?: string;
  readonly level?: Level;
  readonly findings: readonly { level: Level; message: string; causes: readonly ReportCause[] }[];
  readonly figures: readonly string[];
  readonly excerpt?: string;
  readonly output?: string;
  readonly captures: readonly CaptureLink[];
  readonly variables: Readonly<Record<string, string>>;
}

export interface ReportEntry {
  readonly key: string;
  readonly runId: string;
  readonly runbook: string;
  readonly runbookTitle: string;
  readonly stepId: string;
  readonly stepTitle: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly status: StepStatus;
  readonly note?: string;
  readonly commands: readonly ReportCommand[];
}

export type ProblemLevel = 'critical' | 'failed' | 'warning';

export interface ReportProblem {
  readonly level: ProblemLevel;
  readonly message: string;
  /** For a failed command: the command (first line). */
  readonly command?: string;
  /** The step runs it was seen in (keys), first first. */
  readonly entries: readonly string[];
  readonly stepTitle: string;
  readonly runbookTitle: string;
  readonly runbook: string;
  readonly causes: readonly ReportCause[];
  readonly firstAt: string;
}

export interface ReportModel {
  readonly title: string;
  readonly generatedAt: string;
  readonly from?: string;
  readonly to?: string;
  /** Worst status over every step; not-run when the report has no records. */
  readonly status: StepStatus;
  readonly counts: {
    readonly steps: number;
    readonly commands: number;
    readonly runbooks: number;
    readonly critical: number;
    readonly warning: number;
    readonly failed: number;
  };
  readonly problems: readonly ReportProblem[];
  readonly entries: readonly ReportEntry[];
}

/** The key a note is filed under: one step in one run. */
export function stepKey(r: Pick<HistoryRecord, 'runId' | 'stepId'>): string {
  return `${r.runId}/${r.stepId}`;
}

/** Command statuses that mean the diagnostic did not work. */
export const FAILED: ReadonlySet<string> = new Set(['failed', 'timeout', 'error', 'output-limit']);
/** How a command ended joined with its checks' level. */
export function commandOutcome(c: { status: string; level?: Level | undefined }): StepStatus {
  return stepStatus({
    cancelled: c.status === 'cancelled',
    refused: c.status === 'refused',
    failed: FAILED.has(c.status),
    ...(c.level ? { level: c.level } : {}),
  });
}

const endOf = (c: Pick<ReportCommand, 'startedAt' | 'durationMs'>): string => {
  const t = Date.parse(c.startedAt);
  return Number.isNaN(t) ? c.startedAt : new Date(t + Math.max(0, c.durationMs)).toISOString();
};

function failureMessage(c: ReportCommand): string {
  const why = c.message ?? (c.exitCode !== null ? `exited with code ${c.exitCode}` : c.status);
  const first = c.excerpt?.split('\n').find((l) => l.trim());
  return first ? `${why}: ${first}` : why;
}

export function buildReportModel(
  records: readonly HistoryRecord[],
  options: ReportOptions = {},
): ReportModel {
  const masker = options.masker ?? new Masker();
  const m = (s: string): string => masker.mask(s);
  const sorted = [...records].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.commandIndex - b.commandIndex,
  );
  const groups = new Map<string, HistoryRecord[]>();
  for (const r of sorted) {
    const k = stepKey(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }

  const entries: ReportEntry[] = [];
  for (const [key, rs] of groups) {
    const commands = rs.map((r): ReportCommand => {
      const a = readStoredFindings(r.findings);
      const level = a ? assessedLevel(a) : undefined;
      const excerpt = options.excerpts?.[r.id];
      const output =
        options.historyDir && r.outputFile ? outputPath(options.historyDir, r.outputFile) : undefined;
      return {
        id: r.id,
        command: m(r.command),
        status: r.status,
        outcome: commandOutcome({ status: r.status, level }),
        exitCode: r.exitCode,
        startedAt: r.startedAt,
        durationMs: r.durationMs,
        ...(r.message ? { message: m(r.message) } : {}),
        ...(a?.recognizer ? { recognizer: m(a.title ?? a.recognizer) } : {}),
        ...(level ? { level } : {}),
        findings: (a?.findings ?? []).map((f) => ({
          level: f.level,
          message: m(f.message),
          causes: f.causes.map((c) => ({ ...c, text: m(c.text), section: m(c.section) })),
        })),
        figures: (options.figures?.[r.id] ?? []).map(m),
        ...(excerpt ? { excerpt: m(excerpt) } : {}),
        ...(output ? { output } : {}),
        captures: (options.profileLinks?.[r.id] ?? []).map((c) => ({ ...c, path: m(c.path) })),
        variables: Object.fromEntries(
          Object.entries(r.variables ?? {}).map(([k, v]) => [k, isSecretName(k) ? MASK : m(String(v))]),
        ),
      };
    });
    const first = rs[0]!;
    const note = options.notes?.[key]?.trim();
    entries.push({
      key,
      runId: first.runId,
      runbook: m(first.runbook),
      runbookTitle: m(first.runbookTitle ?? baseName(first.runbook)),
      stepId: first.stepId,
      stepTitle: m(first.stepTitle),
      startedAt: first.startedAt,
      endedAt: commands.map(endOf).reduce((a, b) => (b > a ? b : a)),
      status: worst(commands.map((c) => c.outcome)),
      ...(note ? { note: m(note) } : {}),
      commands,
    });
  }

  const problems = new Map<string, ReportProblem & { entries: string[] }>();
  const addProblem = (
    e: ReportEntry,
    level: ProblemLevel,
    message: string,
    causes: readonly ReportCause[],
    at: string,
    command?: string,
  ): void => {
    const k = `${level}\u0000${e.runbook}\u0000${e.stepId}\u0000${command ?? ''}\u0000${message}`;
    const p = problems.get(k);
    if (p) {
      if (!p.entries.includes(e.key)) p.entries.push(e.key);
      return;
    }
    problems.set(k, {
      level,
      message,
      ...(command !== undefined ? { command } : {}),
      entries: [e.key],
      stepTitle: e.stepTitle,
      runbookTitle: e.runbookTitle,
      runbook: e.runbook,
      causes,
      firstAt: at,
    });
  };
  let critical = 0;
  let warning = 0;
  let failed = 0;
  for (const e of entries)
    for (const c of e.commands) {
      const bad = c.findings.filter((f) => f.level !== 'ok');
      for (const f of bad) {
        if (f.level === 'critical') critical++;
        else warning++;
        addProblem(e, f.level as ProblemLevel, f.message, f.causes, c.startedAt);
      }
      if (FAILED.has(c.status)) {
        failed++;
        if (!bad.length) addProblem(e, 'failed', failureMessage(c), [], c.startedAt, firstLine(c.command));
      }
    }
  const order = (l: ProblemLevel): number => severity(l);
  const problemList = [...problems.values()].sort(
    (a, b) => order(b.level) - order(a.level) || a.firstAt.localeCompare(b.firstAt),
  );

  return {
    title: m(options.title?.trim() || defaultTitle(entries)),
    generatedAt: (options.now ?? new Date()).toISOString(),
    ...(entries.length
      ? {
          from: entries[0]!.startedAt,
          to: entries.map((e) => e.endedAt).reduce((a, b) => (b > a ? b : a)),
        }
      : {}),
    status: worst(entries.map((e) => e.status)),
    counts: {
      steps: entries.length,
      commands: sorted.length,
      runbooks: new Set(entries.map((e) => e.runbook)).size,
      critical,
      warning,
      failed,
    },
    problems: problemList,
    entries,
  };
}

function defaultTitle(entries: readonly ReportEntry[]): string {
  const titles = [...new Set(entries.map((e) => e.runbookTitle))];
  if (!titles.length) return 'Incident report';
  return `Incident report: ${titles.length <= 3 ? titles.join(', ') : `${titles.slice(0, 3).join(', ')} and ${titles.length - 3} more`}`;
}

const firstLine = (s: string): string => {
  const l = s.split('\n')[0] ?? '';
  return s.includes('\n') ? `${l} …` : l;
};

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

function outputPath(dir: string, rel: string): string | undefined {
  // Records are data: only a plain relative name inside the history folder becomes a link.
  if (isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return undefined;
  return `${dir.replace(/[\\/]+$/, '')}/${rel}`;
}
