// Messages between the profile viewer page and its host (src/extension/profile). Imported by both.
// Profiles travel as typed arrays (VS Code moves ArrayBuffers in webview messages as binary, not as
// JSON), heap dumps as the histogram's columns; the dominator tree stays with the host, which
// answers the page's treemap and retainer questions one node or class at a time.
import type { Schema, MessageOf } from '../shared/validate';
import type { FlameProfile } from '../../src/core/profile/model';

export type LoadPhase = 'read' | 'graph' | 'dominators' | 'transfer';

/** The class histogram, one entry per class, sorted by shallow bytes (largest first). */
export interface HeapHistogram {
  names: string[];
  count: Float64Array;
  shallow: Float64Array;
  /** Absent when the dominator tree was not built. */
  retained?: Float64Array;
}

export interface HeapOverview {
  format: 'hprof' | 'heapsnapshot';
  objects: number;
  totalBytes: number;
  /** Bytes reachable from the GC roots, when the dominator tree was built. */
  reachableBytes?: number;
  /** Why retained sizes are missing, when they are. */
  dominatorSkipped?: string;
  details: Record<string, string | number | boolean>;
  histogram: HeapHistogram;
}

export interface TreemapLeaf {
  /** Object index in the dump; -1 for the GC roots. */
  object: number;
  className: string;
  retained: number;
}

export interface TreemapItem extends TreemapLeaf {
  /** The largest objects this one dominates (drawn nested inside it). */
  children: TreemapLeaf[];
  /** Objects it dominates in all. */
  childCount: number;
}

export interface RetainerView {
  object: number;
  className: string;
  retainedBytes: number;
  count: number;
  ownerRetainedBytes: number;
  /** Class names from a GC root down to the owner. */
  path: string[];
}

/** Host -> page. */
export type HostMessage =
  | { type: 'loading'; file: string; size?: number }
  | { type: 'progress'; phase: LoadPhase; bytesRead: number; totalBytes?: number }
  | { type: 'flame'; file: string; profile: FlameProfile; state?: string }
  | { type: 'heap'; file: string; heap: HeapOverview; state?: string }
  | {
      type: 'treemap';
      node: number;
      /** From the GC roots down to `node` (not including the roots). */
      path: TreemapLeaf[];
      /** The node's own retained size (the whole reachable heap for the roots). */
      retained: number;
      items: TreemapItem[];
      /** Retained bytes of the children not in `items`. */
      otherBytes: number;
      otherCount: number;
    }
  | { type: 'retainers'; classIndex: number; retainers: RetainerView[]; note?: string }
  | {
      type: 'error';
      file: string;
      /** A ProfileErrorCode, or 'heap' for a heap dump the heap reader refused. */
      code: string;
      message: string;
    }
  | { type: 'notice'; message: string };

/** Page -> host: every message is validated with this schema before anything reads it. */
export const pageMessages = {
  ready: {},
  cancel: {},
  retry: {},
  openSource: { file: 'string', line: 'number', column: 'number' },
  treemap: { node: 'number' },
  retainers: { classIndex: 'number' },
  saveState: { state: 'string' },
} satisfies Schema;
export type PageMessage = MessageOf<typeof pageMessages>;

/** The most a page may ask the host to keep for one file (its view state, as JSON). */
export const MAX_STATE_CHARS = 16_384;
