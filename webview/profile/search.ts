// Search over a flame profile: which frames match a query, and how much of the profile they cover.
// A match's share counts each stack once: a matching node inside another matching node (recursion,
// or two matching functions on one stack) adds nothing more, so shares never exceed 100%.
import type { FrameTable, StackTree, TrackEvents } from '../../src/core/profile/model';

export type Matcher = (text: string) => boolean;

/**
 * The query as a matcher: `/re/flags` is a regular expression (case-insensitive unless it says
 * otherwise by giving flags), anything else a case-insensitive substring. Empty: no matcher.
 */
export function parseQuery(text: string): { matcher?: Matcher; error?: string } {
  const q = text.trim();
  if (!q) return {};
  const re = /^\/(.+)\/([a-z]*)$/.exec(q);
  if (re) {
    try {
      const flags = re[2] ? (re[2] as string).replace(/[gy]/g, '') : 'i';
      const rx = new RegExp(re[1] as string, flags);
      return { matcher: (s) => rx.test(s) };
    } catch (err) {
      return { error: `not a regular expression: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  const needle = q.toLowerCase();
  return { matcher: (s) => s.toLowerCase().includes(needle) };
}

/** 1 for each frame whose name, file or package matches. */
export function matchFrames(strings: readonly string[], frames: FrameTable, matcher: Matcher): Uint8Array {
  // Each distinct string is tested once: names repeat across frames (same function, other lines).
  const memo = new Int8Array(strings.length).fill(-1);
  const test = (s: number): boolean => {
    if (s < 0 || s >= strings.length) return false;
    if (memo[s] === -1) memo[s] = matcher(strings[s] as string) ? 1 : 0;
    return memo[s] === 1;
  };
  const out = new Uint8Array(frames.length);
  for (let f = 0; f < frames.length; f++)
    if (test(frames.name[f] as number) || test(frames.file[f] as number) || test(frames.pkg[f] as number))
      out[f] = 1;
  return out;
}

/** Frames of one function: the single frame given. */
export function singleFrame(frames: FrameTable, frame: number): Uint8Array {
  const out = new Uint8Array(frames.length);
  if (frame >= 0 && frame < frames.length) out[frame] = 1;
  return out;
}

export interface Share {
  /** Weight of the matching stacks, each counted once. */
  weight: number;
  /** The weight it is a share of (the total of `within`). */
  of: number;
  /** Matching nodes that are not inside another matching node. */
  nodes: number;
}

/** How much of the subtree of `within` (default the root) runs in a matching frame. */
export function matchedShare(tree: StackTree, frameMatch: Uint8Array, within = 0): Share {
  const of = tree.length ? (tree.total[within] as number) : 0;
  let weight = 0;
  let nodes = 0;
  const end = tree.length ? (tree.subtreeEnd[within] as number) : 0;
  let i = within;
  while (i < end) {
    const f = tree.frame[i] as number;
    if (f >= 0 && frameMatch[f] === 1) {
      weight += tree.total[i] as number;
      nodes++;
      i = tree.subtreeEnd[i] as number;
    } else i++;
  }
  return { weight, of, nodes };
}

/** Time in matching calls on one track, nested calls counted once. */
export function matchedTrackTime(events: TrackEvents, frameMatch: Uint8Array): number {
  let time = 0;
  let insideDepth = -1;
  for (let i = 0; i < events.length; i++) {
    const d = events.depth[i] as number;
    if (insideDepth >= 0 && d > insideDepth) continue;
    insideDepth = -1;
    const f = events.frame[i] as number;
    if (f >= 0 && frameMatch[f] === 1) {
      time += (events.end[i] as number) - (events.start[i] as number);
      insideDepth = d;
    }
  }
  return time;
}
