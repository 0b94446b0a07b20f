// Per-function totals for tables and the CLI: self (weight in the function itself) and total
// (weight of every stack the function is on, counted once even when it recurses). Grouping frames
// (threads, tracks, command names) are not functions and are left out of the lists.
import { FRAME_GROUP, type FlameProfile } from '../model';

export interface FunctionWeight {
  frame: number;
  self: number;
  total: number;
}

export function functionWeights(p: FlameProfile): FunctionWeight[] {
  const { tree } = p;
  const self = new Float64Array(p.frames.length);
  const total = new Float64Array(p.frames.length);
  const onPath = new Int32Array(p.frames.length);
  const open: number[] = [];
  for (let i = 1; i < tree.length; i++) {
    while (open.length && (tree.subtreeEnd[open[open.length - 1] as number] as number) <= i)
      (onPath[tree.frame[open.pop() as number] as number] as number)--;
    const f = tree.frame[i] as number;
    (self[f] as number) += tree.self[i] as number;
    if (onPath[f] === 0) (total[f] as number) += tree.total[i] as number;
    (onPath[f] as number)++;
    open.push(i);
  }
  const out: FunctionWeight[] = [];
  for (let f = 0; f < p.frames.length; f++)
    if ((self[f] !== 0 || total[f] !== 0) && !((p.frames.flags?.[f] ?? 0) & FRAME_GROUP))
      out.push({ frame: f, self: self[f] as number, total: total[f] as number });
  return out;
}

/** The n heaviest functions by self weight (ties: by total). */
export function topBySelf(p: FlameProfile, n: number): FunctionWeight[] {
  return functionWeights(p)
    .sort((a, b) => b.self - a.self || b.total - a.total || a.frame - b.frame)
    .slice(0, n);
}

/** The n heaviest functions by total weight (ties: by self). */
export function topByTotal(p: FlameProfile, n: number): FunctionWeight[] {
  return functionWeights(p)
    .sort((a, b) => b.total - a.total || b.self - a.self || a.frame - b.frame)
    .slice(0, n);
}
