// Shared by this folder's *.unit.test.ts: where the fixtures are, and small tree queries that
// tests use to check importers against numbers computed straight from the files.
import { resolve } from 'node:path';
import type { FlameProfile } from '../model';
import { frameName } from '../model';

/** ../shared/fixtures beside the repository (CI clones the repo with shared/ next to it). */
export const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'fixtures');
export const SPEEDSCOPE = resolve(FIXTURES, 'public', 'jlfwong-speedscope', 'sample', 'profiles');

/** Root-first frame names of node i. */
export function pathOf(p: FlameProfile, node: number): string[] {
  const out: string[] = [];
  for (let n = node; n > 0; n = p.tree.parent[n] as number) out.push(frameName(p, p.tree.frame[n] as number));
  return out.reverse();
}

/** The node at a root-first path of frame names, or -1. */
export function nodeAt(p: FlameProfile, path: readonly string[]): number {
  let node = 0;
  for (const name of path) {
    let found = -1;
    const end = p.tree.subtreeEnd[node] as number;
    for (let c = node + 1; c < end; c = p.tree.subtreeEnd[c] as number)
      if (frameName(p, p.tree.frame[c] as number) === name) {
        found = c;
        break;
      }
    if (found < 0) return -1;
    node = found;
  }
  return node;
}

/** Sum of self weight over every node whose frame has this name. */
export function selfOfName(p: FlameProfile, name: string): number {
  let s = 0;
  for (let i = 1; i < p.tree.length; i++)
    if (frameName(p, p.tree.frame[i] as number) === name) s += p.tree.self[i] as number;
  return s;
}

/** Checks the tree's own invariants: preorder, totals = self + children, heaviest child first. */
export function treeProblems(p: FlameProfile): string[] {
  const t = p.tree;
  const problems: string[] = [];
  for (let i = 0; i < t.length; i++) {
    let sum = t.self[i] as number;
    let prev = Infinity;
    const end = t.subtreeEnd[i] as number;
    if (end <= i || end > t.length) problems.push(`node ${i}: subtreeEnd ${end}`);
    for (let c = i + 1; c < end; c = t.subtreeEnd[c] as number) {
      if (t.parent[c] !== i) problems.push(`node ${c}: parent ${t.parent[c]} not ${i}`);
      if (t.depth[c] !== (t.depth[i] as number) + 1) problems.push(`node ${c}: depth`);
      if ((t.total[c] as number) > prev) problems.push(`node ${c}: heavier than its left sibling`);
      prev = t.total[c] as number;
      sum += t.total[c] as number;
    }
    if (Math.abs(sum - (t.total[i] as number)) > 1e-6 * Math.max(1, Math.abs(sum)))
      problems.push(`node ${i}: total ${t.total[i]} != self + children ${sum}`);
    if (problems.length > 10) break;
  }
  return problems;
}
