// `perf script` text: one sample per block, a header line
//   comm  pid[/tid] [cpu] seconds: [period] event:  [ip sym+off (dso)]
// then, with call graphs (`perf record -g`), one indented `address symbol+offset (dso)` line per
// frame, innermost first, and a blank line. Like stackcollapse-perf, the command name is the
// outermost frame and each sample weighs one. Only the first event type is imported: weights of
// different events (cycles, cpu-clock, page faults) do not add up.
import type { FlameProfile } from '../model';
import type { ImportContext } from './context';
import { ProfileError } from './errors';
import { packageOf } from './frame-name';
import { forEachLine } from './lines';

const HEADER =
  /^(\S.*?)\s+(-?\d+)(?:\/(-?\d+))?\s+(?:\[(\d+)\]\s+)?(\d+\.\d+):\s+(?:(\d+)\s+)?(\S+?):(?:\s+(.*))?$/;
const FRAME = /^\s+([0-9a-fA-F]+)\s+(.*)$/;

export async function importPerfScript({ source, b }: ImportContext): Promise<FlameProfile> {
  const frameCache = new Map<string, number>();
  let event: string | undefined;
  const skipped = new Map<string, number>();
  let comm: string | undefined;
  let inSample = false;
  let keep = false;
  const leafFirst: number[] = [];
  const rootFirst: number[] = [];
  let samples = 0;
  let strayLines = 0;
  let firstStray = 0;

  const frameOf = (symOff: string, dso: string | undefined): number => {
    const sym = symOff.replace(/\+0x[0-9a-fA-F]+$/, '') || '[unknown]';
    const key = `${sym}\u0000${dso ?? ''}`;
    let f = frameCache.get(key);
    if (f === undefined) {
      const name = sym === '[unknown]' && dso && dso !== '[unknown]' ? `[unknown] (${baseName(dso)})` : sym;
      f = b.frame({ name, pkg: packageOf(name, undefined, dso) }, key);
      frameCache.set(key, f);
    }
    return f;
  };

  const flush = (): void => {
    if (inSample && keep && comm !== undefined) {
      rootFirst.length = 0;
      rootFirst.push(b.frame({ name: comm, group: true }, `\u0001comm\u0000${comm}`));
      for (let i = leafFirst.length - 1; i >= 0; i--) rootFirst.push(leafFirst[i] as number);
      b.addStack(rootFirst, 0, rootFirst.length, 1);
      samples++;
    }
    inSample = false;
    leafFirst.length = 0;
  };

  await forEachLine(source.chunks(), (line, no) => {
    if (line.length === 0 || line.trim() === '') {
      flush();
      return;
    }
    const c = line.charCodeAt(0);
    if (inSample && (c === 9 || c === 32)) {
      const m = FRAME.exec(line);
      if (m) {
        if (keep) {
          const { sym, dso } = splitSymbol(m[2] as string);
          leafFirst.push(frameOf(sym, dso));
        }
        return;
      }
    }
    if (c === 35 /* # */) return;
    const h = HEADER.exec(line);
    if (!h) {
      strayLines++;
      firstStray ||= no;
      return;
    }
    flush();
    inSample = true;
    comm = (h[1] as string).trim();
    const ev = h[7] as string;
    event ??= ev;
    keep = ev === event;
    if (!keep) skipped.set(ev, (skipped.get(ev) ?? 0) + 1);
    // Without call graphs the sampled location is on the header line itself.
    const rest = h[8];
    if (keep && rest) {
      const m = /^([0-9a-fA-F]+)\s+(.*)$/.exec(rest.trim());
      if (m) {
        const { sym, dso } = splitSymbol(m[2] as string);
        leafFirst.push(frameOf(sym, dso));
      }
    }
  });
  flush();
  if (samples === 0)
    throw new ProfileError(
      'invalid',
      `${source.name}: no perf samples found${strayLines ? ` (${strayLines} lines are not perf script output, the first is line ${firstStray})` : ''}`,
    );
  for (const [ev, n] of skipped)
    b.warn(
      `${n} samples of event "${ev}" were left out: only "${event}" is imported (weights of different events do not add up)`,
    );
  if (strayLines)
    b.warn(
      `${strayLines} lines that are not perf script output were skipped (the first is line ${firstStray})`,
    );
  return b.build({ format: 'perf-script', kind: 'cpu', unit: 'samples' });
}

/** "sym+0x1f (/usr/lib/libc.so.6)" → sym and dso; symbols may themselves contain parentheses. */
function splitSymbol(text: string): { sym: string; dso: string | undefined } {
  const t = text.trimEnd();
  if (!t.endsWith(')')) return { sym: t, dso: undefined };
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    const ch = t[i];
    if (ch === ')') depth++;
    else if (ch === '(' && --depth === 0) {
      if (i === 0 || t[i - 1] !== ' ') return { sym: t, dso: undefined };
      return { sym: t.slice(0, i).trimEnd(), dso: t.slice(i + 1, -1) };
    }
  }
  return { sym: t, dso: undefined };
}

function baseName(p: string): string {
  return p.split('/').pop() || p;
}
