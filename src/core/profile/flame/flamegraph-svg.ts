// Flame graph SVGs (FlameGraph's flamegraph.pl, inferno, py-spy `record -o profile.svg`): the
// frames are read back as data. Each frame is a `<title>name (N samples, P%)</title>` followed by
// its `<rect x y width …>`; the row (y) gives the depth, and the frame one row closer to the root
// whose x-range holds the frame's middle is its caller. The text is scanned chunk by chunk with a
// regular expression; `<script>` sections (these SVGs embed one for zoom and search) are skipped
// unread, and nothing in the file is ever executed or rendered.
import { StringDecoder } from 'node:string_decoder';
import type { FlameProfile, FlameUnit } from '../model';
import type { ImportContext } from './context';
import { ProfileError } from './errors';
import { parseFrameText } from './frame-name';
import { float64s } from './growable';

const FRAME = /<title>([^<]*)<\/title>\s*<rect\b([^>]*)>/g;
const TITLE = /^([\s\S]*) \((\d[\d,]*(?:\.\d+)?) ([^\s,()]+), ([\d.]+)%\)$/;
const MAX_CARRY = 16 * 1024 * 1024;
const CUT = -2;

export async function importFlameGraphSvg({ source, b }: ImportContext): Promise<FlameProfile> {
  const names: string[] = [];
  const count = float64s();
  const xs = float64s();
  const ys = float64s();
  const ws = float64s();
  let countName: string | undefined;
  let unparsed = 0;

  const scan = (text: string, from: number, to: number): number => {
    FRAME.lastIndex = from;
    let consumed = from;
    for (let m = FRAME.exec(text); m && m.index + m[0].length <= to; m = FRAME.exec(text)) {
      consumed = m.index + m[0].length;
      const title = TITLE.exec(decodeEntities(m[1] as string));
      const attrs = m[2] as string;
      const x = attr(attrs, 'x');
      const y = attr(attrs, 'y');
      const w = attr(attrs, 'width');
      if (!title || x === undefined || y === undefined || w === undefined) {
        unparsed++;
        continue;
      }
      countName ??= title[3];
      names.push(title[1] as string);
      count.push(Number((title[2] as string).replace(/,/g, '')));
      xs.push(x);
      ys.push(y);
      ws.push(w);
    }
    return consumed;
  };

  const decoder = new StringDecoder('utf8');
  let carry = '';
  let inScript = false;
  const feed = (text: string): void => {
    let pos = 0;
    carry = '';
    while (pos < text.length) {
      if (inScript) {
        const e = text.indexOf('</script>', pos);
        if (e < 0) {
          carry = text.slice(Math.max(pos, text.length - 8));
          return;
        }
        pos = e + 9;
        inScript = false;
        continue;
      }
      const s = text.indexOf('<script', pos);
      const consumed = scan(text, pos, s < 0 ? text.length : s);
      if (s >= 0) {
        pos = s + 7;
        inScript = true;
        continue;
      }
      // Keep what may be the start of a frame or of a "<script" cut by the chunk's end.
      const t = text.lastIndexOf('<title>');
      const lt = text.lastIndexOf('<');
      const keep = t >= consumed ? t : lt >= consumed && lt > text.length - 8 ? lt : text.length;
      carry = text.slice(keep);
      if (carry.length > MAX_CARRY)
        throw new ProfileError(
          'invalid',
          `${source.name}: a flame graph frame longer than 16 MB: not a flame graph SVG`,
        );
      return;
    }
  };
  for await (const chunk of source.chunks()) feed(carry + decoder.write(chunk));
  feed(carry + decoder.end());

  const n = names.length;
  if (n === 0)
    throw new ProfileError(
      'invalid',
      `${source.name}: no flame graph frames (<title>name (N samples, P%)</title><rect …>) found`,
    );
  if (unparsed) b.warn(`${unparsed} <title>/<rect> pairs that are not flame graph frames were skipped`);
  const x = xs.raw;
  const y = ys.raw;
  const w = ws.raw;
  const c = count.raw;

  // The root: FlameGraph's "all" frame, else the widest frame's row.
  let rootIdx = -1;
  for (let i = 0; i < n; i++)
    if (names[i] === 'all' && (rootIdx < 0 || (c[i] as number) > (c[rootIdx] as number))) rootIdx = i;
  let widest = 0;
  for (let i = 1; i < n; i++) if ((w[i] as number) > (w[widest] as number)) widest = i;
  const rootY = y[rootIdx >= 0 ? rootIdx : widest] as number;
  const rows = [...new Set(Array.from(y.subarray(0, n)))];
  const below = rows.filter((v) => v > rootY).length;
  const above = rows.filter((v) => v < rootY).length;
  const inverted = below >= above; // icicle: the root on top, callees further down
  rows.sort((p, q) => (inverted ? p - q : q - p));
  const rank = new Map(rows.map((v, i) => [v, i]));
  const firstRow = rank.get(rootY) ?? 0;
  if (rows.length - firstRow > b.limits.maxDepth + 1)
    b.truncate(`stacks deeper than ${b.limits.maxDepth} frames were cut at that depth`);

  // Frames by row, sorted by x, to find each frame's caller by binary search.
  const byRow: number[][] = rows.map(() => []);
  for (let i = 0; i < n; i++) {
    const r = (rank.get(y[i] as number) as number) - firstRow;
    if (r >= 0) byRow[r]?.push(i);
  }
  for (const row of byRow) row.sort((p, q) => (x[p] as number) - (x[q] as number));
  const node = new Int32Array(n).fill(-1);
  const childSum = new Float64Array(n);
  let orphans = 0;
  for (let r = 0; r < byRow.length; r++) {
    const row = byRow[r] as number[];
    const parentRow = byRow[r - 1];
    for (const i of row) {
      let parentNode = b.root;
      if (rootIdx >= 0 && r === 0) {
        node[i] = b.root;
        continue;
      }
      if (parentRow) {
        const p = findCaller(parentRow, x, w, (x[i] as number) + (w[i] as number) / 2);
        if (p < 0 || node[p] === -1) {
          orphans++;
          continue;
        }
        if (node[p] === CUT) {
          node[i] = CUT; // below the depth limit: already counted in the frame that was cut
          continue;
        }
        parentNode = node[p] as number;
        (childSum[p] as number) += c[i] as number;
      }
      const f = b.frame(parseFrameText(names[i] as string), `\u0001svg\u0000${names[i] as string}`);
      const child = b.child(parentNode, f);
      node[i] = child < 0 ? CUT : child;
      if (child < 0) b.addSelf(parentNode, c[i] as number);
    }
  }
  let negative = 0;
  for (let i = 0; i < n; i++) {
    if ((node[i] as number) < 0 || i === rootIdx) continue;
    const self = (c[i] as number) - (childSum[i] as number);
    if (self < 0) negative++;
    else b.addSelf(node[i] as number, self);
  }
  if (rootIdx >= 0) {
    const rootSelf = (c[rootIdx] as number) - (childSum[rootIdx] as number);
    if (rootSelf > 0) b.addSelf(b.root, rootSelf);
  }
  if (orphans) b.warn(`${orphans} frames had no caller in the row above and were left out`);
  if (negative)
    b.warn(`${negative} frames count fewer samples than their callees: their self weight is taken as 0`);
  const unit: FlameUnit = countName === 'bytes' ? 'bytes' : countName === 'samples' ? 'samples' : 'count';
  return b.build({ format: 'flamegraph-svg', kind: unit === 'bytes' ? 'allocation' : 'cpu', unit });
}

function findCaller(row: number[], x: Float64Array, w: Float64Array, mid: number): number {
  let lo = 0;
  let hi = row.length - 1;
  let best = -1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if ((x[row[m] as number] as number) <= mid) {
      best = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  if (best < 0) return -1;
  const p = row[best] as number;
  // Pixel rounding: the caller may end a fraction of a pixel before the callee's middle.
  return mid <= (x[p] as number) + (w[p] as number) + 1 ? p : -1;
}

function attr(attrs: string, name: string): number | undefined {
  const m = new RegExp(`(?:^|\\s)${name}="(-?[\\d.]+)"`).exec(attrs);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : undefined;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    }
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e] ?? '';
  });
}
