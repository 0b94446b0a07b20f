// Turns what HprofParser collected into the heap model: class histogram with in-heap sizes, and the
// dominator tree over the object graph when it was kept.
//
// Shallow size is the object's size in the JVM heap as HotSpot (and `jmap -histo`) counts it, not its
// size in the dump: header + fields (references at the heap's reference size) rounded up to 8 bytes;
// arrays: array header + elements, rounded up to 8. The dump writes every reference as a full id, so
// whether the JVM compressed its references is inferred (see HprofParser.vote) unless given.
import { computeDominators, retainedByClass, type WorkTick } from './dominators';
import { PRIM_ARRAY_NAMES, alignUp, basicTypeSize, javaClassName } from './hprofFormat';
import type { LayoutCandidate } from './hotspotLayout';
import {
  ROW_CLASS,
  ROW_CLASS_OBJECTS,
  ROW_PRIM_ARRAY,
  rowArrayBytes,
  type HprofClass,
  type HprofParser,
} from './hprofParser';
import { IdIndex } from './idIndex';
import type { HeapAnalysis, HeapClassRow } from './model';

export interface HprofAnalyzeOptions {
  /** Force a layout instead of inferring it (64-bit dumps only). */
  compressedOops?: boolean;
  maxObjects: number;
  tick?: WorkTick;
}

interface Sizing {
  layout: LayoutCandidate;
  layoutIndex: number;
  instanceSize(c: HprofClass): number;
  classObjectSize(c: HprofClass): number;
}

function sizing(p: HprofParser, compressedOops: boolean | undefined): Sizing {
  let layoutIndex = 0;
  p.candidates.forEach((cand, j) => {
    if (compressedOops !== undefined && p.idSize === 8 && (cand.ref === 4) !== compressedOops) return;
    const best = p.candidates[layoutIndex]!;
    const bestAllowed = compressedOops === undefined || p.idSize === 4 || (best.ref === 4) === compressedOops;
    if (!bestAllowed || p.layoutVotes[j]! > p.layoutVotes[layoutIndex]!) layoutIndex = j;
  });
  const layout = p.candidates[layoutIndex]!;
  const instanceSize = (c: HprofClass): number => {
    if (!c.sizes && !p.layoutOf(c)) return alignUp(layout.header, layout.align);
    const computed = c.sizes![layoutIndex]!;
    // Where the next object mostly starts further away than computed, the JVM holds fields the dump
    // does not list: trust the gap (when at least two instances agree on it).
    const gap = c.gapMajority;
    if (
      c.gapVotes >= 2 &&
      c.gapVotes * 2 >= c.gapSeen &&
      gap > computed &&
      gap - computed <= 1024 &&
      gap % layout.align === 0
    )
      return gap;
    return computed;
  };
  // A java.lang.Class mirror: java.lang.Class's own instance, plus (since JDK 7) the class's static
  // fields, which HotSpot stores in the mirror. HotSpot also injects fields into java.lang.Class that
  // the dump does not list, so this is a lower bound of what jmap -histo counts.
  const jlc = findClass(p, 'java/lang/Class');
  const mirror = jlc ? instanceSize(jlc) : alignUp(layout.header, layout.align);
  const classObjectSize = (c: HprofClass): number =>
    alignUp(mirror + c.staticPrimBytes + c.staticRefs * layout.ref, layout.align);
  return { layout, layoutIndex, instanceSize, classObjectSize };
}

function findClass(p: HprofParser, internalName: string): HprofClass | undefined {
  for (const [classId, nameId] of p.classNames) {
    if (p.strings.get(nameId) === internalName) return p.classes.get(classId);
  }
  return undefined;
}

export function analyzeHprof(p: HprofParser, opts: HprofAnalyzeOptions): HeapAnalysis {
  const sz = sizing(p, opts.compressedOops);
  const { layout } = sz;
  const rowName = (i: number): string => {
    const r = p.rows[i]!;
    if (r.kind === ROW_PRIM_ARRAY) return PRIM_ARRAY_NAMES[r.key] ?? `array of type ${r.key}`;
    if (r.kind === ROW_CLASS_OBJECTS) return 'java.lang.Class';
    const nameId = p.classNames.get(r.key);
    const name = nameId === undefined ? undefined : p.strings.get(nameId);
    return name === undefined ? `class@0x${r.key.toString(16)}` : javaClassName(name);
  };

  // Row sizes; class objects fold into the java.lang.Class row.
  const rowCount = p.rows.length;
  const counts = new Float64Array(rowCount);
  const bytes = new Float64Array(rowCount);
  let classObjectsBytes = 0;
  for (const c of p.classOrder) classObjectsBytes += sz.classObjectSize(c);
  for (let i = 0; i < rowCount; i++) {
    const r = p.rows[i]!;
    counts[i] = r.instances + r.arrays;
    bytes[i] = rowArrayBytes(r, layout, p.idSize);
    if (r.kind === ROW_CLASS && r.instances > 0)
      bytes[i]! += r.instances * sz.instanceSize(p.classes.get(r.key)!);
    if (r.kind === ROW_CLASS_OBJECTS) bytes[i] = classObjectsBytes;
  }
  const mergeTarget = new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) mergeTarget[i] = i;
  const jlc = findClass(p, 'java/lang/Class');
  if (p.classObjectsRow >= 0 && jlc) {
    const from = p.classObjectsRow;
    mergeTarget[from] = jlc.row;
    counts[jlc.row]! += counts[from]!;
    bytes[jlc.row]! += bytes[from]!;
  }
  const kept: number[] = [];
  for (let i = 0; i < rowCount; i++) if (mergeTarget[i] === i && counts[i]! > 0) kept.push(i);
  kept.sort((a, b) => bytes[b]! - bytes[a]! || counts[b]! - counts[a]!);
  const finalIndex = new Int32Array(rowCount).fill(-1);
  kept.forEach((r, i) => (finalIndex[r] = i));
  for (let i = 0; i < rowCount; i++) finalIndex[i] = finalIndex[mergeTarget[i]!]!;
  const classes: HeapClassRow[] = kept.map((r) => ({
    name: rowName(r),
    count: counts[r]!,
    shallowBytes: bytes[r]!,
  }));
  let totalBytes = 0;
  for (const c of classes) totalBytes += c.shallowBytes;

  const analysis: HeapAnalysis = {
    format: 'hprof',
    classes,
    objects: p.objectCount,
    totalBytes,
    details: {
      version: p.version,
      idSize: p.idSize,
      timestamp: new Date(p.timestamp).toISOString(),
      layout: layout.name,
      layoutVotes: p.candidates.map((c, j) => `${c.name}: ${p.layoutVotes[j]}`).join('; '),
      gcRoots: p.roots.length,
    },
  };
  if (p.warnings.length) analysis.details.warnings = p.warnings.slice(0, 20).join('; ');

  const g = p.graph;
  if (!g) {
    analysis.dominatorSkipped =
      opts.maxObjects <= 0
        ? 'dominator tree skipped: disabled'
        : `dominator tree skipped: ${p.objectCount} objects > limit ${opts.maxObjects}`;
    return analysis;
  }
  const n = g.ids.length;
  // Instances whose class layout was not known when they were read.
  for (const pend of g.pending) {
    const c = p.classes.get(pend.classId);
    const offsets = c ? p.layoutOf(c) : null;
    g.edgeStart.data[pend.obj] = g.edges.length;
    g.edges.push(pend.classId);
    if (offsets) {
      for (const o of offsets) {
        if (o + p.idSize > pend.data.length) break;
        const ref =
          p.idSize === 4
            ? pend.data.readUInt32BE(o)
            : pend.data.readUInt32BE(o) * 4294967296 + pend.data.readUInt32BE(o + 4);
        if (ref !== 0) g.edges.push(ref);
      }
    }
    g.edgeCount.data[pend.obj] = g.edges.length - g.edgeStart.data[pend.obj]!;
  }
  g.pending.length = 0;

  const index = new IdIndex(g.ids.data, n);
  // A class loader keeps the classes it defined alive (HotSpot's ClassLoaderData does), which no
  // field in the dump expresses: add loader -> class edges.
  const loaderOf = new Int32Array(p.classOrder.length).fill(-1);
  const extraStart = new Uint32Array(n + 1);
  p.classOrder.forEach((c, i) => {
    const l = c.loaderId === 0 ? -1 : index.get(c.loaderId);
    loaderOf[i] = l;
    if (l >= 0) extraStart[l + 1]!++;
  });
  for (let i = 1; i <= n; i++) extraStart[i]! += extraStart[i - 1]!;
  const extra = new Int32Array(extraStart[n]!);
  {
    const fill = extraStart.slice(0, n);
    p.classOrder.forEach((c, i) => {
      const l = loaderOf[i]!;
      if (l >= 0) extra[fill[l]!++] = index.get(c.id);
    });
  }
  const edgeStart = new Uint32Array(n + 1);
  const rawEdges = g.edges.data;
  let k = 0;
  const edges = new Int32Array(g.edges.length + extra.length);
  for (let i = 0; i < n; i++) {
    edgeStart[i] = k;
    const s = g.edgeStart.data[i]!;
    const e = s + g.edgeCount.data[i]!;
    for (let j = s; j < e; j++) {
      const raw = rawEdges[j]!;
      const t = raw < 0 ? -1 - raw : index.get(raw);
      if (t >= 0 && t !== i) edges[k++] = t;
    }
    for (let j = extraStart[i]!, e2 = extraStart[i + 1]!; j < e2; j++)
      if (extra[j]! >= 0) edges[k++] = extra[j]!;
  }
  edgeStart[n] = k;

  const shallow = new Float64Array(n);
  const classIndex = new Int32Array(n);
  const KIND_CLASS_OBJECTS = ROW_CLASS_OBJECTS;
  const rowKind = Int8Array.from(p.rows, (r) => r.kind);
  const rowElement = Float64Array.from(p.rows, (r) =>
    r.kind === ROW_PRIM_ARRAY ? basicTypeSize(r.key, p.idSize) : layout.ref,
  );
  const instSize = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const r = p.rows[i]!;
    if (r.kind === ROW_CLASS && r.instances > 0) instSize[i] = sz.instanceSize(p.classes.get(r.key)!);
  }
  const { arrayHeader } = layout;
  const rows = g.row.data;
  const auxes = g.aux.data;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const aux = auxes[i]!;
    classIndex[i] = finalIndex[row]!;
    if (rowKind[row] === KIND_CLASS_OBJECTS) shallow[i] = sz.classObjectSize(p.classOrder[aux]!);
    else if (aux < 0) shallow[i] = instSize[row]!;
    else {
      // Array: header + elements, 8-byte aligned (the alignment of every candidate layout).
      const raw = arrayHeader + aux * rowElement[row]!;
      const rem = raw % 8;
      shallow[i] = rem === 0 ? raw : raw + 8 - rem;
    }
  }
  const objectId = g.ids.toArray();
  p.graph = null; // let the raw vectors go before the dominator pass allocates

  const roots: number[] = [];
  for (let i = 0; i < p.roots.length; i++) {
    const r = index.get(p.roots.data[i]!);
    if (r >= 0) roots.push(r);
  }
  const dom = computeDominators(
    { nodeCount: n, edgeStart, edges },
    Int32Array.from(roots),
    shallow,
    opts.tick,
  );
  const byClass = retainedByClass(dom.idom, dom.retained, classIndex, classes.length);
  classes.forEach((c, i) => (c.retainedBytes = byClass[i]!));
  let reachableBytes = 0;
  for (let i = 0; i < n; i++) if (dom.idom[i] === -1) reachableBytes += dom.retained[i]!;
  analysis.dominators = {
    idom: dom.idom,
    retained: dom.retained,
    shallow,
    classIndex,
    objectId,
    reachable: dom.reachable,
    reachableBytes,
  };
  return analysis;
}
