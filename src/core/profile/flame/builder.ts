// FlameBuilder: what every importer writes into. It interns strings and frames, grows the call tree
// one (parent, frame) edge at a time through an open-addressing hash table kept in typed arrays
// (no per-node objects), enforces the node/depth/frame/event limits, collects deliberate-repair
// warnings, and finally lays the tree out "left heavy" in preorder (see ../model.ts).
import {
  FRAME_GROUP,
  type FlameFormat,
  type FlameKind,
  type FlameProfile,
  type FlameUnit,
  type TrackKind,
  type TraceTrack,
} from '../model';
import { float64s, int32s, uint16s, type Growable } from './growable';

export interface FlameLimits {
  /** Call-tree nodes; beyond it new paths are charged to their deepest existing ancestor. */
  maxNodes: number;
  /** Stack depth; deeper frames are charged to the frame at the limit. At most 65535. */
  maxDepth: number;
  /** Distinct frames; beyond it new functions become one "(other frames)" frame. */
  maxFrames: number;
  /** Trace/timeline events over all tracks; beyond it the time-ordered view stops. */
  maxEvents: number;
}

export const DEFAULT_LIMITS: FlameLimits = {
  maxNodes: 4_000_000,
  maxDepth: 4096,
  maxFrames: 2_000_000,
  maxEvents: 10_000_000,
};

export interface FrameInfo {
  name: string;
  file?: string | undefined;
  /** 1-based. */
  line?: number | undefined;
  /** 1-based. */
  column?: number | undefined;
  pkg?: string | undefined;
  /** A thread, track, profile or command name grouping the stacks below it, not a function. */
  group?: boolean;
}

/**
 * A copy of s that does not share memory with a larger string. Slices of a chunk's text keep the
 * whole chunk alive in V8; anything kept (interned names, map keys) goes through this once.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

export class StringTable {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      const own = detach(s);
      this.values.push(own);
      this.index.set(own, i);
    }
    return i;
  }
}

export class TrackBuilder {
  readonly start = float64s(256);
  readonly end = float64s(256);
  readonly depth = uint16s(256);
  readonly frame = int32s(256);

  constructor(
    readonly name: string,
    readonly kind: TrackKind,
    private readonly owner: FlameBuilder,
  ) {}

  get length(): number {
    return this.start.length;
  }

  /** Appends an event; returns its index, or -1 when the event limit is reached. */
  push(start: number, end: number, depth: number, frame: number): number {
    if (!this.owner.takeEvent()) return -1;
    this.end.push(end);
    this.depth.push(depth);
    this.frame.push(frame);
    return this.start.push(start);
  }
}

const ROOT = 0;

export class FlameBuilder {
  readonly limits: FlameLimits;
  readonly strings = new StringTable();

  private readonly frameIndex = new Map<string, number>();
  private readonly fName = int32s();
  private readonly fFile = int32s();
  private readonly fLine = int32s();
  private readonly fCol = int32s();
  private readonly fPkg = int32s();
  private readonly fFlags: number[] = [];
  private otherFrame = -1;

  private readonly nParent: Growable<Int32Array> = int32s(4096);
  private readonly nFrame: Growable<Int32Array> = int32s(4096);
  private readonly nDepth = uint16s(4096);
  private readonly nSelf = float64s(4096);
  /** Open addressing: slot -> node index + 1 (0 = empty), keyed by (parent, frame). */
  private table = new Int32Array(8192);
  private mask = 8191;

  private readonly tracks: TrackBuilder[] = [];
  private events = 0;
  private readonly warningCounts = new Map<string, number>();
  private readonly truncation = new Set<string>();

  constructor(limits: Partial<FlameLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.limits.maxDepth = Math.min(this.limits.maxDepth, 65535);
    this.nParent.push(-1);
    this.nFrame.push(-1);
    this.nDepth.push(0);
    this.nSelf.push(0);
  }

  get root(): number {
    return ROOT;
  }

  get nodeCount(): number {
    return this.nParent.length;
  }

  get frameCount(): number {
    return this.fName.length;
  }

  /** Interns a frame; `key` defaults to name, file, line and column. */
  frame(info: FrameInfo, key?: string): number {
    const k = key ?? `${info.name}\u0000${info.file ?? ''}\u0000${info.line ?? 0}\u0000${info.column ?? 0}`;
    const found = this.frameIndex.get(k);
    if (found !== undefined) return found;
    if (this.fName.length >= this.limits.maxFrames) {
      this.truncate(
        `more than ${this.limits.maxFrames} distinct frames: the rest are shown as "(other frames)"`,
      );
      if (this.otherFrame < 0) this.otherFrame = this.addFrame({ name: '(other frames)' });
      this.frameIndex.set(detach(k), this.otherFrame);
      return this.otherFrame;
    }
    const id = this.addFrame(info);
    this.frameIndex.set(detach(k), id);
    return id;
  }

  private addFrame(info: FrameInfo): number {
    const s = this.strings;
    this.fFile.push(info.file ? s.intern(info.file) : -1);
    this.fLine.push(info.line && info.line > 0 ? info.line : 0);
    this.fCol.push(info.column && info.column > 0 ? info.column : 0);
    this.fPkg.push(info.pkg ? s.intern(info.pkg) : -1);
    this.fFlags.push(info.group ? FRAME_GROUP : 0);
    return this.fName.push(s.intern(info.name || '(anonymous)'));
  }

  frameNameOf(frame: number): string {
    return this.strings.values[this.fName.get(frame)] ?? '';
  }

  depthOf(node: number): number {
    return this.nDepth.get(node);
  }

  parentOf(node: number): number {
    return this.nParent.get(node);
  }

  frameOf(node: number): number {
    return this.nFrame.get(node);
  }

  /**
   * The child of `parent` for `frame`, created when new. Returns -1 when a limit stops the tree
   * from growing there: the caller charges the weight to `parent` and goes no deeper.
   */
  child(parent: number, frame: number): number {
    const depth = this.nDepth.get(parent);
    if (depth >= this.limits.maxDepth) {
      this.truncate(`stacks deeper than ${this.limits.maxDepth} frames were cut at that depth`);
      return -1;
    }
    const parents = this.nParent.raw;
    const frames = this.nFrame.raw;
    let slot = hash(parent, frame) & this.mask;
    for (;;) {
      const v = this.table[slot] as number;
      if (v === 0) break;
      const n = v - 1;
      if (parents[n] === parent && frames[n] === frame) return n;
      slot = (slot + 1) & this.mask;
    }
    if (this.nParent.length >= this.limits.maxNodes) {
      this.truncate(
        `more than ${this.limits.maxNodes} call-tree nodes: further paths are charged to their deepest existing caller`,
      );
      return -1;
    }
    const n = this.nParent.push(parent);
    this.nFrame.push(frame);
    this.nDepth.push(depth + 1);
    this.nSelf.push(0);
    this.table[slot] = n + 1;
    if (this.nParent.length * 2 > this.table.length) this.rehash();
    return n;
  }

  /** Adds a stack given root-first as frames[from..to) below `base`; returns the leaf node. */
  addStack(frames: ArrayLike<number>, from: number, to: number, weight: number, base = ROOT): number {
    let node = base;
    for (let i = from; i < to; i++) {
      const c = this.child(node, frames[i] as number);
      if (c < 0) break;
      node = c;
    }
    this.nSelf.add(node, weight);
    return node;
  }

  addSelf(node: number, weight: number): void {
    this.nSelf.add(node, weight);
  }

  track(name: string, kind: TrackKind): TrackBuilder {
    const t = new TrackBuilder(name, kind, this);
    this.tracks.push(t);
    return t;
  }

  /** @internal counts events against maxEvents. */
  takeEvent(): boolean {
    if (this.events >= this.limits.maxEvents) {
      this.truncate(`more than ${this.limits.maxEvents} timeline events: the time-ordered view stops there`);
      return false;
    }
    this.events++;
    return true;
  }

  /** Records a deliberate repair of the input; repeated messages are counted, not repeated. */
  warn(message: string): void {
    this.warningCounts.set(message, (this.warningCounts.get(message) ?? 0) + 1);
  }

  truncate(reason: string): void {
    this.truncation.add(reason);
  }

  get isTruncated(): boolean {
    return this.truncation.size > 0;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    const parents = this.nParent.raw;
    const frames = this.nFrame.raw;
    for (let n = 1; n < this.nParent.length; n++) {
      let slot = hash(parents[n] as number, frames[n] as number) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = n + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  build(meta: {
    format: FlameFormat;
    kind: FlameKind;
    unit: FlameUnit;
    name?: string | undefined;
    timeUnit?: FlameUnit | undefined;
  }): FlameProfile {
    const tree = this.layoutTree();
    const tracks: TraceTrack[] = this.tracks
      .filter((t) => t.length > 0)
      .map((t) => ({
        name: t.name,
        kind: t.kind,
        events: {
          length: t.length,
          start: t.start.toArray(),
          end: t.end.toArray(),
          depth: t.depth.toArray(),
          frame: t.frame.toArray(),
        },
      }));
    const warnings = [...this.warningCounts].map(([m, n]) => (n > 1 ? `${m} (${n} times)` : m));
    return {
      format: meta.format,
      kind: meta.kind,
      unit: meta.unit,
      ...(meta.name ? { name: meta.name } : {}),
      strings: this.strings.values,
      frames: {
        length: this.fName.length,
        name: this.fName.toArray(),
        file: this.fFile.toArray(),
        line: this.fLine.toArray(),
        column: this.fCol.toArray(),
        pkg: this.fPkg.toArray(),
        flags: Uint8Array.from(this.fFlags),
      },
      tree,
      tracks,
      ...(tracks.length ? { timeUnit: meta.timeUnit ?? meta.unit } : {}),
      warnings,
      ...(this.truncation.size ? { truncated: [...this.truncation].join('; ') } : {}),
    };
  }

  /** Totals bottom-up, drops weightless nodes, orders children heaviest first, renumbers in preorder. */
  private layoutTree(): FlameProfile['tree'] {
    const n = this.nParent.length;
    const parent = this.nParent.raw;
    const total = this.nSelf.toArray();
    // A child is always created after its parent, so a reverse scan sees every child first.
    for (let i = n - 1; i > 0; i--) (total[parent[i] as number] as number) += total[i] as number;
    const keep = (i: number): boolean => i === ROOT || total[i] !== 0;

    const size = new Int32Array(n).fill(1);
    const childCount = new Int32Array(n + 1);
    for (let i = n - 1; i > 0; i--) {
      if (!keep(i)) continue;
      const p = parent[i] as number;
      (size[p] as number) += size[i] as number;
      (childCount[p + 1] as number)++;
    }
    const first = childCount; // prefix sums: children of p are kids[first[p] .. first[p + 1])
    for (let i = 1; i <= n; i++) (first[i] as number) += first[i - 1] as number;
    const fill = first.slice(0, n);
    const kids = new Int32Array(first[n] as number);
    for (let i = 1; i < n; i++) if (keep(i)) kids[(fill[parent[i] as number] as number)++] = i;
    for (let p = 0; p < n; p++) {
      const a = first[p] as number;
      const b = first[p + 1] as number;
      if (b - a < 2) continue;
      const sorted = Array.from(kids.subarray(a, b)).sort(
        (x, y) => (total[y] as number) - (total[x] as number) || x - y,
      );
      kids.set(sorted, a);
    }

    const m = size[ROOT] as number;
    const out = {
      length: m,
      parent: new Int32Array(m),
      frame: new Int32Array(m),
      depth: new Uint16Array(m),
      self: new Float64Array(m),
      total: new Float64Array(m),
      subtreeEnd: new Int32Array(m),
    };
    const frames = this.nFrame.raw;
    const depths = this.nDepth.raw;
    const self = this.nSelf.raw;
    const newIndex = new Int32Array(n);
    const stack = [ROOT];
    let next = 0;
    while (stack.length) {
      const old = stack.pop() as number;
      const k = next++;
      newIndex[old] = k;
      out.parent[k] = old === ROOT ? -1 : (newIndex[parent[old] as number] as number);
      out.frame[k] = frames[old] as number;
      out.depth[k] = depths[old] as number;
      out.self[k] = self[old] as number;
      out.total[k] = total[old] as number;
      out.subtreeEnd[k] = k + (size[old] as number);
      for (let j = (first[old + 1] as number) - 1; j >= (first[old] as number); j--)
        stack.push(kids[j] as number);
    }
    return out;
  }
}

function hash(parent: number, frame: number): number {
  return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(frame + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
}
