// Findings of a run, in the one place the extension and the CLI share: a finished command is
// recognized and judged (assess) with its step's checks and its runbook's causes; a step's level is
// the worst of its commands'; a step's status in the tree and in history joins how the run ended
// (failed, cancelled, ...) with that level (status.ts decides the order).
import type { Runbook } from '../runbook/model';
import type { Step } from '../runbook/model';
import type { Metric, QueryRows } from '../recognize/types';
import type { CommandResult, RunbookRef, StepStatus as RunnerStepStatus } from '../run/runner';
import type { SqlResultSet } from '../run/sql';
import { assess, stepCheckOptions, type AssessedFinding, type Assessment } from './assess';
import { causeItemsFromRunbook, type CauseItem } from './diagnose';
import { severity, stepStatus, worstLevel, type Level, type StepStatus } from './status';

/** What history keeps of an assessment: all but the recognized data, which the output file re-derives. */
export type StoredFindings = Omit<Assessment, 'data'>;

/** Statuses after which there is nothing to judge: the command never ran, or was stopped midway. */
const NOT_JUDGED: ReadonlySet<string> = new Set(['refused', 'cancelled']);

/** A query step's result sets that hold rows, as the recognizers take them. */
export function queryInputs(sets: readonly SqlResultSet[]): QueryRows[] {
  return sets
    .filter((s) => s.columns.length > 0)
    .map((s) => ({ columns: s.columns.map((c) => c.name), rows: s.rows }));
}

/** Figures the runner knows besides the output, for checks such as `run.duration > 5s`. */
export function runMetrics(result: Pick<CommandResult, 'durationMs' | 'exitCode'>): Metric[] {
  const out: Metric[] = [
    {
      path: 'run.duration',
      dimension: 'seconds',
      description: 'duration',
      samples: [{ label: 'run', value: result.durationMs / 1000 }],
    },
  ];
  if (result.exitCode !== null)
    out.push({
      path: 'run.exit_code',
      dimension: 'count',
      description: 'exit code',
      samples: [{ label: 'run', value: result.exitCode }],
    });
  return out;
}

/**
 * Recognizes and judges one finished command. Query steps: the first result set a recognizer
 * understands; when none does, the error message and text (a refused connection is a known failure).
 * Null when the command did not run to the end (refused, cancelled).
 */
export function assessCommand(
  result: CommandResult,
  step: Step,
  causes: readonly CauseItem[],
): Assessment | null {
  if (NOT_JUDGED.has(result.status)) return null;
  const options = { ...stepCheckOptions(step), causes, extraMetrics: runMetrics(result) };
  const command = result.text;
  if (result.kind === 'query') {
    let first: Assessment | null = null;
    for (const rows of queryInputs(result.sql?.results ?? [])) {
      const a = assess(command, rows, options);
      if (a.recognizer) return a;
      first ??= a;
    }
    const text = [result.output, result.message].filter(Boolean).join('\n');
    const fromText = text ? assess(command, text, options) : null;
    if (fromText?.recognizer) return fromText;
    return first ?? fromText ?? assess(command, '', options);
  }
  return assess(command, result.output, options);
}

const causesOf = new WeakMap<Runbook, readonly CauseItem[]>();

/** The runbook's cause/fix items, computed once per parsed runbook. */
export function runbookCauses(runbook: Runbook): readonly CauseItem[] {
  let items = causesOf.get(runbook);
  if (!items) {
    items = causeItemsFromRunbook(runbook);
    causesOf.set(runbook, items);
  }
  return items;
}

/** The runner's `assess` hook (RunnerOptions.assess): the same judgement for the extension and the CLI. */
export function assessRunCommand(result: CommandResult, step: Step, ref: RunbookRef): Assessment | null {
  return assessCommand(result, step, runbookCauses(ref.runbook));
}

export function storedFindings(a: Assessment): StoredFindings {
  const { data: _data, ...rest } = a;
  return rest;
}

/** The worst level of the judged commands; undefined when none was judged. */
export function stepLevel(
  assessments: Iterable<Pick<Assessment, 'level'> | null | undefined>,
): Level | undefined {
  const levels: Level[] = [];
  for (const a of assessments) if (a) levels.push(a.level);
  return levels.length ? worstLevel(levels) : undefined;
}

/** How a step ended (the runner's words) joined with its level, as the tree and history show it. */
export function stepOutcome(status: RunnerStepStatus, level?: Level): StepStatus {
  const withLevel = level ? { level } : {};
  switch (status) {
    case 'queued':
    case 'running':
    case 'skipped':
      return 'not-run';
    case 'cancelled':
      return stepStatus({ cancelled: true });
    case 'refused':
      // Not run (a write not confirmed, an untrusted workspace): not the same as stopped midway.
      return stepStatus({ refused: true });
    case 'ok':
      return stepStatus(withLevel);
    default:
      return stepStatus({ failed: true, ...withLevel });
  }
}

/** The finding a one-line summary should name: the first of the worst level, or undefined when all are ok. */
export function headline<F extends Pick<AssessedFinding, 'level'>>(findings: readonly F[]): F | undefined {
  let best: F | undefined;
  for (const f of findings)
    if (f.level !== 'ok' && (!best || severity(f.level) > severity(best.level))) best = f;
  return best;
}
