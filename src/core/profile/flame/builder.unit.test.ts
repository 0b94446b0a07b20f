import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlameBuilder } from './builder';
import { frameName, forEachChild, totalWeight } from '../model';
import { pathOf, treeProblems } from './test-support';

function build(stacks: Array<[string, number]>, limits = {}) {
  const b = new FlameBuilder(limits);
  for (const [s, w] of stacks) {
    const frames = s.split(';').map((name) => b.frame({ name }));
    b.addStack(frames, 0, frames.length, w);
  }
  return b.build({ format: 'collapsed', kind: 'cpu', unit: 'samples' });
}

test('the tree is in preorder, heaviest child first, totals add up', () => {
  const p = build([
    ['a;b;c', 1],
    ['a;d', 5],
    ['a;b', 2],
    ['e', 1],
  ]);
  assert.deepEqual(treeProblems(p), []);
  assert.equal(totalWeight(p), 9);
  const order = Array.from({ length: p.tree.length - 1 }, (_, i) => pathOf(p, i + 1).join(';'));
  assert.deepEqual(order, ['a', 'a;d', 'a;b', 'a;b;c', 'e']);
  const kids: string[] = [];
  forEachChild(p.tree, 1, (c) => kids.push(frameName(p, p.tree.frame[c] as number)));
  assert.deepEqual(kids, ['d', 'b']);
});

test('nodes without weight are dropped from the tree', () => {
  const p = build([
    ['a;b', 0],
    ['a;c', 3],
  ]);
  assert.deepEqual(
    Array.from({ length: p.tree.length - 1 }, (_, i) => pathOf(p, i + 1).join(';')),
    ['a', 'a;c'],
  );
});

test('maxNodes: new paths go to their deepest existing caller, the total is kept, and it says so', () => {
  const p = build(
    [
      ['a;b;c', 1],
      ['a;x;y', 2],
    ],
    { maxNodes: 4 },
  );
  assert.equal(totalWeight(p), 3);
  assert.match(p.truncated ?? '', /more than 4 call-tree nodes/);
  assert.deepEqual(treeProblems(p), []);
});

test('maxDepth: deeper frames are charged to the frame at the limit', () => {
  const deep = Array.from({ length: 100 }, (_, i) => `f${i}`).join(';');
  const p = build([[deep, 7]], { maxDepth: 10 });
  assert.equal(totalWeight(p), 7);
  assert.equal(Math.max(...p.tree.depth), 10);
  assert.match(p.truncated ?? '', /deeper than 10 frames/);
});

test('maxFrames: the rest become "(other frames)"', () => {
  const p = build(
    [
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ],
    { maxFrames: 2 },
  );
  assert.equal(totalWeight(p), 3);
  assert.ok(Array.from({ length: p.frames.length }, (_, f) => frameName(p, f)).includes('(other frames)'));
  assert.match(p.truncated ?? '', /distinct frames/);
});

test('a million-node tree builds (hash table growth) with consistent totals', () => {
  const b = new FlameBuilder();
  const frames = Array.from({ length: 1000 }, (_, i) => b.frame({ name: `f${i}` }));
  for (let i = 0; i < 1000; i++)
    for (let j = 0; j < 1000; j++) b.addStack([frames[i] as number, frames[j] as number], 0, 2, 1);
  const p = b.build({ format: 'collapsed', kind: 'cpu', unit: 'samples' });
  assert.equal(p.tree.length, 1 + 1000 + 1000 * 1000);
  assert.equal(totalWeight(p), 1e6);
});
