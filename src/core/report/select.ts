// Choosing what goes in a report: runs as a person picks them (one line per run, newest first),
// and the records of the chosen runs or of everything since a time.
import { worst, type StepStatus } from '../check/status';
import type { HistoryRecord } from '../run/history';
import { commandOutcome } from './model';
import { assessedLevel, readStoredFindings } from './stored-findings';

export interface RunSummary {
  readonly runId: string;
  readonly startedAt: string;
  readonly runbook: string;
  readonly runbookTitle: string;
  /** Step titles in the order they ran. */
  readonly steps: readonly string[];
  readonly commands: number;
  readonly status: StepStatus;
}

function recordStatus(r: HistoryRecord): StepStatus {
  const a = readStoredFindings(r.findings);
  return commandOutcome({ status: r.status, level: a ? assessedLevel(a) : undefined });
}

/** One summary per run, newest first (by the run's first command). */
export function summarizeRuns(records: readonly HistoryRecord[]): RunSummary[] {
  const byRun = new Map<string, HistoryRecord[]>();
  for (const r of records) {
    const g = byRun.get(r.runId);
    if (g) g.push(r);
    else byRun.set(r.runId, [r]);
  }
  const out: RunSummary[] = [];
  for (const [runId, rs] of byRun) {
    rs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.commandIndex - b.commandIndex);
    const first = rs[0]!;
    const steps: string[] = [];
    for (const r of rs) if (!steps.includes(r.stepTitle)) steps.push(r.stepTitle);
    out.push({
      runId,
      startedAt: first.startedAt,
      runbook: first.runbook,
      runbookTitle: first.runbookTitle ?? first.runbook.split(/[\\/]/).pop() ?? first.runbook,
      steps,
      commands: rs.length,
      status: worst(rs.map(recordStatus)),
    });
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export interface Selection {
  readonly records: HistoryRecord[];
  /** Requested run ids that match no run (or more than one, as a prefix). */
  readonly unknownRuns: string[];
}

/**
 * The records of the runs asked for by id (a unique prefix is enough) and of every run that
 * started at or after `since`. Runs are taken whole: a run that began before `since` is left out
 * even if its last command ran after.
 */
export function selectRecords(
  records: readonly HistoryRecord[],
  criteria: { since?: Date; runIds?: readonly string[] },
): Selection {
  const runs = summarizeRuns(records);
  const chosen = new Set<string>();
  const unknownRuns: string[] = [];
  for (const id of criteria.runIds ?? []) {
    const exact = runs.find((r) => r.runId === id);
    const matches = exact ? [exact] : runs.filter((r) => r.runId.startsWith(id));
    if (matches.length === 1) chosen.add(matches[0]!.runId);
    else unknownRuns.push(id);
  }
  if (criteria.since) {
    const t = criteria.since.getTime();
    for (const r of runs) if (Date.parse(r.startedAt) >= t) chosen.add(r.runId);
  }
  return { records: records.filter((r) => chosen.has(r.runId)), unknownRuns };
}

const STATUS_ICON: Record<StepStatus, string> = {
  'not-run': 'circle-outline',
  ok: 'pass',
  refused: 'shield',
  cancelled: 'circle-slash',
  warning: 'warning',
  failed: 'error',
  critical: 'flame',
};

/** "12 min ago", "3 h ago", "2 days ago": how long before `now` a run started. */
export function ago(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** How a run reads in a picker: icon and runbook › first step, when, and every step it ran. */
export function describeRun(
  run: RunSummary,
  now: Date,
): { label: string; description: string; detail: string; icon: string } {
  const more = run.steps.length > 1 ? ` (+${run.steps.length - 1} more)` : '';
  return {
    icon: STATUS_ICON[run.status],
    label: `${run.runbookTitle} › ${run.steps[0] ?? ''}${more}`,
    description: `${run.status} · ${ago(run.startedAt, now)}`,
    detail: `${new Date(run.startedAt).toLocaleString()} · ${run.commands} command${run.commands === 1 ? '' : 's'} · ${run.steps.join(', ')}`,
  };
}
