// The flame model: what every CPU/time/allocation profile format becomes once imported.
// Built for big files and for the webview: columns are typed arrays (one entry per frame, node or
// event) that a worker can transfer without copying, and strings live once in `strings`.
//
//   frames  the distinct functions (name, file, line, column, package), indexes into `strings`
//   tree    the merged call tree ("left heavy"): node 0 is the synthetic root, nodes are in
//           preorder with each node's children sorted by total weight, heaviest first, so the
//           subtree of node i is the index range [i, tree.subtreeEnd[i]) and a renderer lays it
//           out in one linear pass
//   tracks  the time-ordered view, when the format has one: per thread, per CUDA stream or per
//           sampled profile, the calls as intervals (start, end, depth, frame) in start order
// Weights (tree.self/total) are in `unit`; track times are in `timeUnit`.

export type FlameUnit =
  | 'nanoseconds'
  | 'microseconds'
  | 'milliseconds'
  | 'seconds'
  | 'samples'
  | 'bytes'
  /** Unitless weights (speedscope's "none", pprof's "count" of something other than samples). */
  | 'count';

/** cpu: sampled or measured time; allocation: bytes allocated; trace: instrumented intervals. */
export type FlameKind = 'cpu' | 'allocation' | 'trace';

export type FlameFormat =
  | 'cpuprofile'
  | 'heapprofile'
  | 'collapsed'
  | 'perf-script'
  | 'speedscope'
  | 'chrome-trace'
  | 'pprof'
  | 'flamegraph-svg';

export interface FrameTable {
  readonly length: number;
  /** Index into `strings`. */
  readonly name: Int32Array;
  /** Index into `strings`, -1 when unknown. */
  readonly file: Int32Array;
  /** 1-based; 0 when unknown. */
  readonly line: Int32Array;
  /** 1-based; 0 when unknown. */
  readonly column: Int32Array;
  /** Package, module, library or DSO the frame belongs to (for colouring); index into `strings`, -1 when unknown. */
  readonly pkg: Int32Array;
  /** FRAME_GROUP when the frame is not a function but a grouping the importer added: a thread or track, a profile, a command name. */
  readonly flags?: Uint8Array;
}

/** FrameTable.flags bit: a thread/track/profile/command frame that groups the stacks below it. */
export const FRAME_GROUP = 1;

export interface StackTree {
  readonly length: number;
  /** Parent node, -1 for the root (node 0). */
  readonly parent: Int32Array;
  /** Frame of the node, -1 for the root. */
  readonly frame: Int32Array;
  /** 0 for the root, 1 for its children, ... */
  readonly depth: Uint16Array;
  /** Weight spent in the node itself. */
  readonly self: Float64Array;
  /** Weight of the node and everything below it. */
  readonly total: Float64Array;
  /** One past the last node of the node's subtree (nodes are in preorder). */
  readonly subtreeEnd: Int32Array;
}

export type TrackKind = 'thread' | 'gpu' | 'samples';

export interface TrackEvents {
  readonly length: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** 0 for a top-level call on the track. */
  readonly depth: Uint16Array;
  readonly frame: Int32Array;
}

export interface TraceTrack {
  /** e.g. "python3 (590) › thread 590 (python3)" or "GPU 0 › stream 7". */
  readonly name: string;
  readonly kind: TrackKind;
  /** Events sorted by start, a parent before its children (preorder in time). */
  readonly events: TrackEvents;
}

export interface FlameProfile {
  readonly format: FlameFormat;
  readonly kind: FlameKind;
  readonly unit: FlameUnit;
  /** A name from inside the file (speedscope's name, a trace's process), when it has one. */
  readonly name?: string;
  readonly strings: readonly string[];
  readonly frames: FrameTable;
  readonly tree: StackTree;
  readonly tracks: readonly TraceTrack[];
  /** Unit of the track times; absent when there are no tracks. */
  readonly timeUnit?: FlameUnit;
  /** Deliberate repairs of imperfect input (unbalanced events dropped, overlaps clipped, ...). */
  readonly warnings: readonly string[];
  /** Set when a limit (nodes, depth, events) cut the import short: what was cut and why. */
  readonly truncated?: string;
}

/** Total weight of the profile (the root's total). */
export function totalWeight(p: FlameProfile): number {
  return p.tree.length ? (p.tree.total[0] ?? 0) : 0;
}

export function frameName(p: FlameProfile, frame: number): string {
  return p.strings[p.frames.name[frame] ?? -1] ?? '';
}

export function frameFile(p: FlameProfile, frame: number): string | undefined {
  const i = p.frames.file[frame] ?? -1;
  return i < 0 ? undefined : p.strings[i];
}

export function framePackage(p: FlameProfile, frame: number): string | undefined {
  const i = p.frames.pkg[frame] ?? -1;
  return i < 0 ? undefined : p.strings[i];
}

/** Calls fn for each child of node, heaviest first. */
export function forEachChild(tree: StackTree, node: number, fn: (child: number) => void): void {
  const end = tree.subtreeEnd[node] ?? node + 1;
  for (let c = node + 1; c < end; c = tree.subtreeEnd[c] ?? end) fn(c);
}
