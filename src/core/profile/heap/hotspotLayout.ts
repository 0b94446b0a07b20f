// HotSpot's instance field packing, so an instance's shallow size is what the JVM (and `jmap -histo`)
// counts, padding included. Two algorithms exist:
// - "legacy" (JDK 6-14): each class's fields form a block after its superclass's block, which is
//   padded to the reference size; inside a block longs/doubles, then ints/floats, shorts/chars,
//   bytes/booleans, then references; the gap before an 8-byte-aligned long may take one int, shorts,
//   bytes, or a compressed reference.
// - "jdk15" (JDK 15+, the new field layout): primitive fields largest first, then references, each
//   placed in the smallest hole (of this class's or any superclass's layout) that fits it aligned,
//   else appended at the end; alignment gaps become holes for later fields.
// The dump does not say which JVM wrote it; the parser lets object address gaps decide.
import { T_OBJECT, basicTypeSize, type ObjectLayout } from './hprofFormat';

export type Packing = 'legacy' | 'jdk15';

export interface LayoutCandidate extends ObjectLayout {
  packing: Packing;
}

/** Legacy: offset where a subclass's block starts. jdk15: free holes [offset, size, ...] and the end. */
export type PackState = number | { holes: number[]; end: number };

export function initialPackState(c: LayoutCandidate): PackState {
  return c.packing === 'legacy' ? c.header : { holes: [], end: c.header };
}

const alignTo = (n: number, a: number): number => (n % a === 0 ? n : n + a - (n % a));

/** Packs one class's own fields after its superclass's state; returns the new state and the unaligned end. */
export function packClass(
  c: LayoutCandidate,
  superState: PackState,
  fieldTypes: readonly number[],
): { state: PackState; end: number } {
  if (c.packing === 'legacy') return packLegacy(c, superState as number, fieldTypes);
  return packJdk15(c, superState as { holes: number[]; end: number }, fieldTypes);
}

function packLegacy(
  c: LayoutCandidate,
  start: number,
  fieldTypes: readonly number[],
): { state: PackState; end: number } {
  let longs = 0;
  let ints = 0;
  let shorts = 0;
  let bytes = 0;
  let oops = 0;
  for (const t of fieldTypes) {
    if (t === T_OBJECT) oops++;
    else {
      const s = basicTypeSize(t, 8);
      if (s === 8) longs++;
      else if (s === 4) ints++;
      else if (s === 2) shorts++;
      else bytes++;
    }
  }
  if (fieldTypes.length === 0) return { state: start, end: start };
  const oop = c.ref;
  let next = start;
  if (longs > 0) {
    const aligned = alignTo(next, 8);
    let gap = aligned - next;
    if (gap > 0) {
      if (ints > 0) {
        ints--;
        gap -= 4;
      }
      while (gap >= 2 && shorts > 0) {
        shorts--;
        gap -= 2;
      }
      while (gap > 0 && bytes > 0) {
        bytes--;
        gap--;
      }
      if (gap >= oop && oops > 0) oops--;
    }
    next = aligned + longs * 8;
  }
  next += ints * 4 + shorts * 2 + bytes;
  if (oops > 0) next = alignTo(next, oop) + oops * oop;
  return { state: alignTo(next, oop), end: next };
}

function packJdk15(
  c: LayoutCandidate,
  sup: { holes: number[]; end: number },
  fieldTypes: readonly number[],
): { state: PackState; end: number } {
  if (fieldTypes.length === 0) return { state: sup, end: sup.end };
  const prims: number[] = [];
  let oops = 0;
  for (const t of fieldTypes) {
    if (t === T_OBJECT) oops++;
    else prims.push(basicTypeSize(t, 8));
  }
  prims.sort((a, b) => b - a);
  const sizes = prims;
  for (let i = 0; i < oops; i++) sizes.push(c.ref);
  const holes = sup.holes.slice();
  let end = sup.end;
  let lastSize = 0;
  let lastSearchOk = false;
  for (const s of sizes) {
    const align = s;
    let cand = -1;
    if (!(s === lastSize && !lastSearchOk)) {
      lastSize = s;
      lastSearchOk = true;
      // Best fit, scanning from the highest hole down as HotSpot does (first found wins ties).
      for (let h = holes.length - 2; h >= 0; h -= 2) {
        const off = holes[h]!;
        const adj = off % align === 0 ? 0 : align - (off % align);
        if (holes[h + 1]! >= s + adj && (cand < 0 || holes[h + 1]! < holes[cand + 1]!)) cand = h;
      }
      if (cand < 0) lastSearchOk = false;
    }
    if (cand >= 0) {
      const off = holes[cand]!;
      const size = holes[cand + 1]!;
      const adj = off % align === 0 ? 0 : align - (off % align);
      const pieces: number[] = [];
      if (adj > 0) pieces.push(off, adj);
      const rest = size - adj - s;
      if (rest > 0) pieces.push(off + adj + s, rest);
      holes.splice(cand, 2, ...pieces);
    } else {
      const adj = end % align === 0 ? 0 : align - (end % align);
      if (adj > 0) holes.push(end, adj);
      end += adj + s;
    }
  }
  return { state: { holes, end }, end };
}

const COMPRESSED = { header: 12, ref: 4, arrayHeader: 16, align: 8 };
const UNCOMPRESSED = { header: 16, ref: 8, arrayHeader: 24, align: 8 };

/**
 * The layouts a dump with this id size may come from, most common first (the first wins when the
 * evidence is even). JDK 15+ keeps compressed class pointers when references are not compressed
 * (heaps over 32 GB), hence the 12-byte header with 8-byte references.
 */
export function layoutCandidates(idSize: number): LayoutCandidate[] {
  if (idSize === 4)
    return [
      { name: '32-bit', header: 8, ref: 4, arrayHeader: 12, align: 8, packing: 'legacy' },
      {
        name: '32-bit, JDK 15+ field layout',
        header: 8,
        ref: 4,
        arrayHeader: 12,
        align: 8,
        packing: 'jdk15',
      },
    ];
  return [
    { name: '64-bit, compressed oops', ...COMPRESSED, packing: 'legacy' },
    { name: '64-bit, compressed oops, JDK 15+ field layout', ...COMPRESSED, packing: 'jdk15' },
    { name: '64-bit, uncompressed oops', ...UNCOMPRESSED, packing: 'legacy' },
    {
      name: '64-bit, uncompressed oops, compressed class pointers, JDK 15+ field layout',
      header: 12,
      ref: 8,
      arrayHeader: 16,
      align: 8,
      packing: 'jdk15',
    },
    { name: '64-bit, uncompressed oops, JDK 15+ field layout', ...UNCOMPRESSED, packing: 'jdk15' },
  ];
}
