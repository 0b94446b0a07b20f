// V8 heap snapshot (.heapsnapshot, from Chrome DevTools, `node --heapsnapshot-signal`,
// v8.writeHeapSnapshot()) -> heap model. Worker-safe: plain arguments in, plain data out.
//
// Grouping follows Chrome DevTools' "Summary" view: objects and native objects by their constructor
// name, everything else by node type in parentheses ("(string)", "(closure)", "(compiled code)",
// "(system)" for hidden nodes). Shallow size is V8's self_size. Retained sizes come from the dominator
// tree over the edges that retain (weak edges never; shortcut edges only from the root), as DevTools.
import { openFileChunks } from './byteSource';
import { computeDominators, retainedByClass, type CsrGraph } from './dominators';
import { HeapSnapshotReader, type SnapshotData } from './heapsnapshotReader';
import { DEFAULT_MAX_OBJECTS, type HeapAnalysis, type HeapClassRow, type HeapParseOptions } from './model';

const PROGRESS_EVERY_BYTES = 16 << 20;

/** Per node type: -1 = group by the node's name, otherwise a fixed group label. */
function typeLabels(types: string[]): (string | null)[] {
  return types.map((t) => {
    if (t === 'object' || t === 'native') return null;
    if (t === 'hidden') return '(system)';
    if (t === 'code') return '(compiled code)';
    return `(${t})`;
  });
}

export async function parseHeapSnapshot(path: string, opts: HeapParseOptions = {}): Promise<HeapAnalysis> {
  const maxObjects = opts.maxObjects ?? DEFAULT_MAX_OBJECTS;
  const src = await openFileChunks(path, opts.signal);
  const reader = new HeapSnapshotReader({ maxObjects, wantStrings: classNameStrings });
  let nextReport = 0;
  for await (const chunk of src.chunks) {
    reader.push(chunk);
    if (opts.onProgress && src.bytesRead() >= nextReport) {
      nextReport = src.bytesRead() + PROGRESS_EVERY_BYTES;
      opts.onProgress({ phase: 'read', bytesRead: src.bytesRead(), totalBytes: src.fileBytes });
    }
  }
  const data = reader.end();
  opts.onProgress?.({ phase: 'read', bytesRead: src.fileBytes, totalBytes: src.fileBytes });
  const analysis = analyzeSnapshot(data, maxObjects, (done, total) => {
    opts.signal?.throwIfAborted();
    opts.onProgress?.({ phase: 'dominators', bytesRead: done, totalBytes: total });
  });
  analysis.details.fileBytes = src.fileBytes;
  analysis.details.gzip = src.gzip;
  return analysis;
}

/** Only the names of object and native nodes become class names; other strings stay undecoded. */
function classNameStrings(d: SnapshotData): Uint8Array {
  const labels = typeLabels(d.meta.node_types[0]);
  let max = 0;
  for (let i = 0; i < d.nodeCount; i++) if (d.nodeName[i]! > max) max = d.nodeName[i]!;
  const want = new Uint8Array(max + 1);
  for (let i = 0; i < d.nodeCount; i++) if (labels[d.nodeType[i]!] === null) want[d.nodeName[i]!] = 1;
  return want;
}

export function analyzeSnapshot(
  d: SnapshotData,
  maxObjects: number,
  tick?: (done: number, total: number) => void,
): HeapAnalysis {
  const labels = typeLabels(d.meta.node_types[0]);
  const n = d.nodeCount;
  const groupOf = new Map<string, number>();
  const names: string[] = [];
  const rawClass = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels[d.nodeType[i]!] ?? d.strings[d.nodeName[i]!] ?? '(unknown)';
    let g = groupOf.get(label);
    if (g === undefined) {
      g = names.length;
      groupOf.set(label, g);
      names.push(label);
    }
    rawClass[i] = g;
  }
  const counts = new Float64Array(names.length);
  const bytes = new Float64Array(names.length);
  let totalBytes = 0;
  for (let i = 0; i < n; i++) {
    counts[rawClass[i]!]!++;
    bytes[rawClass[i]!]! += d.selfSize[i]!;
    totalBytes += d.selfSize[i]!;
  }
  const order = names.map((_, i) => i).sort((a, b) => bytes[b]! - bytes[a]! || counts[b]! - counts[a]!);
  const finalIndex = new Int32Array(names.length);
  order.forEach((g, i) => (finalIndex[g] = i));
  const classes: HeapClassRow[] = order.map((g) => ({
    name: names[g]!,
    count: counts[g]!,
    shallowBytes: bytes[g]!,
  }));
  const classIndex = rawClass.map((g) => finalIndex[g]!);

  const analysis: HeapAnalysis = {
    format: 'heapsnapshot',
    classes,
    objects: n,
    totalBytes,
    details: { nodes: n, edges: d.edgeCount },
  };
  if (!d.edgeStart || !d.edgeTo) {
    analysis.dominatorSkipped = `dominator tree skipped: ${n} objects > limit ${maxObjects}`;
    return analysis;
  }
  const shallow = d.selfSize;
  const graph = devtoolsRetainingGraph(d);
  const dom = computeDominators(graph, rootsWithOrphans(graph, d.rootIndex), shallow, tick);
  // As DevTools: an object of zero size that is not native (the synthetic root and "(GC roots)"
  // nodes) counts for no class, so it neither adds its subtree nor hides same-class objects in it.
  const nativeType = d.meta.node_types[0].indexOf('native');
  const counted = new Uint8Array(n);
  for (let i = 0; i < n; i++) counted[i] = shallow[i]! > 0 || d.nodeType[i] === nativeType ? 1 : 0;
  const byClass = retainedByClass(dom.idom, dom.retained, classIndex, classes.length, counted);
  classes.forEach((c, i) => (c.retainedBytes = byClass[i]!));
  analysis.dominators = {
    idom: dom.idom,
    retained: dom.retained,
    shallow,
    classIndex,
    objectId: d.nodeId,
    reachable: dom.reachable,
    reachableBytes: n > 0 ? dom.retained[d.rootIndex]! : 0,
  };
  return analysis;
}

/**
 * The edges DevTools builds its dominator tree from. Objects reachable from the global objects (the
 * root's shortcut edges) are "page-owned"; an edge from a non-page-owned object (a debugger or
 * internal structure) into page-owned ones is ignored, so it cannot steal the page's objects.
 * Filters d.edgeTo in place.
 */
export function devtoolsRetainingGraph(d: SnapshotData): CsrGraph {
  const n = d.nodeCount;
  const start = d.edgeStart!;
  const to = d.edgeTo!;
  const page = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  for (const r of d.userRoots)
    if (!page[r]) {
      page[r] = 1;
      stack[sp++] = r;
    }
  while (sp > 0) {
    const v = stack[--sp]!;
    for (let e = start[v]!, end = start[v + 1]!; e < end; e++) {
      const w = to[e]!;
      if (!page[w]) {
        page[w] = 1;
        stack[sp++] = w;
      }
    }
  }
  let k = 0;
  for (let v = 0; v < n; v++) {
    const s0 = start[v]!;
    const s1 = start[v + 1]!;
    start[v] = k;
    for (let e = s0; e < s1; e++) {
      const w = to[e]!;
      if (v !== d.rootIndex && page[w] && !page[v]) continue;
      to[k++] = w;
    }
  }
  start[n] = k;
  return { nodeCount: n, edgeStart: start, edges: to.subarray(0, k) };
}

/** The root, then each node the root does not reach (as DevTools hangs those under the root). */
function rootsWithOrphans(g: CsrGraph, root: number): Int32Array {
  const n = g.nodeCount;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const roots = [root];
  const visit = (r: number): void => {
    let sp = 0;
    seen[r] = 1;
    stack[sp++] = r;
    while (sp > 0) {
      const v = stack[--sp]!;
      for (let e = g.edgeStart[v]!, end = g.edgeStart[v + 1]!; e < end; e++) {
        const w = g.edges[e]!;
        if (!seen[w]) {
          seen[w] = 1;
          stack[sp++] = w;
        }
      }
    }
  };
  if (n > 0) visit(root);
  for (let v = 0; v < n; v++)
    if (!seen[v]) {
      roots.push(v);
      visit(v);
    }
  return Int32Array.from(roots);
}
