// The host's half of the heap view. The dominator tree (tens of bytes per object, so hundreds of MB
// for a big dump) stays here; the page gets the histogram's columns once, then asks for one
// treemap level or one class's retainers at a time. No `vscode` import: tested in Node.
import { classRetainers } from '../../core/profile/heap/retainers';
import type { HeapAnalysis } from '../../core/profile/heap/model';
import type { HeapOverview, RetainerView, TreemapItem, TreemapLeaf } from '../../../webview/profile/protocol';

export interface TreemapLevel {
  node: number;
  path: TreemapLeaf[];
  retained: number;
  items: TreemapItem[];
  otherBytes: number;
  otherCount: number;
}

export class HeapSession {
  /** Children of each object in the dominator tree (CSR): object v's are list[start[v] .. start[v+1]); the GC roots' are at index `objects`. */
  private children: { start: Int32Array; list: Int32Array } | undefined;

  constructor(readonly analysis: HeapAnalysis) {}

  get objects(): number {
    return this.analysis.dominators?.idom.length ?? 0;
  }

  overview(): HeapOverview {
    const a = this.analysis;
    const n = a.classes.length;
    const count = new Float64Array(n);
    const shallow = new Float64Array(n);
    const hasRetained = a.classes.some((c) => c.retainedBytes !== undefined);
    const retained = hasRetained ? new Float64Array(n) : undefined;
    a.classes.forEach((c, i) => {
      count[i] = c.count;
      shallow[i] = c.shallowBytes;
      if (retained) retained[i] = c.retainedBytes ?? 0;
    });
    return {
      format: a.format,
      objects: a.objects,
      totalBytes: a.totalBytes,
      ...(a.dominators ? { reachableBytes: a.dominators.reachableBytes } : {}),
      ...(a.dominatorSkipped ? { dominatorSkipped: a.dominatorSkipped } : {}),
      details: a.details,
      histogram: { names: a.classes.map((c) => c.name), count, shallow, ...(retained ? { retained } : {}) },
    };
  }

  /**
   * One level of the treemap: the `top` largest objects `node` dominates (-1: the GC roots), each
   * with its own `nested` largest, and what the rest add up to.
   */
  treemap(node: number, top = 60, nested = 24): TreemapLevel | undefined {
    const d = this.analysis.dominators;
    if (!d || node < -1 || node >= d.idom.length) return undefined;
    const kids = this.largestChildren(node, top);
    let shownBytes = 0;
    const items: TreemapItem[] = kids.map((v) => {
      shownBytes += d.retained[v] as number;
      return {
        ...this.leaf(v),
        children: this.largestChildren(v, nested).map((c) => this.leaf(c)),
        childCount: this.childCount(v),
      };
    });
    let allBytes = 0;
    this.forEachChild(node, (v) => (allBytes += d.retained[v] as number));
    const path: TreemapLeaf[] = [];
    for (let v = node; v >= 0; v = d.idom[v] as number) path.push(this.leaf(v));
    path.reverse();
    return {
      node,
      path,
      retained: node < 0 ? d.reachableBytes : (d.retained[node] as number),
      items,
      otherBytes: Math.max(0, allBytes - shownBytes),
      otherCount: this.childCount(node) - items.length,
    };
  }

  retainers(classIndex: number, top = 10): RetainerView[] {
    return classRetainers(this.analysis, classIndex, top).map((r) => ({
      object: r.object,
      className: r.className,
      retainedBytes: r.retainedBytes,
      count: r.count,
      ownerRetainedBytes: r.ownerRetainedBytes,
      path: r.path.map((s) => s.className),
    }));
  }

  private leaf(v: number): TreemapLeaf {
    const d = this.analysis.dominators!;
    return {
      object: v,
      className: this.analysis.classes[d.classIndex[v] as number]?.name ?? '?',
      retained: d.retained[v] as number,
    };
  }

  private index(): { start: Int32Array; list: Int32Array } {
    if (this.children) return this.children;
    const idom = this.analysis.dominators!.idom;
    const n = idom.length;
    const slot = (v: number): number => {
      const p = idom[v] as number;
      return p === -1 ? n : p; // -2 (unreachable) has no slot
    };
    const start = new Int32Array(n + 2);
    for (let v = 0; v < n; v++) if ((idom[v] as number) >= -1) (start[slot(v) + 1] as number)++;
    for (let i = 0; i <= n; i++) (start[i + 1] as number) += start[i] as number;
    const next = start.slice(0, n + 1);
    const list = new Int32Array(start[n + 1] as number);
    for (let v = 0; v < n; v++) if ((idom[v] as number) >= -1) list[(next[slot(v)] as number)++] = v;
    this.children = { start, list };
    return this.children;
  }

  private childCount(node: number): number {
    const { start } = this.index();
    const s = node < 0 ? this.objects : node;
    return (start[s + 1] as number) - (start[s] as number);
  }

  private forEachChild(node: number, fn: (v: number) => void): void {
    const { start, list } = this.index();
    const s = node < 0 ? this.objects : node;
    for (let k = start[s] as number; k < (start[s + 1] as number); k++) fn(list[k] as number);
  }

  /** The `top` children with the largest retained sizes, largest first (a bounded selection, not a full sort). */
  private largestChildren(node: number, top: number): number[] {
    const retained = this.analysis.dominators!.retained;
    const best: number[] = [];
    this.forEachChild(node, (v) => {
      const r = retained[v] as number;
      if (best.length === top && r <= (retained[best[top - 1] as number] as number)) return;
      let i = best.length < top ? best.length : top - 1;
      if (best.length < top) best.push(v);
      while (i > 0 && (retained[best[i - 1] as number] as number) < r) {
        best[i] = best[i - 1] as number;
        i--;
      }
      best[i] = v;
    });
    return best;
  }
}
