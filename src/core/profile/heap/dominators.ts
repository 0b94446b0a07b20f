// Dominator tree and retained sizes of an object graph, by Lengauer-Tarjan (the simple variant with
// path compression, O(E log N)). Every traversal is iterative: heap graphs have chains millions of
// objects long (linked lists), which would overflow the stack of any recursive version.

/** Successors in compressed-row form: node v's successors are edges[edgeStart[v] .. edgeStart[v+1]). */
export interface CsrGraph {
  nodeCount: number;
  edgeStart: Uint32Array;
  edges: Int32Array;
}

export interface DominatorResult {
  /** Immediate dominator per node; -1 = the virtual root above all GC roots; -2 = unreachable. */
  idom: Int32Array;
  /** Retained size per node (its shallow size when unreachable). */
  retained: Float64Array;
  /** Number of nodes reachable from the roots. */
  reachable: number;
}

/** Called now and then with a count of work done, so a caller can report progress or abort. */
export type WorkTick = (done: number, total: number) => void;

const TICK_EVERY = 1 << 20;

export function computeDominators(
  g: CsrGraph,
  roots: Int32Array,
  shallow: Float64Array,
  tick?: WorkTick,
): DominatorResult {
  const n = g.nodeCount;
  const { edgeStart, edges } = g;
  // Depth-first numbering from a virtual root (number 0) whose successors are the GC roots.
  const dfn = new Int32Array(n).fill(-1);
  const vertex = new Int32Array(n + 1);
  const parent = new Int32Array(n + 1);
  vertex[0] = -1;
  let m = 1;
  {
    const stackNode = new Int32Array(n);
    const stackPos = new Uint32Array(n);
    for (let ri = 0; ri < roots.length; ri++) {
      const r = roots[ri]!;
      if (r < 0 || r >= n || dfn[r] !== -1) continue;
      dfn[r] = m;
      vertex[m] = r;
      parent[m] = 0;
      m++;
      let sp = 0;
      stackNode[0] = r;
      stackPos[0] = edgeStart[r]!;
      while (sp >= 0) {
        const v = stackNode[sp]!;
        const p = stackPos[sp]!;
        if (p < edgeStart[v + 1]!) {
          stackPos[sp] = p + 1;
          const w = edges[p]!;
          if (dfn[w] === -1) {
            dfn[w] = m;
            vertex[m] = w;
            parent[m] = dfn[v]!;
            m++;
            sp++;
            stackNode[sp] = w;
            stackPos[sp] = edgeStart[w]!;
          }
        } else {
          sp--;
        }
      }
    }
  }
  tick?.(0, m);

  // Predecessors, in depth-first numbers, of the reachable nodes only.
  const predStart = new Uint32Array(m + 1);
  for (let i = 1; i < m; i++) {
    const v = vertex[i]!;
    for (let e = edgeStart[v]!, end = edgeStart[v + 1]!; e < end; e++) {
      const w = dfn[edges[e]!]!;
      if (w > 0) predStart[w + 1]!++;
    }
  }
  for (let ri = 0; ri < roots.length; ri++) {
    const r = roots[ri]!;
    if (r >= 0 && r < n) predStart[dfn[r]! + 1]!++;
  }
  for (let i = 1; i <= m; i++) predStart[i]! += predStart[i - 1]!;
  const preds = new Int32Array(predStart[m]!);
  {
    const fill = predStart.slice(0, m);
    for (let i = 1; i < m; i++) {
      const v = vertex[i]!;
      for (let e = edgeStart[v]!, end = edgeStart[v + 1]!; e < end; e++) {
        const w = dfn[edges[e]!]!;
        if (w > 0) preds[fill[w]!++] = i;
      }
    }
    for (let ri = 0; ri < roots.length; ri++) {
      const r = roots[ri]!;
      if (r >= 0 && r < n) preds[fill[dfn[r]!]!++] = 0;
    }
  }

  const semi = new Int32Array(m);
  const label = new Int32Array(m);
  const ancestor = new Int32Array(m).fill(-1);
  const idomD = new Int32Array(m);
  const bucketHead = new Int32Array(m).fill(-1);
  const bucketNext = new Int32Array(m);
  const compressStack = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    semi[i] = i;
    label[i] = i;
  }
  // eval() of Lengauer-Tarjan with iterative path compression.
  const evalNode = (v: number): number => {
    if (ancestor[v] === -1) return v;
    let sp = 0;
    let x = v;
    while (ancestor[ancestor[x]!] !== -1) {
      compressStack[sp++] = x;
      x = ancestor[x]!;
    }
    while (sp > 0) {
      const y = compressStack[--sp]!;
      const a = ancestor[y]!;
      if (semi[label[a]!]! < semi[label[y]!]!) label[y] = label[a]!;
      ancestor[y] = ancestor[a]!;
    }
    return label[v]!;
  };

  for (let w = m - 1; w >= 1; w--) {
    if ((w & (TICK_EVERY - 1)) === 0) tick?.(m - w, m);
    for (let e = predStart[w]!, end = predStart[w + 1]!; e < end; e++) {
      const u = evalNode(preds[e]!);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    const s = semi[w]!;
    bucketNext[w] = bucketHead[s]!;
    bucketHead[s] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== -1; v = bucketNext[v]!) {
      const u = evalNode(v);
      idomD[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = -1;
  }
  for (let w = 1; w < m; w++) {
    if (idomD[w] !== semi[w]) idomD[w] = idomD[idomD[w]!]!;
  }
  idomD[0] = 0;

  // A dominator always has a smaller depth-first number than the nodes it dominates, so one
  // backwards sweep accumulates retained sizes bottom-up.
  const retainedD = new Float64Array(m);
  for (let i = 1; i < m; i++) retainedD[i] = shallow[vertex[i]!]!;
  for (let i = m - 1; i >= 1; i--) retainedD[idomD[i]!]! += retainedD[i]!;

  const idom = new Int32Array(n).fill(-2);
  const retained = Float64Array.from(shallow);
  for (let i = 1; i < m; i++) {
    const v = vertex[i]!;
    const d = idomD[i]!;
    idom[v] = d === 0 ? -1 : vertex[d]!;
    retained[v] = retainedD[i]!;
  }
  tick?.(m, m);
  return { idom, retained, reachable: m - 1 };
}

/** Children lists of the dominator tree (virtual root's children under index n). */
export function dominatorChildren(idom: Int32Array): { start: Uint32Array; children: Int32Array } {
  const n = idom.length;
  const start = new Uint32Array(n + 2);
  for (let v = 0; v < n; v++) {
    const d = idom[v]!;
    if (d === -2) continue;
    start[(d === -1 ? n : d) + 1]!++;
  }
  for (let i = 1; i <= n + 1; i++) start[i]! += start[i - 1]!;
  const children = new Int32Array(start[n + 1]!);
  const fill = start.slice(0, n + 1);
  for (let v = 0; v < n; v++) {
    const d = idom[v]!;
    if (d === -2) continue;
    children[fill[d === -1 ? n : d]!++] = v;
  }
  return { start, children };
}

/**
 * Per class, the sum of retained sizes of its objects that no other object of the same class
 * dominates (so a linked list of Nodes counts once, not once per node).
 */
export function retainedByClass(
  idom: Int32Array,
  retained: Float64Array,
  classIndex: Int32Array,
  classCount: number,
  /** Nodes that count for no class and hide nothing (0 here); all count when absent. */
  counts?: Uint8Array,
): Float64Array {
  const n = idom.length;
  const out = new Float64Array(classCount);
  const active = new Int32Array(classCount);
  const { start, children } = dominatorChildren(idom);
  // Iterative pre/post-order walk from the virtual root (index n); a node is pushed as ~v on exit.
  const stack = new Int32Array(2 * n + 2);
  let sp = 0;
  for (let e = start[n]!, end = start[n + 1]!; e < end; e++) stack[sp++] = children[e]!;
  while (sp > 0) {
    const v = stack[--sp]!;
    if (v < 0) {
      active[classIndex[~v]!]!--;
      continue;
    }
    if (!counts || counts[v]) {
      const c = classIndex[v]!;
      if (active[c] === 0) out[c]! += retained[v]!;
      active[c]!++;
      stack[sp++] = ~v;
    }
    for (let e = start[v]!, end = start[v + 1]!; e < end; e++) stack[sp++] = children[e]!;
  }
  // Unreachable objects are their own islands: each counts for itself.
  for (let v = 0; v < n; v++)
    if (idom[v] === -2 && (!counts || counts[v])) out[classIndex[v]!]! += retained[v]!;
  return out;
}
