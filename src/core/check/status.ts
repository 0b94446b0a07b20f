// Status of a step, a section and a runbook. A check gives ok / warning / critical; a run can also
// end failed (the command could not run, or exited non-zero with nothing recognized), refused (not
// run: a write that was not confirmed, or an untrusted workspace) or cancelled.
//
// Order, least to most severe: not-run < ok < refused < cancelled < warning < failed < critical.
// - refused and cancelled sit above ok so a section is never shown all-clear while a step did not
//   run; cancelled above refused, since a cancelled command may have done part of its work;
// - failed sits above warning: a diagnostic that did not work tells nothing, which is worse than a
//   known, moderate problem;
// - critical is the top: a check found a confirmed problem (and a failing command whose output was
//   recognized as a known failure, such as CUDA out of memory, is critical rather than failed).
import type { Runbook, Section } from '../runbook/model';

export type Level = 'ok' | 'warning' | 'critical';
export type StepStatus = 'not-run' | 'ok' | 'refused' | 'cancelled' | 'warning' | 'failed' | 'critical';

export const STATUS_ORDER: readonly StepStatus[] = [
  'not-run',
  'ok',
  'refused',
  'cancelled',
  'warning',
  'failed',
  'critical',
];

export const severity = (s: StepStatus): number => STATUS_ORDER.indexOf(s);

/** The most severe status; `not-run` for none. */
export function worst(statuses: Iterable<StepStatus>): StepStatus {
  let w: StepStatus = 'not-run';
  for (const s of statuses) if (severity(s) > severity(w)) w = s;
  return w;
}

export function worstLevel(levels: Iterable<Level>): Level {
  let w: Level = 'ok';
  for (const l of levels) if (severity(l) > severity(w)) w = l;
  return w;
}

export interface RunOutcome {
  /** Nothing ran: a write was not confirmed, or the workspace is not trusted. */
  readonly refused?: boolean;
  /** The run was stopped by the person (or a timeout they set). */
  readonly cancelled?: boolean;
  /** The command could not be started, or exited non-zero. */
  readonly failed?: boolean;
  /** The worst level of the checks on its output; undefined when nothing was checked. */
  readonly level?: Level;
}

/** A step's status from its last run. */
export function stepStatus(run: RunOutcome | undefined): StepStatus {
  if (!run) return 'not-run';
  if (run.cancelled) return 'cancelled';
  if (run.refused) return 'refused';
  return worst([run.failed ? 'failed' : 'ok', run.level ?? 'ok']);
}

/** A section's status: the worst of its own steps and its sub-sections'. */
export function sectionStatus(section: Section, statusOf: (stepId: string) => StepStatus): StepStatus {
  return worst([
    ...section.steps.map((s) => statusOf(s.id)),
    ...section.sections.map((s) => sectionStatus(s, statusOf)),
  ]);
}

export function runbookStatus(runbook: Runbook, statusOf: (stepId: string) => StepStatus): StepStatus {
  return worst([
    ...runbook.steps.map((s) => statusOf(s.id)),
    ...runbook.sections.map((s) => sectionStatus(s, statusOf)),
  ]);
}
