// Collapsed ("folded") stacks: `root;caller;callee count` per line, as written by FlameGraph's
// stackcollapse-* scripts (`perf script | stackcollapse-perf.pl`), py-spy `--format raw`,
// torch.profiler's export_stacks and async-profiler's collapsed output. Streamed line by line.
// Consecutive lines usually share a long prefix (the tools sort them), so the frames the line has
// in common with the previous one are reused instead of looked up again.
import type { FlameProfile } from '../model';
import type { ImportContext } from './context';
import { detach } from './builder';
import { ProfileError } from './errors';
import { parseFrameText } from './frame-name';
import { forEachLine } from './lines';

export async function importCollapsed({ source, b, opts }: ImportContext): Promise<FlameProfile> {
  const frameOfText = new Map<string, number>();
  const frameOf = (text: string): number => {
    let f = frameOfText.get(text);
    if (f === undefined) {
      f = b.frame(parseFrameText(text), text);
      frameOfText.set(detach(text), f);
    }
    return f;
  };
  let prev = '';
  const prevNodes: number[] = []; // node after frame d of the previous stack
  const prevEnds: number[] = []; // where frame d ends in the previous stack (";" or its length)
  let lines = 0;
  let bad = 0;
  let firstBad = 0;
  await forEachLine(source.chunks(), (line, no) => {
    let end = line.length;
    while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
    if (end === 0 || line.charCodeAt(0) === 35 /* # */) return;
    let sp = end - 1;
    while (sp >= 0 && !isSpace(line.charCodeAt(sp))) sp--;
    const count = sp > 0 ? Number(line.slice(sp + 1, end)) : NaN;
    if (!(count >= 0) || !Number.isFinite(count)) {
      bad++;
      firstBad ||= no;
      return;
    }
    // One separator only: a frame may itself be blank (perf-vertx has a " " JIT frame).
    const stack = line.slice(0, sp);
    lines++;

    let k = 0;
    const lim = Math.min(stack.length, prev.length);
    while (k < lim && stack.charCodeAt(k) === prev.charCodeAt(k)) k++;
    let shared = 0;
    while (shared < prevEnds.length) {
      const e = prevEnds[shared] as number;
      if (e > k || (e < stack.length && stack.charCodeAt(e) !== 59)) break;
      shared++;
    }
    prevNodes.length = shared;
    prevEnds.length = shared;
    let node = shared ? (prevNodes[shared - 1] as number) : b.root;
    let pos = shared ? (prevEnds[shared - 1] as number) + 1 : 0;
    if (!(shared && pos > stack.length)) {
      for (;;) {
        const semi = stack.indexOf(';', pos);
        const e = semi < 0 ? stack.length : semi;
        const c = b.child(node, frameOf(stack.slice(pos, e)));
        if (c < 0) break;
        node = c;
        prevNodes.push(node);
        prevEnds.push(e);
        if (semi < 0) break;
        pos = semi + 1;
      }
    }
    b.addSelf(node, count);
    prev = stack;
  });
  if (lines === 0)
    throw new ProfileError(
      'invalid',
      `${source.name}: no "frame;frame;... count" lines${bad ? ` (${bad} lines without a trailing count, the first is line ${firstBad})` : ''}`,
    );
  if (bad) b.warn(`${bad} lines without a trailing count were skipped (the first is line ${firstBad})`);
  return b.build({ format: 'collapsed', kind: 'cpu', unit: opts.unit ?? 'samples' });
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}
