// What a recognizer hands back: typed data for the results view, plus the figures a check can
// judge (metrics), plus any known failure seen in the same output.

/** What a number measures; thresholds in checks are converted into this dimension. */
export type Dimension =
  'bytes' | 'percent' | 'seconds' | 'cores' | 'count' | 'ratio' | 'watts' | 'celsius' | 'mhz' | 'text';

/** One figure of one row: a pod's restarts, one GPU's memory used. */
export interface Sample {
  /** Who the figure belongs to, as a person would name it: "pod web-1", "GPU 0". */
  readonly label: string;
  readonly value: number | string;
}

/** A named figure a check can reference, e.g. `gpu.memory.used_pct`, with one sample per row. */
export interface Metric {
  readonly path: string;
  readonly dimension: Dimension;
  /** Words for messages: "memory used" in "GPU 0 memory used 97.1% > 95% (critical)". */
  readonly description: string;
  readonly samples: readonly Sample[];
}

export type FailureKind =
  | 'cuda-oom'
  | 'checkpoint-corrupt'
  | 'checkpoint-missing'
  | 'checkpoint-empty'
  | 'too-many-connections'
  | 'connection-refused'
  | 'oom-killed'
  | 'java-oom';

/** A failure recognized in output by its well-known wording. */
export interface KnownFailure {
  readonly kind: FailureKind;
  /** Short human summary: "CUDA out of memory: tried to allocate 400.00 GiB (138.79 GiB free of 139.80 GiB)". */
  readonly summary: string;
  /** The line (trimmed) the failure was recognized on. */
  readonly evidence: string;
  /** 1-based line in the output. */
  readonly line: number;
  /** Figures pulled from the message, in bytes where they are sizes. */
  readonly figures: Readonly<Record<string, number | string>>;
}

export interface Recognition<K extends string = string, D = unknown> {
  /** Which recognizer understood the output; also the discriminant for `data`. */
  readonly kind: K;
  /** Human name of what was recognized: "kubectl top pods". */
  readonly title: string;
  readonly data: D;
  readonly metrics: readonly Metric[];
  readonly failures: readonly KnownFailure[];
}

/** Rows from a query step (the runner's result for SQL), as columns + rows. */
export interface QueryRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export type RecognizerInput = string | QueryRows;

export function isQueryRows(x: unknown): x is QueryRows {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as QueryRows).columns) &&
    Array.isArray((x as QueryRows).rows)
  );
}
