// The one heap model both importers (.hprof, .heapsnapshot) produce. Everything here is plain data
// and typed arrays so a result can cross a worker_threads boundary by structured clone.

/** One class (or constructor) in the histogram. */
export interface HeapClassRow {
  /** Readable name: `java.lang.String`, `byte[]`, `Object`, `(closure)`. */
  name: string;
  /** Number of objects of this class in the dump. */
  count: number;
  /** Sum of the objects' shallow sizes in bytes (see the importer for how shallow is defined). */
  shallowBytes: number;
  /**
   * Bytes freed if every object of this class became unreachable: the sum of the retained sizes of
   * the objects of this class that no other object of the same class dominates. Absent when the
   * dominator tree was not built.
   */
  retainedBytes?: number;
}

/**
 * The dominator tree, indexed by object (0..objects-1, in the order the dump lists them).
 * The virtual root that holds every GC root is not an object: its children have `idom` = -1.
 */
export interface DominatorTree {
  /** Immediate dominator of each object; -1 = the virtual GC root; -2 = unreachable from any root. */
  idom: Int32Array;
  /** Retained size in bytes (equal to the shallow size for unreachable objects). */
  retained: Float64Array;
  /** Shallow size in bytes. */
  shallow: Float64Array;
  /** Index into HeapAnalysis.classes. */
  classIndex: Int32Array;
  /** The dump's own id (address) of each object, for display. */
  objectId: Float64Array;
  /** Objects reachable from the GC roots. */
  reachable: number;
  /** Sum of the retained sizes of the virtual root's children: the reachable heap. */
  reachableBytes: number;
}

/** One step of a dominator path, from a GC root down to an owner. */
export interface HeapPathStep {
  object: number;
  className: string;
  retainedBytes: number;
}

/** An object that keeps instances of a class alive, with its dominator path from a GC root. */
export interface HeapRetainer {
  /** The dominating object (-1 when the instances hang directly off the GC roots). */
  object: number;
  className: string;
  /** Retained bytes of the class's instances held by this owner (no double counting). */
  retainedBytes: number;
  /** Instances of the class this owner dominates directly. */
  count: number;
  /** The owner's own retained size. */
  ownerRetainedBytes: number;
  /** GC root first, owner last. */
  path: HeapPathStep[];
}

export type HeapFormat = 'hprof' | 'heapsnapshot';

export interface HeapAnalysis {
  format: HeapFormat;
  /** Sorted by shallow bytes, largest first. */
  classes: HeapClassRow[];
  /** Number of objects in the dump. */
  objects: number;
  /** Sum of all shallow sizes. */
  totalBytes: number;
  /** Present when built; see `dominatorSkipped` otherwise. */
  dominators?: DominatorTree;
  /** Why there is no dominator tree, e.g. "dominator tree skipped: 12000000 objects > limit 8000000". */
  dominatorSkipped?: string;
  /** Format-specific facts (id size, header, object layout used for sizes...). */
  details: Record<string, string | number | boolean>;
}

export interface HeapProgress {
  phase: 'read' | 'graph' | 'dominators';
  /** Bytes of the file read so far (compressed bytes for .gz). */
  bytesRead: number;
  totalBytes: number;
}

export interface HeapParseOptions {
  onProgress?: (p: HeapProgress) => void;
  signal?: AbortSignal;
  /** Above this many objects the dominator tree is skipped (the histogram still completes). */
  maxObjects?: number;
}

/** Default object cap for the dominator tree: roughly 1-1.5 GB of working memory at the cap. */
export const DEFAULT_MAX_OBJECTS = 8_000_000;

/** A dump that cannot be read: the message is meant for the user as it is. */
export class HeapFormatError extends Error {
  override name = 'HeapFormatError';
}
