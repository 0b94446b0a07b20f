// The function table's rows: per-function self and total weight (from the importers' summary),
// sorted and filtered the way the table shows them. Pure, so the order is tested, not eyeballed.
import type { FlameProfile } from '../../src/core/profile/model';
import { functionWeights, type FunctionWeight } from '../../src/core/profile/flame/summary';

export type FunctionSort = 'self' | 'total' | 'name';

export interface FunctionTableData {
  rows: FunctionWeight[];
  /** Self weight per frame (0 for frames never on a stack), for heat colours. */
  selfByFrame: Float64Array;
  maxSelf: number;
}

export function functionTable(p: FlameProfile): FunctionTableData {
  const rows = functionWeights(p);
  const selfByFrame = new Float64Array(p.frames.length);
  let maxSelf = 0;
  for (const r of rows) {
    selfByFrame[r.frame] = r.self;
    if (r.self > maxSelf) maxSelf = r.self;
  }
  return { rows, selfByFrame, maxSelf };
}

/** Rows in table order: heaviest first for self/total (ties by the other, then by name), A-Z for name. */
export function sortFunctions(
  rows: readonly FunctionWeight[],
  sort: FunctionSort,
  nameOf: (frame: number) => string,
): FunctionWeight[] {
  const byName = (a: FunctionWeight, b: FunctionWeight): number => {
    const x = nameOf(a.frame);
    const y = nameOf(b.frame);
    return x < y ? -1 : x > y ? 1 : a.frame - b.frame;
  };
  const out = [...rows];
  if (sort === 'name') return out.sort(byName);
  if (sort === 'self') return out.sort((a, b) => b.self - a.self || b.total - a.total || byName(a, b));
  return out.sort((a, b) => b.total - a.total || b.self - a.self || byName(a, b));
}

/** The rows whose frame matches (all when there is no filter), at most `limit`, and how many were left out. */
export function filterFunctions(
  rows: readonly FunctionWeight[],
  frameMatch: Uint8Array | undefined,
  limit: number,
): { rows: FunctionWeight[]; hidden: number } {
  const out: FunctionWeight[] = [];
  let matching = 0;
  for (const r of rows) {
    if (frameMatch && frameMatch[r.frame] !== 1) continue;
    matching++;
    if (out.length < limit) out.push(r);
  }
  return { rows: out, hidden: matching - out.length };
}
