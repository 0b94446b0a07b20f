// Flame graph layout as pure functions: from the merged tree (or one time-ordered track) and a view
// range, the boxes to draw, in pixels. No DOM here, so it is unit-tested and benchmarked in Node.
//
// The tree view's range is a slice of the root's total weight, [lo, hi) as fractions of it: a
// click-zoom sets it to a node's slice, and the node's ancestors, wider than the view, are clipped
// at its edges (they become the breadcrumbs). Boxes narrower than `minPx` are dropped with their
// whole subtree (children are never wider than their parent), and siblings to the right of the view
// are skipped at once, so the cost follows what is visible, not the size of the tree.

/** The columns of the merged tree the layout reads (a StackTree satisfies it). */
export interface TreeColumns {
  readonly length: number;
  readonly parent: Int32Array;
  readonly depth: Uint16Array;
  readonly total: Float64Array;
  readonly subtreeEnd: Int32Array;
}

/** The columns of one time-ordered track the layout reads (TrackEvents satisfies it). */
export interface EventColumns {
  readonly length: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly depth: Uint16Array;
}

export interface ViewRange {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Boxes in emission order (preorder), plus an index by row: the boxes of row r, left to right, are
 * order[rowStart[r]] .. order[rowStart[r + 1] - 1].
 */
export interface Boxes {
  count: number;
  /** Tree node, or event index for a track. */
  item: Int32Array;
  /** Left edge in px; negative when the box starts left of the view. */
  x: Float64Array;
  w: Float64Array;
  /** Depth of the box (0 = root for the tree, top-level call for a track). */
  row: Int32Array;
  /** 1 + the deepest row with a box (0 when there are none). */
  rows: number;
  rowStart: Int32Array;
  order: Int32Array;
}

/** Reusable output storage: one per canvas, so a redraw allocates nothing once it has grown. */
export class BoxBuffer implements Boxes {
  count = 0;
  rows = 0;
  item = new Int32Array(256);
  x = new Float64Array(256);
  w = new Float64Array(256);
  row = new Int32Array(256);
  rowStart = new Int32Array(2);
  order = new Int32Array(256);

  reset(): void {
    this.count = 0;
    this.rows = 0;
  }

  push(item: number, x: number, w: number, row: number): void {
    if (this.count === this.item.length) this.grow();
    const i = this.count++;
    this.item[i] = item;
    this.x[i] = x;
    this.w[i] = w;
    this.row[i] = row;
    if (row >= this.rows) this.rows = row + 1;
  }

  private grow(): void {
    const n = this.item.length * 2;
    const copy = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.item = copy(this.item, new Int32Array(n));
    this.x = copy(this.x, new Float64Array(n));
    this.w = copy(this.w, new Float64Array(n));
    this.row = copy(this.row, new Int32Array(n));
  }

  /** Builds the by-row index (a counting sort: rows keep their emission order, which is left to right). */
  index(): void {
    if (this.rowStart.length < this.rows + 1) this.rowStart = new Int32Array(this.rows + 1);
    if (this.order.length < this.count) this.order = new Int32Array(this.item.length);
    const start = this.rowStart;
    start.fill(0, 0, this.rows + 1);
    for (let i = 0; i < this.count; i++) (start[(this.row[i] as number) + 1] as number)++;
    for (let r = 0; r < this.rows; r++) (start[r + 1] as number) += start[r] as number;
    const next = start.slice(0, Math.max(1, this.rows));
    for (let i = 0; i < this.count; i++) {
      const r = this.row[i] as number;
      this.order[(next[r] as number)++] = i;
    }
  }
}

/**
 * Lays out the merged tree for the view range `range` (fractions of the root's total) on a canvas
 * `widthPx` wide. A node's children start at its left edge, heaviest first (the tree's order); what
 * is left of the node's width on the right is its self weight.
 */
export function layoutTree(
  tree: TreeColumns,
  range: ViewRange,
  widthPx: number,
  minPx = 0.5,
  out: BoxBuffer = new BoxBuffer(),
): Boxes {
  out.reset();
  const n = tree.length;
  const rootTotal = n ? (tree.total[0] as number) : 0;
  if (!n || !(rootTotal > 0) || !(widthPx > 0) || !(range.hi > range.lo)) {
    out.index();
    return out;
  }
  const lo = range.lo * rootTotal;
  const hi = range.hi * rootTotal;
  const scale = widthPx / (hi - lo);
  // nextStart[d]: weight offset where the next child at depth d begins (set by its parent).
  let nextStart = new Float64Array(64);
  nextStart[0] = 0;
  let i = 0;
  while (i < n) {
    const d = tree.depth[i] as number;
    if (d + 1 >= nextStart.length) {
      const grown = new Float64Array(nextStart.length * 2);
      grown.set(nextStart);
      nextStart = grown;
    }
    const s = nextStart[d] as number;
    const t = tree.total[i] as number;
    nextStart[d] = s + t;
    if (s >= hi) {
      // This node and every later sibling are right of the view.
      const p = tree.parent[i] as number;
      i = p < 0 ? n : (tree.subtreeEnd[p] as number);
      continue;
    }
    const wPx = t * scale;
    if (s + t <= lo || wPx < minPx || !(t > 0)) {
      i = tree.subtreeEnd[i] as number;
      continue;
    }
    out.push(i, (s - lo) * scale, wPx, d);
    nextStart[d + 1] = s;
    i++;
  }
  out.index();
  return out;
}

/**
 * Lays out one track's events for the time range [t0, t1) on a canvas `widthPx` wide. Events are in
 * start order, so the scan stops at the first one starting after the view.
 */
export function layoutTrack(
  events: EventColumns,
  t0: number,
  t1: number,
  widthPx: number,
  minPx = 0.5,
  out: BoxBuffer = new BoxBuffer(),
): Boxes {
  out.reset();
  if (!(t1 > t0) || !(widthPx > 0)) {
    out.index();
    return out;
  }
  const scale = widthPx / (t1 - t0);
  const n = events.length;
  for (let i = 0; i < n; i++) {
    const s = events.start[i] as number;
    if (s >= t1) break;
    const e = events.end[i] as number;
    if (e <= t0) continue;
    const wPx = (e - s) * scale;
    if (wPx < minPx || !(e > s)) continue;
    out.push(i, (s - t0) * scale, wPx, events.depth[i] as number);
  }
  out.index();
  return out;
}

/** The time span of a track's events: [first start, last end]; [0, 0] when empty. */
export function trackSpan(events: EventColumns): [number, number] {
  if (!events.length) return [0, 0];
  let end = -Infinity;
  for (let i = 0; i < events.length; i++) end = Math.max(end, events.end[i] as number);
  return [events.start[0] as number, end];
}

/** The deepest row of a track plus one. */
export function trackRows(events: EventColumns): number {
  let rows = 0;
  for (let i = 0; i < events.length; i++) rows = Math.max(rows, (events.depth[i] as number) + 1);
  return rows;
}

/** The box under pixel x in `row`, or -1 (a binary search over that row's left-to-right boxes). */
export function hitTest(boxes: Boxes, row: number, x: number): number {
  if (row < 0 || row >= boxes.rows) return -1;
  let a = boxes.rowStart[row] as number;
  let b = (boxes.rowStart[row + 1] as number) - 1;
  let found = -1;
  while (a <= b) {
    const m = (a + b) >> 1;
    const box = boxes.order[m] as number;
    if ((boxes.x[box] as number) <= x) {
      found = box;
      a = m + 1;
    } else b = m - 1;
  }
  if (found < 0) return -1;
  return x < (boxes.x[found] as number) + (boxes.w[found] as number) ? found : -1;
}

/** The view range that makes `node` fill the width (its slice of the root's total). */
export function nodeRange(tree: TreeColumns, node: number): ViewRange {
  const rootTotal = tree.total[0] as number;
  if (!(rootTotal > 0) || node <= 0) return { lo: 0, hi: 1 };
  // The node's offset: previous siblings' totals at each level up to the root.
  let offset = 0;
  for (let v = node; v > 0; v = tree.parent[v] as number) {
    const p = tree.parent[v] as number;
    for (let c = p + 1; c < v; c = tree.subtreeEnd[c] as number) offset += tree.total[c] as number;
  }
  return { lo: offset / rootTotal, hi: (offset + (tree.total[node] as number)) / rootTotal };
}

/** Root first, `node` last. */
export function ancestors(tree: TreeColumns, node: number): number[] {
  const path: number[] = [];
  for (let v = node; v >= 0; v = tree.parent[v] as number) path.push(v);
  return path.reverse();
}

/**
 * A view range zoomed by `factor` (< 1 zooms in) around `anchor` (a fraction of the current width),
 * kept inside [0, 1] and never narrower than `minSpan`.
 */
export function zoomRange(r: ViewRange, factor: number, anchor: number, minSpan = 1e-9): ViewRange {
  const span = Math.min(1, Math.max(minSpan, (r.hi - r.lo) * factor));
  const at = r.lo + (r.hi - r.lo) * Math.min(1, Math.max(0, anchor));
  return clampRange({ lo: at - span * anchor, hi: at - span * anchor + span });
}

/** A view range moved by `delta` (a fraction of the whole), kept inside [0, 1]. */
export function panRange(r: ViewRange, delta: number): ViewRange {
  return clampRange({ lo: r.lo + delta, hi: r.hi + delta });
}

function clampRange(r: ViewRange): ViewRange {
  const span = Math.min(1, r.hi - r.lo);
  if (r.lo < 0) return { lo: 0, hi: span };
  if (r.hi > 1) return { lo: 1 - span, hi: 1 };
  return r;
}
