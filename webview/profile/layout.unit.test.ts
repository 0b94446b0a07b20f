import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BoxBuffer,
  ancestors,
  hitTest,
  layoutTrack,
  layoutTree,
  nodeRange,
  panRange,
  trackRows,
  trackSpan,
  zoomRange,
  type Boxes,
} from './layout';
import { nodeNamed, profileOf, type Spec } from './test-support';

// root 100 = main 90 (self 10: a 50, b 30 (self 20: c 10)) + idle 10
const small = profileOf([
  ['main', 10, ['a', 50], ['b', 20, ['c', 10]]],
  ['idle', 10],
]);
const { tree } = small;
const A = nodeNamed(small, 'a');
const B = nodeNamed(small, 'b');
const C = nodeNamed(small, 'c');
const MAIN = nodeNamed(small, 'main');
const IDLE = nodeNamed(small, 'idle');

function boxesOf(b: Boxes): { item: number; x: number; w: number; row: number }[] {
  const out = [];
  for (let i = 0; i < b.count; i++)
    out.push({
      item: b.item[i] as number,
      x: Math.round((b.x[i] as number) * 1000) / 1000,
      w: Math.round((b.w[i] as number) * 1000) / 1000,
      row: b.row[i] as number,
    });
  return out;
}

test('the whole tree: children from the parent left edge, heaviest first, self on the right', () => {
  const b = layoutTree(tree, { lo: 0, hi: 1 }, 1000);
  assert.deepEqual(boxesOf(b), [
    { item: 0, x: 0, w: 1000, row: 0 },
    { item: MAIN, x: 0, w: 900, row: 1 },
    { item: A, x: 0, w: 500, row: 2 },
    { item: B, x: 500, w: 300, row: 2 },
    { item: C, x: 500, w: 100, row: 3 },
    { item: IDLE, x: 900, w: 100, row: 1 },
  ]);
  assert.equal(b.rows, 4);
});

test('zoomed on a node: it fills the width, ancestors are clipped, the rest is skipped', () => {
  const range = nodeRange(tree, B);
  assert.deepEqual(range, { lo: 0.5, hi: 0.8 });
  const b = boxesOf(layoutTree(tree, range, 1000));
  assert.deepEqual(
    b.map((x) => x.item),
    [0, MAIN, B, C],
  );
  const bBox = b.find((x) => x.item === B);
  assert.deepEqual(bBox, { item: B, x: 0, w: 1000, row: 2 });
  assert.equal(b.find((x) => x.item === C)?.w, 333.333);
  assert.ok((b[0]?.x ?? 0) < 0, 'the root starts left of the view');
  assert.deepEqual(ancestors(tree, C), [0, MAIN, B, C]);
  assert.deepEqual(nodeRange(tree, 0), { lo: 0, hi: 1 });
  assert.deepEqual(nodeRange(tree, IDLE), { lo: 0.9, hi: 1 });
});

test('boxes narrower than minPx are dropped with their subtrees', () => {
  const b = layoutTree(tree, { lo: 0, hi: 1 }, 10, 1.5);
  // 10 px wide: a=5, b=3, c=1, idle=1
  assert.deepEqual(
    boxesOf(b).map((x) => x.item),
    [0, MAIN, A, B],
  );
});

test('degenerate input gives no boxes, not an error', () => {
  const empty = profileOf([]);
  assert.equal(layoutTree(empty.tree, { lo: 0, hi: 1 }, 1000).count, 0);
  assert.equal(layoutTree(tree, { lo: 0, hi: 1 }, 0).count, 0);
  assert.equal(layoutTree(tree, { lo: 0.5, hi: 0.5 }, 100).count, 0);
});

test('the row index lists each row left to right, and hitTest finds the box under a pixel', () => {
  const b = layoutTree(tree, { lo: 0, hi: 1 }, 1000);
  const row1 = [];
  for (let k = b.rowStart[1] as number; k < (b.rowStart[2] as number); k++)
    row1.push(b.item[b.order[k] as number]);
  assert.deepEqual(row1, [MAIN, IDLE]);
  const at = (row: number, x: number): number => {
    const box = hitTest(b, row, x);
    return box < 0 ? -1 : (b.item[box] as number);
  };
  assert.equal(at(2, 0), A);
  assert.equal(at(2, 499.9), A);
  assert.equal(at(2, 500), B);
  assert.equal(at(2, 850), -1, 'self part of main has no child box');
  assert.equal(at(3, 550), C);
  assert.equal(at(1, 950), IDLE);
  assert.equal(at(7, 10), -1);
  assert.equal(at(-1, 10), -1);
});

/** A deterministic pseudo-random tree with `n` nodes and some deep chains. */
function randomSpec(n: number, seed: number): Spec[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const roots: Spec[] = [];
  const all: Spec[] = [];
  for (let i = 0; i < n; i++) {
    const node: Spec = [`f${Math.floor(rnd() * 50)}`, Math.floor(rnd() * 20)];
    const parent =
      all.length && rnd() < 0.95 ? all[Math.floor(Math.pow(rnd(), 0.3) * all.length)] : undefined;
    if (parent) parent.push(node);
    else roots.push(node);
    all.push(node);
  }
  return roots;
}

/** Every node's [start, end) in weight units by a plain recursive walk: the reference. */
function naiveSpans(t: typeof tree): [number, number][] {
  const spans: [number, number][] = new Array(t.length);
  const walk = (node: number, start: number): void => {
    spans[node] = [start, start + (t.total[node] as number)];
    let at = start;
    for (let c = node + 1; c < (t.subtreeEnd[node] as number); c = t.subtreeEnd[c] as number) {
      walk(c, at);
      at += t.total[c] as number;
    }
  };
  walk(0, 0);
  return spans;
}

test('on a random tree, every box agrees with a naive layout and every visible node is drawn', () => {
  const p = profileOf(randomSpec(3000, 7));
  const t = p.tree;
  const spans = naiveSpans(t);
  const total = t.total[0] as number;
  for (const range of [{ lo: 0, hi: 1 }, { lo: 0.2, hi: 0.35 }, nodeRange(t, 1234), { lo: 0.999, hi: 1 }]) {
    const width = 800;
    const minPx = 0.5;
    const buf = new BoxBuffer();
    const b = layoutTree(t, range, width, minPx, buf);
    const drawn = new Map<number, number>();
    for (let i = 0; i < b.count; i++) drawn.set(b.item[i] as number, i);
    const scale = width / ((range.hi - range.lo) * total);
    for (let node = 0; node < t.length; node++) {
      const [s, e] = spans[node] as [number, number];
      // Visible: intersects the range, and it and all its ancestors are at least minPx wide.
      let visible = e > s && e > range.lo * total && s < range.hi * total;
      for (let v = node; v >= 0 && visible; v = t.parent[v] as number)
        if ((t.total[v] as number) * scale < minPx) visible = false;
      for (let v = node; v >= 0 && visible; v = t.parent[v] as number) {
        const [vs, ve] = spans[v] as [number, number];
        if (!(ve > range.lo * total && vs < range.hi * total)) visible = false;
      }
      const box = drawn.get(node);
      assert.equal(box !== undefined, visible, `node ${node} drawn=${box !== undefined} visible=${visible}`);
      if (box !== undefined) {
        assert.ok(Math.abs((b.x[box] as number) - (s - range.lo * total) * scale) < 1e-6);
        assert.ok(Math.abs((b.w[box] as number) - (e - s) * scale) < 1e-6);
        assert.equal(b.row[box], t.depth[node]);
      }
    }
  }
});

test('the buffer is reused across layouts and grows as needed', () => {
  const p = profileOf(randomSpec(2000, 3));
  const buf = new BoxBuffer();
  const first = layoutTree(p.tree, { lo: 0, hi: 1 }, 4000, 0, buf);
  const weighted = p.tree.total.filter((t) => t > 0).length;
  assert.equal(first.count, weighted, 'every node with weight, at minPx 0');
  const second = layoutTree(tree, { lo: 0, hi: 1 }, 1000, 0, buf);
  assert.equal(second, buf);
  assert.equal(second.count, tree.length);
  assert.equal(second.rows, 4);
});

const track = {
  length: 4,
  start: Float64Array.from([0, 0, 5, 12]),
  end: Float64Array.from([10, 4, 9, 20]),
  depth: Uint16Array.from([0, 1, 1, 0]),
};

test('a track: events in the time range, clipped on the left, stopping after the range', () => {
  const b = layoutTrack(track, 5, 15, 100);
  assert.deepEqual(boxesOf(b), [
    { item: 0, x: -50, w: 100, row: 0 },
    { item: 2, x: 0, w: 40, row: 1 },
    { item: 3, x: 70, w: 80, row: 0 },
  ]);
  assert.equal(layoutTrack(track, 20, 30, 100).count, 0);
  assert.equal(layoutTrack(track, 0, 20, 10, 3).count, 2, 'events under 3 px are dropped');
  assert.deepEqual(trackSpan(track), [0, 20]);
  assert.equal(trackRows(track), 2);
});

test('zoomRange keeps the anchor under the cursor and stays inside [0, 1]; panRange clamps', () => {
  const z = zoomRange({ lo: 0, hi: 1 }, 0.5, 0.5);
  assert.deepEqual(z, { lo: 0.25, hi: 0.75 });
  const left = zoomRange({ lo: 0, hi: 1 }, 0.5, 0);
  assert.deepEqual(left, { lo: 0, hi: 0.5 });
  assert.deepEqual(zoomRange({ lo: 0.25, hi: 0.75 }, 4, 0.5), { lo: 0, hi: 1 });
  assert.deepEqual(panRange({ lo: 0.25, hi: 0.75 }, 0.5), { lo: 0.5, hi: 1 });
  assert.deepEqual(panRange({ lo: 0.25, hi: 0.75 }, -0.5), { lo: 0, hi: 0.5 });
  const tiny = zoomRange({ lo: 0.5, hi: 0.5 + 1e-6 }, 0.001, 0.5, 1e-7);
  assert.ok(Math.abs(tiny.hi - tiny.lo - 1e-7) < 1e-12);
});
