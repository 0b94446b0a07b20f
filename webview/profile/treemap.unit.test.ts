import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inset, rectAt, squarify, type Rect } from './treemap';

const EPS = 1e-6;

function checkTiling(values: number[], rect: Rect, rects: Rect[]): void {
  assert.equal(rects.length, values.length);
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const sum = positive.reduce((a, b) => a + b, 0);
  let covered = 0;
  values.forEach((v, i) => {
    const r = rects[i] as Rect;
    if (!(v > 0) || !Number.isFinite(v)) {
      assert.equal(r.w * r.h, 0, `value ${v} gets no area`);
      return;
    }
    covered += r.w * r.h;
    assert.ok(Math.abs(r.w * r.h - (v / sum) * rect.w * rect.h) < EPS * rect.w * rect.h, `area of ${i}`);
    assert.ok(r.x >= rect.x - EPS && r.y >= rect.y - EPS, `rect ${i} inside (top left)`);
    assert.ok(
      r.x + r.w <= rect.x + rect.w + EPS && r.y + r.h <= rect.y + rect.h + EPS,
      `rect ${i} inside (bottom right)`,
    );
  });
  assert.ok(Math.abs(covered - rect.w * rect.h) < EPS * rect.w * rect.h, 'the rectangles fill the space');
  for (let i = 0; i < rects.length; i++)
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i] as Rect;
      const b = rects[j] as Rect;
      const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      assert.ok(!(ox > EPS && oy > EPS), `rects ${i} and ${j} overlap`);
    }
}

test('the example from the paper: 6 6 4 3 2 2 1 in a 6x4 rectangle', () => {
  const rect = { x: 0, y: 0, w: 6, h: 4 };
  const values = [6, 6, 4, 3, 2, 2, 1];
  const rects = squarify(values, rect);
  checkTiling(values, rect, rects);
  // The paper's first row: the two 6s stacked in a 3x4 column on the left.
  assert.deepEqual(rects[0], { x: 0, y: 0, w: 3, h: 2 });
  assert.deepEqual(rects[1], { x: 0, y: 2, w: 3, h: 2 });
});

test('equal values in a square become squares', () => {
  const rect = { x: 10, y: 20, w: 400, h: 400 };
  const values = new Array(16).fill(5);
  const rects = squarify(values, rect);
  checkTiling(values, rect, rects);
  for (const r of rects) assert.ok(Math.abs(r.w / r.h - 1) < 1e-9, `aspect ${r.w / r.h}`);
});

test('unsorted input: rectangles come back in the input order, areas matching', () => {
  const rect = { x: 0, y: 0, w: 300, h: 120 };
  const values = [1, 50, 3, 0, 20, -4, Number.NaN, 7, 7];
  checkTiling(values, rect, squarify(values, rect));
});

test('squarified is much closer to square than slicing: worst aspect ratio stays small', () => {
  let seed = 42;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const values = Array.from({ length: 200 }, () => Math.pow(rnd(), 3) * 1000 + 1);
  const rect = { x: 0, y: 0, w: 800, h: 500 };
  const rects = squarify(values, rect);
  checkTiling(values, rect, rects);
  const aspects = rects.map((r) => Math.max(r.w / r.h, r.h / r.w)).sort((a, b) => a - b);
  const median = aspects[Math.floor(aspects.length / 2)] as number;
  assert.ok(median < 3, `median aspect ratio ${median}`);
});

test('nothing to lay out: empty rectangles, never NaN', () => {
  assert.deepEqual(squarify([], { x: 0, y: 0, w: 10, h: 10 }), []);
  for (const r of squarify([0, 0], { x: 0, y: 0, w: 10, h: 10 }))
    assert.deepEqual(r, { x: 0, y: 0, w: 0, h: 0 });
  for (const r of squarify([3, 4], { x: 5, y: 5, w: 0, h: 10 })) assert.equal(r.w * r.h, 0);
});

test('rectAt and inset', () => {
  const rects = squarify([3, 1], { x: 0, y: 0, w: 4, h: 1 });
  assert.equal(rectAt(rects, 0.5, 0.5), 0);
  assert.equal(rectAt(rects, 3.5, 0.5), 1);
  assert.equal(rectAt(rects, 5, 0.5), -1);
  assert.deepEqual(inset({ x: 0, y: 0, w: 10, h: 4 }, 1), { x: 1, y: 1, w: 8, h: 2 });
  assert.deepEqual(inset({ x: 0, y: 0, w: 1, h: 1 }, 2), { x: 0.5, y: 0.5, w: 0, h: 0 });
});
