import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDominators, retainedByClass, type CsrGraph } from './dominators';

function csr(n: number, edgeList: [number, number][]): CsrGraph {
  const edgeStart = new Uint32Array(n + 1);
  for (const [a] of edgeList) edgeStart[a + 1]!++;
  for (let i = 1; i <= n; i++) edgeStart[i]! += edgeStart[i - 1]!;
  const fill = edgeStart.slice(0, n);
  const edges = new Int32Array(edgeList.length);
  for (const [a, b] of edgeList) edges[fill[a]!++] = b;
  return { nodeCount: n, edgeStart, edges };
}

/** Dominators by definition: d dominates v iff v is unreachable from the roots once d is removed. */
function naiveIdom(n: number, edgeList: [number, number][], roots: number[]): Int32Array {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edgeList) adj[a]!.push(b);
  const reach = (removed: number): boolean[] => {
    const seen = new Array<boolean>(n).fill(false);
    const stack = roots.filter((r) => r !== removed);
    for (const r of stack) seen[r] = true;
    while (stack.length) {
      const v = stack.pop()!;
      for (const w of adj[v]!)
        if (w !== removed && !seen[w]) {
          seen[w] = true;
          stack.push(w);
        }
    }
    return seen;
  };
  const all = reach(-1);
  const doms: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let d = 0; d < n; d++) {
    const r = reach(d);
    for (let v = 0; v < n; v++) if (v !== d && all[v] && !r[v]) doms[v]!.add(d);
  }
  const idom = new Int32Array(n).fill(-2);
  for (let v = 0; v < n; v++) {
    if (!all[v]) continue;
    // The immediate dominator is the strict dominator dominated by all the others.
    let best = -1;
    for (const d of doms[v]!) if (best === -1 || doms[d]!.size > doms[best]!.size) best = d;
    idom[v] = best;
  }
  return idom;
}

test('dominators of the Lengauer-Tarjan paper example', () => {
  // R=0 A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8 I=9 J=10 K=11 L=12
  const E: [number, number][] = [
    [0, 1], [0, 2], [0, 3], [1, 4], [2, 1], [2, 4], [2, 5], [3, 6], [3, 7], [4, 12], [5, 8],
    [6, 9], [7, 9], [7, 10], [8, 5], [8, 11], [9, 11], [10, 9], [11, 9], [11, 0], [12, 8],
  ]; // prettier-ignore
  const shallow = new Float64Array(13).fill(1);
  const r = computeDominators(csr(13, E), Int32Array.of(0), shallow);
  assert.deepEqual([...r.idom], [-1, 0, 0, 0, 0, 0, 3, 3, 0, 0, 7, 0, 4]);
  assert.equal(r.reachable, 13);
  assert.equal(r.retained[0], 13);
  assert.equal(r.retained[3], 4); // C, F, G, J
  assert.equal(r.retained[4], 2); // D, L
});

test('matches the definition of dominance on random graphs with several roots', () => {
  let seed = 12345;
  const rand = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  for (let round = 0; round < 200; round++) {
    const n = 2 + rand(30);
    const m = rand(n * 3);
    const E: [number, number][] = [];
    for (let i = 0; i < m; i++) E.push([rand(n), rand(n)]);
    const roots = [rand(n), rand(n)];
    const r = computeDominators(csr(n, E), Int32Array.from(roots), new Float64Array(n).fill(1));
    assert.deepEqual(
      [...r.idom],
      [...naiveIdom(n, E, roots)],
      `round ${round}: ${JSON.stringify({ E, roots })}`,
    );
  }
});

test('a million-long chain neither recurses nor loses size', () => {
  const n = 1_000_000;
  const edgeStart = new Uint32Array(n + 1);
  const edges = new Int32Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    edges[i] = i + 1;
    edgeStart[i + 1] = i + 1;
  }
  edgeStart[n] = n - 1;
  const r = computeDominators(
    { nodeCount: n, edgeStart, edges },
    Int32Array.of(0),
    new Float64Array(n).fill(8),
  );
  assert.equal(r.retained[0], 8 * n);
  assert.equal(r.idom[n - 1], n - 2);
  const perClass = retainedByClass(r.idom, r.retained, new Int32Array(n), 1);
  assert.equal(perClass[0], 8 * n, 'nested objects of one class count once');
});

test('unreachable nodes keep their shallow size and idom -2', () => {
  const r = computeDominators(csr(3, [[0, 1]]), Int32Array.of(0), Float64Array.of(1, 2, 4));
  assert.deepEqual([...r.idom], [-1, 0, -2]);
  assert.deepEqual([...r.retained], [3, 2, 4]);
  assert.equal(r.reachable, 2);
});

test('retained by class counts objects of a class only under no other object of that class', () => {
  // 0(A) -> 1(B) -> 2(A) ; 0(A) -> 3(B) ; root also -> 4(B)
  const g = csr(5, [
    [0, 1],
    [1, 2],
    [0, 3],
  ]);
  const r = computeDominators(g, Int32Array.of(0, 4), Float64Array.of(10, 20, 30, 40, 50));
  const byClass = retainedByClass(r.idom, r.retained, Int32Array.of(0, 1, 0, 1, 1), 2);
  assert.equal(byClass[0], 100); // object 0 retains everything but 4
  assert.equal(byClass[1], 20 + 30 + 40 + 50);
});
