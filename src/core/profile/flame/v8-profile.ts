// The V8 CPU profile model shared by .cpuprofile files (both the current `nodes[]` form and the old
// `head` tree form) and the Profile/ProfileChunk events of Chrome traces: nodes with a callFrame
// and a parent (or children ids), samples naming a node, and time deltas between samples.
// Nodes may arrive in pieces (trace chunks) and in any order; parents are resolved at the end.
import type { FlameBuilder, TrackBuilder } from './builder';
import { packageOf } from './frame-name';
import { samplesToTrack } from './timeline';

export interface V8CallFrame {
  functionName?: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
}

export class V8ProfileAccumulator {
  private readonly ids: number[] = [];
  private readonly parents: number[] = []; // parent id or NaN
  private readonly frames: number[] = []; // builder frame, -1 for V8's "(root)"
  private readonly hits: number[] = [];
  private readonly childPairs: number[] = []; // parent id, child id, ...
  readonly samples: number[] = [];
  readonly deltas: number[] = [];
  /** Absolute timestamps (old form), instead of deltas. */
  readonly timestamps: number[] = [];
  startTime: number | undefined;
  endTime: number | undefined;
  private badNodes = 0;

  constructor(private readonly b: FlameBuilder) {}

  get nodeCount(): number {
    return this.ids.length;
  }

  addNode(raw: unknown): void {
    const n = raw as {
      id?: unknown;
      parent?: unknown;
      callFrame?: V8CallFrame;
      hitCount?: unknown;
      children?: unknown;
    } & V8CallFrame;
    if (!n || typeof n !== 'object' || typeof n.id !== 'number') {
      this.badNodes++;
      return;
    }
    // The old form puts the call frame fields on the node itself.
    const cf: V8CallFrame = n.callFrame && typeof n.callFrame === 'object' ? n.callFrame : n;
    this.ids.push(n.id);
    this.parents.push(typeof n.parent === 'number' ? n.parent : NaN);
    this.frames.push(this.frameOf(cf));
    this.hits.push(typeof n.hitCount === 'number' && n.hitCount > 0 ? n.hitCount : 0);
    if (Array.isArray(n.children))
      for (const c of n.children as unknown[]) if (typeof c === 'number') this.childPairs.push(n.id, c);
  }

  /** The old `head` tree: nodes nest their children as objects. Walked with an explicit stack. */
  addTree(head: unknown): void {
    let synthetic = -1;
    const stack: Array<{ node: unknown; parent: number }> = [{ node: head, parent: NaN }];
    while (stack.length) {
      const { node, parent } = stack.pop() as { node: unknown; parent: number };
      if (!node || typeof node !== 'object') continue;
      const n = node as { id?: unknown; children?: unknown };
      const id = typeof n.id === 'number' ? n.id : synthetic--;
      const copy = { ...(node as object), id, parent, children: undefined };
      this.addNode(copy);
      if (Array.isArray(n.children))
        for (const c of n.children as unknown[]) stack.push({ node: c, parent: id });
    }
  }

  private frameOf(cf: V8CallFrame): number {
    const name = typeof cf.functionName === 'string' ? cf.functionName : '';
    const url = typeof cf.url === 'string' && cf.url ? cf.url : undefined;
    const line = typeof cf.lineNumber === 'number' && cf.lineNumber >= 0 ? cf.lineNumber + 1 : 0;
    const column = typeof cf.columnNumber === 'number' && cf.columnNumber >= 0 ? cf.columnNumber + 1 : 0;
    if (name === '(root)' && !url) return -1;
    const display = name || '(anonymous)';
    return this.b.frame({ name: display, file: url, line, column, pkg: packageOf(display, url) });
  }

  /**
   * Adds the profile below `base`. With samples and times, each sample weighs the time until the
   * next one (microseconds) and `track` gets the time-ordered view; without, hit counts are used.
   */
  finish(base: number, track?: TrackBuilder): { unit: 'microseconds' | 'samples'; total: number } {
    const b = this.b;
    const count = this.ids.length;
    if (this.badNodes) b.warn(`${this.badNodes} profile nodes without a numeric id were ignored`);
    const index = idIndex(this.ids);
    const parentIdx = new Int32Array(count).fill(-1);
    for (let i = 0; i < count; i++) {
      const p = this.parents[i] as number;
      if (!Number.isNaN(p)) parentIdx[i] = index.get(p) ?? -1;
    }
    for (let k = 0; k < this.childPairs.length; k += 2) {
      const p = index.get(this.childPairs[k] as number);
      const c = index.get(this.childPairs[k + 1] as number);
      if (p !== undefined && c !== undefined && c !== p) parentIdx[c] = p;
    }
    // Builder node per profile node, parents first (breadth-first from the roots, iteratively).
    const node = new Int32Array(count).fill(-1);
    const clipped = new Uint8Array(count);
    const kids: number[][] = [];
    const queue: number[] = [];
    for (let i = 0; i < count; i++) {
      const p = parentIdx[i] as number;
      if (p < 0) queue.push(i);
      else (kids[p] ??= []).push(i);
    }
    for (let q = 0; q < queue.length; q++) {
      const i = queue[q] as number;
      const p = parentIdx[i] as number;
      const parentNode = p < 0 ? base : (node[p] as number);
      const f = this.frames[i] as number;
      if (f < 0) node[i] = parentNode;
      else if (p >= 0 && clipped[p]) {
        node[i] = parentNode;
        clipped[i] = 1;
      } else {
        const c = b.child(parentNode, f);
        node[i] = c < 0 ? parentNode : c;
        if (c < 0) clipped[i] = 1;
      }
      for (const k of kids[i] ?? []) queue.push(k);
    }
    const unreached = count - queue.length;
    if (unreached) b.warn(`${unreached} profile nodes are part of a parent cycle and were ignored`);

    const n = this.samples.length;
    const hasTimes = n > 0 && (this.deltas.length >= n || this.timestamps.length >= n);
    if (!hasTimes) {
      let total = 0;
      for (let i = 0; i < count; i++) {
        const h = this.hits[i] as number;
        if (h && (node[i] as number) >= 0) {
          b.addSelf(node[i] as number, h);
          total += h;
        }
      }
      if (n > 0) b.warn('samples without time deltas: weights are hit counts');
      return { unit: 'samples', total };
    }
    // Absolute sample times, sorted when V8 wrote them out of order (it does, with negative deltas).
    const times = new Float64Array(n);
    if (this.timestamps.length >= n) for (let i = 0; i < n; i++) times[i] = this.timestamps[i] as number;
    else {
      let t = this.startTime ?? 0;
      for (let i = 0; i < n; i++) times[i] = t += this.deltas[i] as number;
    }
    let order: Int32Array | undefined;
    for (let i = 1; i < n; i++)
      if ((times[i] as number) < (times[i - 1] as number)) {
        order = new Int32Array(n);
        for (let k = 0; k < n; k++) order[k] = k;
        order.sort((x, y) => (times[x] as number) - (times[y] as number) || x - y);
        b.warn('sample timestamps were out of order and have been sorted');
        break;
      }
    const leaves = new Int32Array(n);
    const sortedTimes = new Float64Array(n);
    let unknownSamples = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? (order[k] as number) : k;
      const idx = index.get(this.samples[i] as number);
      const leaf = idx === undefined ? -1 : (node[idx] as number);
      if (leaf < 0) unknownSamples++;
      leaves[k] = leaf < 0 ? base : leaf;
      sortedTimes[k] = times[i] as number;
    }
    if (unknownSamples)
      b.warn(
        `${unknownSamples} samples name a node that is not in the profile: their time is charged to the root`,
      );
    // The last sample lasts until the end of the profile: the extra timestamp of the old form,
    // or endTime when it is after the last sample.
    const last = sortedTimes[n - 1] as number;
    let end = last;
    if (this.timestamps.length > n) end = Math.max(last, this.timestamps[n] as number);
    else if (this.endTime !== undefined && this.endTime >= last) end = this.endTime;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const w = (k + 1 < n ? (sortedTimes[k + 1] as number) : end) - (sortedTimes[k] as number);
      b.addSelf(leaves[k] as number, w);
      total += w;
    }
    if (track) samplesToTrack(b, track, base, leaves, sortedTimes, n, end);
    return { unit: 'microseconds', total };
  }
}

/** id → position. V8 numbers nodes 1..n, so a flat table usually does; a Map otherwise. */
function idIndex(ids: readonly number[]): { get(id: number): number | undefined } {
  let max = 0;
  let dense = true;
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0) dense = false;
    else if (id > max) max = id;
  }
  if (dense && max <= 4 * ids.length + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    ids.forEach((id, i) => (table[id] = i));
    return {
      get: (id) => {
        const v = Number.isInteger(id) && id >= 0 && id <= max ? (table[id] as number) : -1;
        return v < 0 ? undefined : v;
      },
    };
  }
  const map = new Map<number, number>();
  ids.forEach((id, i) => map.set(id, i));
  return map;
}
