// Shared by this folder's *.unit.test.ts: small flame profiles written as nested arrays, laid out
// the way the importers do (preorder, children heaviest first), so tests can state exact boxes.
import type { FlameProfile } from '../../src/core/profile/model';

/** [name, self, ...children]; a name "pkg:fn@file:line" sets the package, file and line too. */
export type Spec = [string, number, ...Spec[]];

export function profileOf(root: Spec[], unit: FlameProfile['unit'] = 'samples'): FlameProfile {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const frameIndex = new Map<string, number>();
  const fname: number[] = [];
  const ffile: number[] = [];
  const fline: number[] = [];
  const fpkg: number[] = [];
  const frameOf = (label: string): number => {
    let f = frameIndex.get(label);
    if (f !== undefined) return f;
    f = fname.length;
    frameIndex.set(label, f);
    const m = /^(?:([^:@]+):)?([^@]+)(?:@(.+):(\d+))?$/.exec(label);
    fname.push(intern(m?.[2] ?? label));
    fpkg.push(m?.[1] ? intern(m[1]) : -1);
    ffile.push(m?.[3] ? intern(m[3]) : -1);
    fline.push(m?.[4] ? Number(m[4]) : 0);
    return f;
  };
  const totalOf = (s: Spec): number => s[1] + (s.slice(2) as Spec[]).reduce((sum, c) => sum + totalOf(c), 0);
  const parent: number[] = [-1];
  const frame: number[] = [-1];
  const depth: number[] = [0];
  const self: number[] = [0];
  const total: number[] = [root.reduce((sum, s) => sum + totalOf(s), 0)];
  const end: number[] = [0];
  const visit = (s: Spec, p: number, d: number): void => {
    const i = parent.length;
    parent.push(p);
    frame.push(frameOf(s[0]));
    depth.push(d);
    self.push(s[1]);
    total.push(totalOf(s));
    end.push(0);
    const kids = (s.slice(2) as Spec[]).sort((a, b) => totalOf(b) - totalOf(a));
    for (const c of kids) visit(c, i, d + 1);
    end[i] = parent.length;
  };
  for (const s of [...root].sort((a, b) => totalOf(b) - totalOf(a))) visit(s, 0, 1);
  end[0] = parent.length;
  const n = parent.length;
  return {
    format: 'collapsed',
    kind: 'cpu',
    unit,
    strings,
    frames: {
      length: fname.length,
      name: Int32Array.from(fname),
      file: Int32Array.from(ffile),
      line: Int32Array.from(fline),
      column: new Int32Array(fname.length),
      pkg: Int32Array.from(fpkg),
    },
    tree: {
      length: n,
      parent: Int32Array.from(parent),
      frame: Int32Array.from(frame),
      depth: Uint16Array.from(depth),
      self: Float64Array.from(self),
      total: Float64Array.from(total),
      subtreeEnd: Int32Array.from(end),
    },
    tracks: [],
    warnings: [],
  };
}

/** The node whose frame is named `name` (the first in preorder), or -1. */
export function nodeNamed(p: FlameProfile, name: string): number {
  for (let i = 1; i < p.tree.length; i++)
    if (p.strings[p.frames.name[p.tree.frame[i] as number] as number] === name) return i;
  return -1;
}
