// The results of runs as the Results view shows them, built from the runner's events. No `vscode`
// here: the panel (results-panel.ts) holds one of these and posts its runs to the page.
import type { Assessment } from '../../core/check/assess';
import { stepLevel, stepOutcome } from '../../core/check/run-findings';
import { worst, type StepStatus as Outcome } from '../../core/check/status';
import type { CommandResult, RunEvent } from '../../core/run/runner';
import type { ResultCommand, ResultRun, RunListItem } from '../../../webview/results/protocol';

/** Runs kept in memory (with their recognized data); older ones fall off. */
export const MAX_RUNS = 30;

export interface TrackedRun {
  readonly run: ResultRun;
  /** Whether any command's output was recognized (the view then opens by itself). */
  recognized: boolean;
  done: boolean;
}

/** The data as the page needs it: an EXPLAIN plan without its raw JSON document (the nodes hold it all). */
export function pageData(a: Assessment): unknown {
  if (a.recognizer === 'explain' && a.data && typeof a.data === 'object') {
    const { document: _document, ...rest } = a.data as Record<string, unknown>;
    return rest;
  }
  return a.data;
}

export function resultCommand(r: CommandResult): ResultCommand {
  const a = r.assessment;
  return {
    index: r.index,
    text: r.text,
    status: r.status,
    exitCode: r.exitCode,
    durationMs: Math.round(r.durationMs),
    ...(r.message ? { message: r.message } : {}),
    recognizer: a?.recognizer ?? null,
    title: a?.title ?? null,
    data: a ? pageData(a) : null,
    level: a?.level ?? null,
    findings: (a?.findings ?? []).map((f) => ({
      level: f.level,
      message: f.message,
      source: f.source,
      ...(f.label !== undefined ? { label: f.label } : {}),
      causes: f.causes.map((c) => ({
        text: c.text,
        section: c.section,
        ...(c.line !== undefined ? { line: c.line } : {}),
      })),
    })),
    diagnostics: a?.diagnostics ?? [],
  };
}

export class ResultsModel {
  private readonly runs = new Map<string, TrackedRun>();
  private readonly assessments = new Map<string, (Assessment | undefined)[]>();

  start(id: string, title: string, runbook: string, startedAt: number): TrackedRun {
    const tracked: TrackedRun = {
      run: { id, title, runbook, outcome: 'running', startedAt, steps: [] },
      recognized: false,
      done: false,
    };
    this.runs.set(id, tracked);
    while (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value as string);
    return tracked;
  }

  get(id: string): TrackedRun | undefined {
    return this.runs.get(id);
  }

  /** Applies one runner event; returns the run it changed. */
  apply(event: RunEvent): TrackedRun | undefined {
    const t = this.runs.get(event.runId);
    if (!t) return undefined;
    const step = (stepId: string, title = stepId) => {
      let s = t.run.steps.find((x) => x.stepId === stepId);
      if (!s) {
        s = { stepId, title, outcome: 'running', commands: [] };
        t.run.steps.push(s);
      }
      return s;
    };
    const key = (stepId: string): string => `${event.runId}\n${stepId}`;
    switch (event.type) {
      case 'step-start':
        step(event.stepId);
        return t;
      case 'command-end': {
        step(event.stepId).commands.push(resultCommand(event.result));
        const list = this.assessments.get(key(event.stepId)) ?? [];
        list.push(event.result.assessment);
        this.assessments.set(key(event.stepId), list);
        if (event.result.assessment?.recognizer) t.recognized = true;
        return t;
      }
      case 'step-end': {
        const r = event.result;
        const s = step(r.stepId, r.title);
        s.title = r.title;
        s.outcome = stepOutcome(r.status, stepLevel(this.assessments.get(key(r.stepId)) ?? []));
        this.assessments.delete(key(r.stepId));
        return t;
      }
      case 'run-end': {
        t.done = true;
        t.run.durationMs = Date.now() - t.run.startedAt;
        t.run.outcome = worst(t.run.steps.map((s) => s.outcome).filter((o): o is Outcome => o !== 'running'));
        return t;
      }
      default:
        return undefined;
    }
  }

  /** Newest first. */
  list(): RunListItem[] {
    return [...this.runs.values()]
      .map(({ run }) => ({ id: run.id, title: run.title, outcome: run.outcome, startedAt: run.startedAt }))
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  /** The newest run with recognized output, else the newest run. */
  latest(): TrackedRun | undefined {
    const all = [...this.runs.values()].sort((a, b) => b.run.startedAt - a.run.startedAt);
    return all.find((t) => t.recognized) ?? all[0];
  }
}
