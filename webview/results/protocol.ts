// Messages between the Runbook Results view and its host. Imported by both sides.
import type { Schema, MessageOf } from '../shared/validate';

export type Level = 'ok' | 'warning' | 'critical';
/** A step's or run's status as the tree shows it (check/status.ts), or running. */
export type Outcome =
  'running' | 'not-run' | 'ok' | 'refused' | 'cancelled' | 'warning' | 'failed' | 'critical';

export interface ResultCause {
  text: string;
  section: string;
  line?: number;
}

export interface ResultFinding {
  level: Level;
  message: string;
  source: 'author' | 'default' | 'failure';
  /** The row the check named ("GPU 0", "pod web-1"): charts mark it. */
  label?: string;
  causes: ResultCause[];
}

export interface ResultCommand {
  index: number;
  text: string;
  /** How the command ended (the runner's words: ok, failed, timeout, ...). */
  status: string;
  exitCode: number | null;
  durationMs: number;
  message?: string;
  recognizer: string | null;
  title: string | null;
  /** The recognized data (EXPLAIN plans without their raw JSON document). */
  data: unknown;
  level: Level | null;
  findings: ResultFinding[];
  diagnostics: string[];
}

export interface ResultStep {
  stepId: string;
  title: string;
  outcome: Outcome;
  commands: ResultCommand[];
}

export interface ResultRun {
  id: string;
  title: string;
  runbook: string;
  outcome: Outcome;
  startedAt: number;
  durationMs?: number;
  steps: ResultStep[];
}

export interface RunListItem {
  id: string;
  title: string;
  outcome: Outcome;
  startedAt: number;
}

/** Host -> page. */
export type HostMessage =
  | { type: 'runs'; runs: RunListItem[]; selected?: string }
  | { type: 'run'; run: ResultRun }
  | { type: 'empty'; message: string };

/** Page -> host: validated with this schema before use. */
export const pageMessages = {
  ready: {},
  select: { runId: 'string' },
  showOutput: { runId: 'string' },
  openSource: { runId: 'string', line: 'number' },
} satisfies Schema;
export type PageMessage = MessageOf<typeof pageMessages>;
