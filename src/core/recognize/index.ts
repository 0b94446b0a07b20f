// The dispatcher: picks the recognizer for a command's output. Recognizers whose command matches
// are tried first, then every recognizer sniffs the output; the first that understands it wins.
// Known failures are looked for in every text output. Output nobody recognizes stays plain text (null).
import { apacheBench } from './apache-bench';
import { df } from './df';
import { dockerStats } from './docker-stats';
import { explainRecognizer } from './explain-plan';
import { free } from './free';
import { jstatGcutil } from './jstat-gcutil';
import { jvmHistogram } from './jvm-histogram';
import { scanFailures } from './failures';
import { kubectlGetPods } from './kubectl-get-pods';
import { kubectlTopNodes, kubectlTopPods } from './kubectl-top';
import { memoryProfiler } from './memory-profiler';
import { nvidiaSmiComputeApps, nvidiaSmiQueryGpu } from './nvidia-smi-csv';
import { pgConnections } from './pg-activity';
import { ps } from './ps';
import { nvidiaSmiDmon, nvidiaSmiPmon } from './nvidia-smi-dmon';
import { nvidiaSmiTable } from './nvidia-smi-table';
import { nvidiaSmiXml } from './nvidia-smi-xml';
import { torchMemorySummary } from './torch-memory-summary';
import type { Recognizer } from './recognizer';
import type { KnownFailure, Metric, Recognition, RecognizerInput } from './types';

// Order matters only for sniffing: more specific layouts before looser ones.
const RECOGNIZERS: readonly Recognizer<string, never>[] = [
  kubectlTopNodes,
  kubectlTopPods,
  kubectlGetPods,
  dockerStats,
  nvidiaSmiXml,
  nvidiaSmiTable,
  nvidiaSmiPmon,
  nvidiaSmiDmon,
  torchMemorySummary,
  nvidiaSmiQueryGpu,
  nvidiaSmiComputeApps,
  explainRecognizer,
  pgConnections,
  jvmHistogram,
  jstatGcutil,
  free,
  df,
  ps,
  memoryProfiler,
  apacheBench,
] as unknown as Recognizer<string, never>[];

export const FAILURES_KIND = 'failures';

export interface FailuresData {
  readonly failures: readonly KnownFailure[];
}

export function allRecognizers(): readonly Recognizer<string, unknown>[] {
  return RECOGNIZERS as unknown as Recognizer<string, unknown>[];
}

export function recognizerFor(kind: string): Recognizer<string, unknown> | undefined {
  return allRecognizers().find((r) => r.kind === kind);
}

function attempt(r: Recognizer<string, unknown>, input: RecognizerInput, command: string): unknown {
  try {
    return r.parse(input, command);
  } catch {
    // A parser that throws on odd output is a bug, but the output still deserves the next recognizer.
    return null;
  }
}

export function failureMetrics(failures: readonly KnownFailure[]): Metric[] {
  return [
    {
      path: 'failures.kind',
      dimension: 'text',
      description: 'failure',
      samples: failures.map((f) => ({ label: f.summary, value: f.kind })),
    },
  ];
}

/** Recognizes a command's output (text, or rows from a query step); null when nothing applies. */
export function recognize(command: string, input: RecognizerInput): Recognition | null {
  const failures = typeof input === 'string' ? scanFailures(input) : [];
  const all = allRecognizers();
  const ordered = [...all.filter((r) => safeMatch(r, command)), ...all.filter((r) => !safeMatch(r, command))];
  for (const r of ordered) {
    const data = attempt(r, input, command);
    if (data === null || data === undefined) continue;
    let metrics: Metric[];
    try {
      metrics = r.metrics(data);
    } catch {
      metrics = [];
    }
    return {
      kind: r.kind,
      title: r.title,
      data,
      metrics: [...metrics, ...failureMetrics(failures)],
      failures,
    };
  }
  if (failures.length) {
    const data: FailuresData = { failures };
    return { kind: FAILURES_KIND, title: 'Known failure', data, metrics: failureMetrics(failures), failures };
  }
  return null;
}

function safeMatch(r: Recognizer<string, unknown>, command: string): boolean {
  try {
    return r.matchesCommand(command);
  } catch {
    return false;
  }
}

export type { Recognition, RecognizerInput, Metric, KnownFailure } from './types';
