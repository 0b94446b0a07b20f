// The shape every recognizer module exports. One module per tool output; the dispatcher (index.ts)
// tries the recognizers whose command matches first, then sniffs the output with all of them.
import type { Metric, RecognizerInput } from './types';

export interface Recognizer<K extends string = string, D = unknown> {
  readonly kind: K;
  /** Human name: "kubectl top pods". */
  readonly title: string;
  /** True when the command line runs the tool this recognizer reads; a hint, never required. */
  readonly matchesCommand: (command: string) => boolean;
  /** Typed data, or null when the output is not this tool's (never throws). */
  readonly parse: (input: RecognizerInput, command: string) => D | null;
  readonly metrics: (data: D) => Metric[];
  /** Checks applied when the author states none for the same metric (the check language). */
  readonly defaults: readonly string[];
}

/** Builds a metric from rows, leaving out rows whose value is missing. */
export function metricOf<R>(
  path: string,
  dimension: Metric['dimension'],
  description: string,
  rows: readonly R[],
  label: (r: R) => string,
  value: (r: R) => number | string | null | undefined,
): Metric {
  const samples: { label: string; value: number | string }[] = [];
  for (const r of rows) {
    const v = value(r);
    if (v !== null && v !== undefined && !(typeof v === 'number' && !Number.isFinite(v)))
      samples.push({ label: label(r), value: v });
  }
  return { path, dimension, description, samples };
}
