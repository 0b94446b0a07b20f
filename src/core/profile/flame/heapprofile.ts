// V8 sampling heap profile (.heapprofile from DevTools or `node --heap-prof`): a call tree whose
// nodes carry selfSize, the bytes allocated there by live sampled objects. It becomes an
// allocation flame graph in bytes.
import type { FlameProfile } from '../model';
import type { ImportContext } from './context';
import { ProfileError } from './errors';
import { packageOf } from './frame-name';
import { readJson } from './json-stream';
import type { V8CallFrame } from './v8-profile';

interface HeapNode {
  callFrame?: V8CallFrame;
  selfSize?: unknown;
  children?: unknown;
}

export async function importHeapProfile({ source, b, opts }: ImportContext): Promise<FlameProfile> {
  let head: unknown;
  const r = await readJson(source, {
    what: source.name,
    streamKeys: new Set(['samples']),
    maxMemberBytes: opts.maxMemberBytes,
    wholeBelow: opts.wholeJsonBelow,
    onElements() {
      // per-sample records repeat what the tree's selfSize already sums
    },
    onMember(key, value) {
      if (key === 'head') head = value;
    },
  });
  if (r.root !== 'object' || !head || typeof head !== 'object')
    throw new ProfileError('invalid', `${source.name}: a .heapprofile is a JSON object with a "head" node`);
  const stack: Array<{ n: HeapNode; parent: number; clipped: boolean }> = [
    { n: head as HeapNode, parent: b.root, clipped: false },
  ];
  let bad = 0;
  while (stack.length) {
    const { n, parent, clipped } = stack.pop() as { n: HeapNode; parent: number; clipped: boolean };
    const cf = n.callFrame;
    if (!cf || typeof cf !== 'object') {
      bad++;
      continue;
    }
    const name = typeof cf.functionName === 'string' ? cf.functionName : '';
    const url = typeof cf.url === 'string' && cf.url ? cf.url : undefined;
    let node = parent;
    let cut = clipped;
    if (!(name === '(root)' && !url) && !cut) {
      const display = name || '(anonymous)';
      const f = b.frame({
        name: display,
        file: url,
        line: typeof cf.lineNumber === 'number' && cf.lineNumber >= 0 ? cf.lineNumber + 1 : 0,
        column: typeof cf.columnNumber === 'number' && cf.columnNumber >= 0 ? cf.columnNumber + 1 : 0,
        pkg: packageOf(display, url),
      });
      const c = b.child(parent, f);
      if (c < 0) cut = true;
      else node = c;
    }
    if (typeof n.selfSize === 'number' && n.selfSize > 0) b.addSelf(node, n.selfSize);
    if (Array.isArray(n.children))
      for (const c of n.children as unknown[])
        if (c && typeof c === 'object') stack.push({ n: c as HeapNode, parent: node, clipped: cut });
  }
  if (bad) b.warn(`${bad} heap profile nodes without a callFrame were ignored`);
  return b.build({ format: 'heapprofile', kind: 'allocation', unit: 'bytes' });
}
