// The two bridges between the merged tree and the time-ordered view:
//  - samplesToTrack: a time-ordered run of sampled stacks becomes intervals (consecutive samples
//    that share a prefix of their stacks extend the same calls), as speedscope's "time order" does;
//  - intervalsToTrack + trackToTree: measured intervals (trace events) are nested by time into a
//    track, and the track's self times feed the merged tree.
// All loops are iterative: stack depth is data, never JS call depth.
import type { FlameBuilder, TrackBuilder } from './builder';

/**
 * Sample i has leaf node leaves[i] (below `base`) at times[i] and lasts until times[i + 1];
 * the last one until endTime. Times must be non-decreasing.
 */
export function samplesToTrack(
  b: FlameBuilder,
  track: TrackBuilder,
  base: number,
  leaves: ArrayLike<number>,
  times: ArrayLike<number>,
  count: number,
  endTime: number,
): void {
  const openNode: number[] = [];
  const openEvent: number[] = [];
  const path: number[] = [];
  let prevLeaf = -2;
  for (let i = 0; i < count; i++) {
    const leaf = leaves[i] as number;
    if (leaf === prevLeaf) continue;
    prevLeaf = leaf;
    const t = times[i] as number;
    path.length = 0;
    for (let n = leaf; n !== base && n > 0; n = b.parentOf(n)) path.push(n);
    path.reverse();
    let c = 0;
    while (c < openNode.length && c < path.length && openNode[c] === path[c]) c++;
    for (let d = openNode.length - 1; d >= c; d--) {
      const ev = openEvent[d] as number;
      if (ev >= 0) track.end.set(ev, t);
    }
    openNode.length = c;
    openEvent.length = c;
    for (let d = c; d < path.length; d++) {
      const node = path[d] as number;
      const ev = track.push(t, t, d, b.frameOf(node));
      if (ev < 0) {
        // the event limit: the time-ordered view ends here, closed at this sample's time
        for (const open of openEvent) if (open >= 0) track.end.set(open, t);
        return;
      }
      openNode.push(node);
      openEvent.push(ev);
    }
  }
  for (const ev of openEvent) if (ev >= 0) track.end.set(ev, Math.max(endTime, track.start.get(ev)));
}

/**
 * Nests one thread's measured intervals by time and appends them to `track` in preorder.
 * Ordering: earlier start first; at the same start the longer one is the parent; at the same start
 * and end, file order decides (the earlier is the parent). An interval that starts inside another
 * but ends after it is not a call the other made: it is clipped to its parent's end, and counted.
 */
export function intervalsToTrack(
  b: FlameBuilder,
  track: TrackBuilder,
  start: Float64Array,
  end: Float64Array,
  frame: Int32Array,
  count: number,
  /** File position of each interval (of its B event for B/E pairs); default: array order. */
  seq?: Int32Array,
): { clipped: number; dropped: number } {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort(
    (x, y) =>
      (start[x] as number) - (start[y] as number) ||
      (end[y] as number) - (end[x] as number) ||
      (seq ? (seq[x] as number) - (seq[y] as number) : 0) ||
      x - y,
  );
  const stackEnd: number[] = [];
  let clipped = 0;
  let dropped = 0;
  for (let k = 0; k < count; k++) {
    const i = order[k] as number;
    const s = start[i] as number;
    let e = end[i] as number;
    while (stackEnd.length && (stackEnd[stackEnd.length - 1] as number) <= s) stackEnd.pop();
    const top = stackEnd[stackEnd.length - 1];
    if (top !== undefined && e > top) {
      e = top;
      clipped++;
    }
    if (stackEnd.length >= b.limits.maxDepth) {
      b.truncate(`trace events nested deeper than ${b.limits.maxDepth} were left out`);
      dropped++;
      continue;
    }
    if (track.push(s, e, stackEnd.length, frame[i] as number) < 0) {
      dropped += count - k;
      break;
    }
    stackEnd.push(e);
  }
  return { clipped, dropped };
}

/** Adds the self time of a track's events (from index `from`) to the merged tree below `base`. */
export function trackToTree(b: FlameBuilder, track: TrackBuilder, base: number, from = 0): void {
  const node: number[] = [];
  const self: number[] = [];
  const n = track.length;
  const depth = track.depth.raw;
  const frame = track.frame.raw;
  const start = track.start.raw;
  const end = track.end.raw;
  for (let i = from; i < n; i++) {
    const d = depth[i] as number;
    while (node.length > d) b.addSelf(node.pop() as number, self.pop() as number);
    const parent = node.length ? (node[node.length - 1] as number) : base;
    const c = b.child(parent, frame[i] as number);
    const dur = (end[i] as number) - (start[i] as number);
    if (self.length) (self[self.length - 1] as number) -= dur;
    // Past a limit the call is charged to its parent: the parent then gets back what it gave.
    node.push(c < 0 ? parent : c);
    self.push(dur);
  }
  while (node.length) b.addSelf(node.pop() as number, self.pop() as number);
}
