// Queries over the dominator tree for the heap view: who keeps a class's instances alive, and the
// largest dominated objects under a node (the treemap's children).
import type { DominatorTree, HeapAnalysis, HeapPathStep, HeapRetainer } from './model';

function pathTo(a: HeapAnalysis, d: DominatorTree, owner: number, maxPath: number): HeapPathStep[] {
  const steps: HeapPathStep[] = [];
  for (let v = owner; v >= 0 && steps.length < maxPath; v = d.idom[v]!) {
    steps.push({
      object: v,
      className: a.classes[d.classIndex[v]!]?.name ?? '?',
      retainedBytes: d.retained[v]!,
    });
  }
  return steps.reverse();
}

/**
 * The objects that keep the instances of one class alive, by the retained bytes of those instances.
 * An instance nested under another instance of the same class counts with its outer one, so a
 * linked list shows up once, under whatever holds its head. Each owner comes with its dominator path
 * from the GC roots (at most maxPath steps, nearest to the owner).
 */
export function classRetainers(a: HeapAnalysis, classIndex: number, top = 10, maxPath = 32): HeapRetainer[] {
  const d = a.dominators;
  if (!d) return [];
  const byOwner = new Map<number, { bytes: number; count: number }>();
  const n = d.idom.length;
  for (let v = 0; v < n; v++) {
    if (d.classIndex[v] !== classIndex) continue;
    const owner = d.idom[v]!;
    if (owner === -2) continue;
    if (owner >= 0 && d.classIndex[owner] === classIndex) continue;
    const e = byOwner.get(owner);
    if (e) {
      e.bytes += d.retained[v]!;
      e.count++;
    } else byOwner.set(owner, { bytes: d.retained[v]!, count: 1 });
  }
  return [...byOwner]
    .sort((x, y) => y[1].bytes - x[1].bytes)
    .slice(0, top)
    .map(([owner, e]) => ({
      object: owner,
      className: owner < 0 ? '(GC roots)' : (a.classes[d.classIndex[owner]!]?.name ?? '?'),
      retainedBytes: e.bytes,
      count: e.count,
      ownerRetainedBytes: owner < 0 ? d.reachableBytes : d.retained[owner]!,
      path: owner < 0 ? [] : pathTo(a, d, owner, maxPath),
    }));
}

/** The largest objects directly dominated by `parent` (-1: the GC roots), by retained size. */
export function largestDominated(a: HeapAnalysis, parent: number, top = 50): number[] {
  const d = a.dominators;
  if (!d) return [];
  const out: number[] = [];
  for (let v = 0; v < d.idom.length; v++) if (d.idom[v] === parent) out.push(v);
  out.sort((x, y) => d.retained[y]! - d.retained[x]!);
  return out.slice(0, top);
}
