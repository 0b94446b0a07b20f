// Messages between the Runbook Output panel and its host. Imported by both sides.
import type { Schema, MessageOf } from '../shared/validate';

export type RunStatus =
  'queued' | 'running' | 'ok' | 'warning' | 'critical' | 'failed' | 'cancelled' | 'timeout' | 'refused';

export interface RunSummary {
  id: string;
  title: string;
  runbook: string;
  /** The resolved command(s), secrets masked. */
  command: string;
  status: RunStatus;
  startedAt: number;
  durationMs?: number;
  exitCode?: number;
  message?: string;
}

/** Host -> page. */
export type HostMessage =
  | { type: 'runs'; runs: RunSummary[]; selected?: string }
  | { type: 'output'; runId: string; text: string; reset: boolean; truncated: boolean }
  | { type: 'append'; runId: string; text: string };

/** Page -> host: validated with this schema before use. */
export const pageMessages = {
  ready: {},
  select: { runId: 'string' },
  cancel: { runId: 'string' },
  copy: { runId: 'string' },
  openFile: { runId: 'string' },
} satisfies Schema;
export type PageMessage = MessageOf<typeof pageMessages>;
