// Streaming parser of the HPROF binary heap dump format. Feed it chunks of any size with push() (a
// record may span any number of chunks), then call end(). It keeps only what the histogram and the
// object graph need: per-class counts as it goes, and the graph (ids, classes, references) while the
// object count stays under the cap. Primitive array contents are skipped without being buffered.
import { F64Vec, I32Vec, U32Vec } from './growable';
import * as hprof from './hprofFormat';
import {
  initialPackState,
  layoutCandidates,
  packClass,
  type LayoutCandidate,
  type PackState,
} from './hotspotLayout';
import { HeapFormatError } from './model';

// Local copies: under a CommonJS transform (tsx, tests) every use of an imported binding is a
// property getter call, which the per-record switch below would pay millions of times.
const {
  SUB_CLASS_DUMP,
  SUB_HEAP_DUMP_INFO,
  SUB_INSTANCE_DUMP,
  SUB_OBJ_ARRAY_DUMP,
  SUB_PRIM_ARRAY_DUMP,
  SUB_PRIM_ARRAY_NODATA,
  TAG_HEAP_DUMP,
  TAG_HEAP_DUMP_SEGMENT,
  TAG_LOAD_CLASS,
  TAG_UTF8,
  TOP_TAG_NAMES,
  T_OBJECT,
  alignUp,
} = hprof;
const rootBytes = hprof.rootTrailingBytes;
const basicTypeSize = hprof.basicTypeSize;

/**
 * Arrays vote only on compressed vs uncompressed references, which this many settle; past them
 * arrays stop voting (instances keep voting: only they tell the field packing apart).
 */
const ARRAY_VOTES = 1 << 16;

/** A record that must be held whole (class dump, string, instance) larger than this is corrupt. */
const MAX_BUFFERED_ITEM = 64 << 20;

export interface HprofClass {
  id: number;
  superId: number;
  loaderId: number;
  /** CLASS_DUMP seen (a class may be known only from LOAD_CLASS or from its instances). */
  dumped: boolean;
  /** Own instance field types, in dump order. */
  fieldTypes: number[];
  staticPrimBytes: number;
  staticRefs: number;
  /** Histogram row of its instances or, for an array class, its arrays. */
  row: number;
  /** Byte offsets of reference fields in its instance data (own fields, then superclasses'). */
  refOffsets: Int32Array | null;
  /** Instance data bytes in the dump (references at the id size). */
  dataBytes: number;
  /** Per layout candidate: field packing state after this class, and its instances' in-heap size. */
  packStates: PackState[] | null;
  sizes: Float64Array | null;
  /** Whether the candidates disagree on that size (only then does an address gap tell them apart). */
  sizesDiffer: boolean;
  /**
   * Address gaps after this class's instances: how many were seen, and the majority candidate with
   * its Boyer-Moore counter. HotSpot injects fields the dump does not list (ClassLoader.loader_data,
   * MemberName.vmindex...) and pads @Contended fields; the gaps show the real size.
   */
  gapSeen: number;
  gapMajority: number;
  gapVotes: number;
  /** Its class object's index in the graph (-1: not dumped yet, or no graph). */
  objIndex: number;
}

export const ROW_CLASS = 0;
export const ROW_PRIM_ARRAY = 1;
export const ROW_CLASS_OBJECTS = 2;

export interface HprofRow {
  kind: number;
  /** Class object id for ROW_CLASS, element type for ROW_PRIM_ARRAY. */
  key: number;
  instances: number;
  arrays: number;
  /**
   * Array sizes without their headers, so each candidate's total derives at the end (64-bit array
   * headers are multiples of 8): payloadA with 4-byte references, payloadB with 8-byte ones.
   * 32-bit dumps (12-byte header) sum whole sizes in bytes32.
   */
  payloadA: number;
  payloadB: number;
  bytes32: number;
}

/** Graph as collected: references still as raw ids. */
export interface HprofGraphParts {
  ids: F64Vec;
  row: I32Vec;
  /** Arrays: element count; class objects: index into classOrder; instances: -1. */
  aux: F64Vec;
  edgeStart: U32Vec;
  edgeCount: U32Vec;
  edges: F64Vec;
  pending: { obj: number; classId: number; data: Buffer }[];
}

const MODE_HEADER = 0;
const MODE_TOP = 1;
const MODE_SKIP = 2;
const MODE_HEAP = 3;
const MODE_ARRAY_ELEMS = 4;

export class HprofParser {
  version = '';
  idSize = 0;
  timestamp = 0;
  readonly strings = new Map<number, string>();
  readonly classNames = new Map<number, number>();
  readonly classes = new Map<number, HprofClass>();
  /** Classes in CLASS_DUMP order (class objects' aux points here). */
  readonly classOrder: HprofClass[] = [];
  readonly rows: HprofRow[] = [];
  readonly primRows: (number | undefined)[] = [];
  classObjectsRow = -1;
  objectCount = 0;
  readonly roots = new F64Vec();
  graph: HprofGraphParts | null;
  /** Object layouts the dump may come from, and how many object address gaps each explains (see vote). */
  candidates: LayoutCandidate[] = [];
  layoutVotes: number[] = [];
  readonly warnings: string[] = [];
  readonly recordCounts = new Map<string, number>();

  private mode = MODE_HEADER;
  private pending: Buffer | null = null;
  /** Absolute stream offset of the first byte not yet consumed. */
  private offset = 0;
  private skipLeft = 0;
  private skipReturn = MODE_TOP;
  private heapLeft = 0;
  private heapTag = 0;
  private heapStart = 0;
  private heapEnd = 0;
  private arrayLeft = 0;
  private lastClassId = -1;
  private lastClass: HprofClass | null = null;
  private prevId = -1;
  private prevClass: HprofClass | null = null;
  private prevKnown = false;
  private prevSizes: Float64Array | null = null;
  private prevDiffer = false;
  private arrayVotesLeft = ARRAY_VOTES;
  /** Two scratch size vectors for arrays, alternated because the previous one is still in use. */
  private readonly scratch = [new Float64Array(8), new Float64Array(8)];
  private scratchFlip = 0;
  private candHeader = new Float64Array(0);
  private candRef = new Float64Array(0);
  private readonly maxObjects: number;

  constructor(maxObjects: number) {
    this.maxObjects = maxObjects;
    this.graph = maxObjects > 0 ? newGraph() : null;
  }

  /** Bytes of the (uncompressed) stream consumed so far. */
  get bytesParsed(): number {
    return this.offset;
  }

  push(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const pos = this.run(buf);
    const left = buf.length - pos;
    if (left > MAX_BUFFERED_ITEM)
      throw new HeapFormatError(
        `corrupt HPROF: a record at byte ${this.offset} would need more than ${MAX_BUFFERED_ITEM} bytes held at once`,
      );
    // Copy the tail so a small leftover does not pin a whole chunk.
    this.pending = left > 0 ? Buffer.from(buf.subarray(pos)) : null;
  }

  end(): void {
    const left = this.pending?.length ?? 0;
    const at = this.offset + left;
    switch (this.mode) {
      case MODE_HEADER:
        throw new HeapFormatError(
          left === 0 ? 'empty file: not an HPROF heap dump' : `truncated at byte ${at} in the HPROF header`,
        );
      case MODE_TOP:
        if (left > 0) throw new HeapFormatError(`truncated at byte ${at} in a record header`);
        return;
      case MODE_SKIP:
        if (this.skipReturn === MODE_TOP)
          throw new HeapFormatError(
            `truncated at byte ${at}: ${this.skipLeft} bytes of a record are missing`,
          );
        throw this.truncatedInHeap(at);
      default:
        throw this.truncatedInHeap(at);
    }
  }

  private truncatedInHeap(at: number): HeapFormatError {
    const name = TOP_TAG_NAMES[this.heapTag] ?? 'HEAP_DUMP';
    return new HeapFormatError(
      `truncated at byte ${at} in ${name} (record starting at byte ${this.heapStart}, ${this.heapEnd - at} bytes missing)`,
    );
  }

  private corrupt(at: number, what: string): HeapFormatError {
    return new HeapFormatError(`corrupt HPROF at byte ${at}: ${what}`);
  }

  /** Consumes as much of buf as holds whole items; returns the position of the first unconsumed byte. */
  private run(buf: Buffer): number {
    let pos = 0;
    const base = this.offset;
    try {
      for (;;) {
        const avail = buf.length - pos;
        switch (this.mode) {
          case MODE_HEADER: {
            const nul = buf.indexOf(0, pos);
            const prefix = 'JAVA PROFILE ';
            const seen = buf.toString('latin1', pos, Math.min(buf.length, pos + prefix.length));
            if (!prefix.startsWith(seen) && !seen.startsWith(prefix))
              throw new HeapFormatError(
                'not an HPROF heap dump: the file does not start with "JAVA PROFILE 1.0.x"',
              );
            if (nul < 0) {
              if (avail > 64)
                throw new HeapFormatError('not an HPROF heap dump: no end to the header string');
              return pos;
            }
            if (buf.length - nul - 1 < 12) return pos;
            this.version = buf.toString('latin1', pos, nul);
            if (!/^JAVA PROFILE 1\.0\.[123]$/.test(this.version))
              throw new HeapFormatError(`unsupported HPROF version "${this.version}"`);
            this.idSize = buf.readUInt32BE(nul + 1);
            if (this.idSize !== 4 && this.idSize !== 8)
              throw this.corrupt(base + nul + 1, `identifier size ${this.idSize} (expected 4 or 8)`);
            this.timestamp = buf.readUInt32BE(nul + 5) * 2 ** 32 + buf.readUInt32BE(nul + 9);
            this.candidates = layoutCandidates(this.idSize);
            this.layoutVotes = this.candidates.map(() => 0);
            this.candHeader = Float64Array.from(this.candidates, (c) => c.arrayHeader);
            this.candRef = Float64Array.from(this.candidates, (c) => c.ref);
            pos = nul + 13;
            this.mode = MODE_TOP;
            break;
          }
          case MODE_TOP: {
            if (avail < 9) return pos;
            const tag = buf[pos]!;
            const len = buf.readUInt32BE(pos + 5);
            const name = TOP_TAG_NAMES[tag];
            if (name === undefined)
              throw this.corrupt(base + pos, `unknown record tag 0x${tag.toString(16)}`);
            this.recordCounts.set(name, (this.recordCounts.get(name) ?? 0) + 1);
            if (tag === TAG_HEAP_DUMP || tag === TAG_HEAP_DUMP_SEGMENT) {
              this.heapTag = tag;
              this.heapStart = base + pos;
              this.heapEnd = base + pos + 9 + len;
              this.heapLeft = len;
              pos += 9;
              this.mode = MODE_HEAP;
            } else if (tag === TAG_UTF8 || tag === TAG_LOAD_CLASS) {
              if (len > MAX_BUFFERED_ITEM) throw this.corrupt(base + pos, `${name} record of ${len} bytes`);
              if (avail < 9 + len) return pos;
              this.topRecord(buf, tag, pos + 9, len, base + pos);
              pos += 9 + len;
            } else {
              pos += 9;
              this.skipLeft = len;
              this.skipReturn = MODE_TOP;
              this.mode = MODE_SKIP;
            }
            break;
          }
          case MODE_SKIP: {
            const n = Math.min(this.skipLeft, avail);
            pos += n;
            this.skipLeft -= n;
            if (this.skipLeft > 0) return pos;
            this.mode = this.skipReturn;
            break;
          }
          case MODE_HEAP: {
            pos = this.heapRecords(buf, pos, base);
            if (this.mode === MODE_HEAP && this.heapLeft > 0) return pos;
            if (this.mode === MODE_HEAP) this.mode = MODE_TOP;
            break;
          }
          case MODE_ARRAY_ELEMS: {
            const id = this.idSize;
            let n = Math.min(this.arrayLeft, Math.floor(avail / id));
            this.arrayLeft -= n;
            const g = this.graph;
            if (g) {
              for (; n > 0; n--, pos += id) {
                const ref = id === 4 ? u32(buf, pos) : u32(buf, pos) * 4294967296 + u32(buf, pos + 4);
                if (ref !== 0) g.edges.push(ref);
              }
              g.edgeCount.data[g.edgeCount.length - 1] =
                g.edges.length - g.edgeStart.data[g.edgeStart.length - 1]!;
            } else pos += n * id;
            if (this.arrayLeft > 0) return pos;
            this.mode = MODE_HEAP;
            break;
          }
        }
      }
    } finally {
      this.offset = base + pos;
    }
  }

  private topRecord(buf: Buffer, tag: number, p: number, len: number, at: number): void {
    const id = this.idSize;
    if (tag === TAG_UTF8) {
      if (len < id) throw this.corrupt(at, 'UTF8 record shorter than an id');
      this.strings.set(this.readId(buf, p), buf.toString('utf8', p + id, p + len));
    } else {
      if (len < 8 + 2 * id) throw this.corrupt(at, 'LOAD_CLASS record too short');
      this.classNames.set(this.readId(buf, p + 4), this.readId(buf, p + 8 + id));
    }
  }

  private readId(buf: Buffer, p: number): number {
    return this.idSize === 4 ? u32(buf, p) : u32(buf, p) * 4294967296 + u32(buf, p + 4);
  }

  /** Heap sub-records while whole ones are available; leaves mode HEAP, SKIP or ARRAY_ELEMS. */
  private heapRecords(buf: Buffer, pos: number, base: number): number {
    const id = this.idSize;
    const end = buf.length;
    while (this.heapLeft > 0) {
      if (pos >= end) return pos;
      const sub = buf[pos]!;
      const avail = end - pos;
      let len: number;
      switch (sub) {
        case SUB_INSTANCE_DUMP: {
          const hdr = 1 + 2 * id + 8;
          if (avail < hdr) return pos;
          const n = u32(buf, pos + 1 + 2 * id + 4);
          len = hdr + n;
          if (len > this.heapLeft) throw this.overrun(base + pos, 'INSTANCE_DUMP', len);
          if (avail < len) return pos;
          this.instance(buf, pos + 1, n, pos + hdr);
          break;
        }
        case SUB_OBJ_ARRAY_DUMP: {
          const hdr = 1 + 2 * id + 8;
          if (avail < hdr) return pos;
          const n = u32(buf, pos + 1 + id + 4);
          len = hdr + n * id;
          if (len > this.heapLeft) throw this.overrun(base + pos, 'OBJ_ARRAY_DUMP', len);
          this.objArray(buf, pos + 1, n);
          this.heapLeft -= len;
          pos += hdr;
          this.arrayLeft = n;
          this.mode = MODE_ARRAY_ELEMS;
          return pos;
        }
        case SUB_PRIM_ARRAY_DUMP:
        case SUB_PRIM_ARRAY_NODATA: {
          const hdr = 1 + id + 9;
          if (avail < hdr) return pos;
          const n = u32(buf, pos + 1 + id + 4);
          const type = buf[pos + hdr - 1]!;
          const es = basicTypeSize(type, id);
          if (es === 0 || type === T_OBJECT)
            throw this.corrupt(base + pos, `primitive array of invalid element type ${type}`);
          const data = sub === SUB_PRIM_ARRAY_DUMP ? n * es : 0;
          len = hdr + data;
          if (len > this.heapLeft) throw this.overrun(base + pos, 'PRIM_ARRAY_DUMP', len);
          this.primArray(buf, pos + 1, n, type, es);
          this.heapLeft -= len;
          pos += hdr;
          if (data > 0) {
            this.skipLeft = data;
            this.skipReturn = MODE_HEAP;
            this.mode = MODE_SKIP;
            return pos;
          }
          continue;
        }
        case SUB_CLASS_DUMP: {
          len = this.classDump(buf, pos, end, base);
          if (len < 0) return pos;
          if (len > this.heapLeft) throw this.overrun(base + pos, 'CLASS_DUMP', len);
          break;
        }
        case SUB_HEAP_DUMP_INFO:
          len = 1 + 4 + id;
          if (avail < len) return pos;
          break;
        default: {
          const trailing = rootBytes(sub, id);
          if (trailing < 0)
            throw this.corrupt(base + pos, `unknown heap dump sub-record tag 0x${sub.toString(16)}`);
          len = 1 + id + trailing;
          if (avail < len) return pos;
          if (len > this.heapLeft) throw this.overrun(base + pos, 'GC root', len);
          const ref = this.readId(buf, pos + 1);
          if (ref !== 0) this.roots.push(ref);
        }
      }
      this.heapLeft -= len;
      pos += len;
    }
    return pos;
  }

  private overrun(at: number, what: string, len: number): HeapFormatError {
    return this.corrupt(
      at,
      `${what} of ${len} bytes runs past the end of its ${TOP_TAG_NAMES[this.heapTag] ?? 'heap dump'} record (${this.heapLeft} bytes left)`,
    );
  }

  private classFor(classId: number): HprofClass {
    if (classId === this.lastClassId) return this.lastClass!;
    let c = this.classes.get(classId);
    if (!c) {
      c = {
        id: classId,
        superId: 0,
        loaderId: 0,
        dumped: false,
        fieldTypes: [],
        staticPrimBytes: 0,
        staticRefs: 0,
        row: this.rows.length,
        refOffsets: null,
        dataBytes: 0,
        packStates: null,
        sizes: null,
        sizesDiffer: false,
        gapSeen: 0,
        gapMajority: 0,
        gapVotes: 0,
        objIndex: -1,
      };
      this.rows.push(this.newRow(ROW_CLASS, classId));
      this.classes.set(classId, c);
    }
    this.lastClassId = classId;
    this.lastClass = c;
    return c;
  }

  private newRow(kind: number, key: number): HprofRow {
    return { kind, key, instances: 0, arrays: 0, payloadA: 0, payloadB: 0, bytes32: 0 };
  }

  /**
   * Computes a class's instance layout (reference offsets in the dump, in-heap size per candidate)
   * once it and all its superclasses are dumped; null until then.
   */
  layoutOf(c: HprofClass): Int32Array | null {
    if (c.refOffsets) return c.refOffsets;
    const chain: HprofClass[] = [];
    for (let k: HprofClass | undefined = c; ; k = this.classes.get(k.superId)) {
      if (!k || !k.dumped || chain.length > 1000) return null;
      chain.push(k);
      if (k.superId === 0) break;
    }
    // Instance data lists the class's own fields first, then each superclass's in turn.
    const offsets: number[] = [];
    let off = 0;
    for (const k of chain) {
      for (const t of k.fieldTypes) {
        if (t === T_OBJECT) offsets.push(off);
        off += basicTypeSize(t, this.idSize);
      }
    }
    // In-heap packing goes the other way: root class first.
    for (let i = chain.length - 1; i >= 0; i--) {
      const k = chain[i]!;
      if (k.packStates) continue;
      const sup = i + 1 < chain.length ? chain[i + 1]!.packStates! : null;
      const states: PackState[] = [];
      const sizes = new Float64Array(this.candidates.length);
      this.candidates.forEach((cand, j) => {
        const r = packClass(cand, sup ? sup[j]! : initialPackState(cand), k.fieldTypes);
        states.push(r.state);
        sizes[j] = alignUp(r.end, cand.align);
      });
      k.packStates = states;
      k.sizes = sizes;
      k.sizesDiffer = sizes.some((x) => x !== sizes[0]);
    }
    c.refOffsets = Int32Array.from(offsets);
    c.dataBytes = off;
    return c.refOffsets;
  }

  /**
   * HotSpot dumps each heap region in address order, so the gap from one object's address to the
   * next is the first object's real size: each candidate layout that predicts it gets a vote.
   */
  private vote(objId: number, sizes: Float64Array | null, differ: boolean, cls: HprofClass | null): void {
    if (this.prevSizes) {
      const gap = objId - this.prevId;
      if (this.prevDiffer) {
        const prev = this.prevSizes;
        for (let j = 0; j < prev.length; j++) if (gap === prev[j]) this.layoutVotes[j]!++;
      }
      const pc = this.prevClass;
      if (pc) {
        pc.gapSeen++;
        if (pc.gapVotes === 0) {
          pc.gapMajority = gap;
          pc.gapVotes = 1;
        } else if (pc.gapMajority === gap) pc.gapVotes++;
        else pc.gapVotes--;
      }
    }
    this.prevId = objId;
    this.prevClass = cls;
    this.prevSizes = sizes;
    this.prevDiffer = differ;
  }

  /** In-heap size of an array under each candidate layout (elementSize 0: a reference array). */
  private arraySizes(n: number, elementSize: number): Float64Array {
    const out = this.scratch[(this.scratchFlip ^= 1)]!;
    const k = this.candidates.length;
    for (let j = 0; j < k; j++) {
      out[j] = align8(this.candHeader[j]! + n * (elementSize || this.candRef[j]!));
    }
    return out.subarray(0, k);
  }

  private addObject(objId: number, row: number, aux: number): HprofGraphParts | null {
    this.objectCount++;
    let g = this.graph;
    if (g && this.objectCount > this.maxObjects) {
      this.graph = g = null;
    }
    if (g) {
      g.ids.push(objId);
      g.row.push(row);
      g.aux.push(aux);
      g.edgeStart.push(g.edges.length);
      g.edgeCount.push(0);
    }
    return g;
  }

  private instance(buf: Buffer, p: number, n: number, dataPos: number): void {
    const id = this.idSize;
    const objId = this.readId(buf, p);
    const classId = this.readId(buf, p + id + 4);
    const c = this.classFor(classId);
    this.rows[c.row]!.instances++;
    const offsets = c.refOffsets ?? this.layoutOf(c);
    this.vote(objId, c.sizes, c.sizesDiffer, c);
    const g = this.addObject(objId, c.row, -1);
    if (!g) return;
    // A known class object goes in already resolved (negative), sparing a hash lookup per instance.
    g.edges.push(c.objIndex >= 0 ? -1 - c.objIndex : classId);
    if (!offsets) {
      g.pending.push({
        obj: g.ids.length - 1,
        classId,
        data: Buffer.from(buf.subarray(dataPos, dataPos + n)),
      });
    } else {
      for (let i = 0; i < offsets.length; i++) {
        const o = offsets[i]!;
        if (o + id > n) break;
        const q = dataPos + o;
        const ref = id === 4 ? u32(buf, q) : u32(buf, q) * 4294967296 + u32(buf, q + 4);
        if (ref !== 0) g.edges.push(ref);
      }
    }
    g.edgeCount.data[g.edgeCount.length - 1] = g.edges.length - g.edgeStart.data[g.edgeStart.length - 1]!;
  }

  private objArray(buf: Buffer, p: number, n: number): void {
    const id = this.idSize;
    const objId = this.readId(buf, p);
    const classId = this.readId(buf, p + id + 8);
    const c = this.classFor(classId);
    const row = this.rows[c.row]!;
    row.arrays++;
    if (this.idSize === 4) row.bytes32 += align8(12 + 4 * n);
    else {
      row.payloadA += align8(4 * n);
      row.payloadB += 8 * n;
    }
    if (this.arrayVotesLeft > 0) {
      this.arrayVotesLeft--;
      this.vote(objId, this.arraySizes(n, 0), true, null);
    } else this.vote(objId, null, false, null);
    const g = this.addObject(objId, c.row, n);
    if (g) {
      g.edges.push(classId);
      g.edgeCount.data[g.edgeCount.length - 1] = 1;
    }
  }

  private primArray(buf: Buffer, p: number, n: number, type: number, es: number): void {
    let r = this.primRows[type];
    if (r === undefined) {
      r = this.rows.length;
      this.primRows[type] = r;
      this.rows.push(this.newRow(ROW_PRIM_ARRAY, type));
    }
    const row = this.rows[r]!;
    row.arrays++;
    if (this.idSize === 4) row.bytes32 += align8(12 + es * n);
    else {
      const payload = align8(es * n);
      row.payloadA += payload;
      row.payloadB += payload;
    }
    const objId = this.readId(buf, p);
    if (this.arrayVotesLeft > 0) {
      this.arrayVotesLeft--;
      this.vote(objId, this.arraySizes(n, es), this.candidates.length > 1, null);
    } else this.vote(objId, null, false, null);
    this.addObject(objId, r, n);
  }

  /** Parses a CLASS_DUMP at pos; returns its length, or -1 when it is not all in buf yet. */
  private classDump(buf: Buffer, pos: number, end: number, base: number): number {
    const id = this.idSize;
    let p = pos + 1;
    const fixed = 7 * id + 8 + 2;
    if (end - p < fixed) return -1;
    const classId = this.readId(buf, p);
    const superId = this.readId(buf, p + id + 4);
    const loaderId = this.readId(buf, p + 2 * id + 4);
    const refs: number[] = [
      superId,
      loaderId,
      this.readId(buf, p + 3 * id + 4),
      this.readId(buf, p + 4 * id + 4),
    ];
    p += fixed - 2;
    const cpCount = buf.readUInt16BE(p);
    p += 2;
    for (let i = 0; i < cpCount; i++) {
      if (end - p < 3) return -1;
      const t = buf[p + 2]!;
      const s = basicTypeSize(t, id);
      if (s === 0) throw this.corrupt(base + p, `constant pool entry of invalid type ${t}`);
      if (end - p < 3 + s) return -1;
      if (t === T_OBJECT) refs.push(this.readId(buf, p + 3));
      p += 3 + s;
    }
    if (end - p < 2) return -1;
    const staticCount = buf.readUInt16BE(p);
    p += 2;
    let staticPrim = 0;
    let staticRefs = 0;
    for (let i = 0; i < staticCount; i++) {
      if (end - p < id + 1) return -1;
      const t = buf[p + id]!;
      const s = basicTypeSize(t, id);
      if (s === 0) throw this.corrupt(base + p, `static field of invalid type ${t}`);
      if (end - p < id + 1 + s) return -1;
      if (t === T_OBJECT) {
        refs.push(this.readId(buf, p + id + 1));
        staticRefs++;
      } else staticPrim += s;
      p += id + 1 + s;
    }
    if (end - p < 2) return -1;
    const fieldCount = buf.readUInt16BE(p);
    p += 2;
    if (end - p < fieldCount * (id + 1)) return -1;
    const fieldTypes: number[] = new Array<number>(fieldCount);
    for (let i = 0; i < fieldCount; i++) {
      const t = buf[p + id]!;
      if (basicTypeSize(t, id) === 0) throw this.corrupt(base + p, `instance field of invalid type ${t}`);
      fieldTypes[i] = t;
      p += id + 1;
    }
    const c = this.classFor(classId);
    if (c.dumped) {
      this.warnings.push(`class 0x${classId.toString(16)} dumped twice; the second dump is ignored`);
      return p - pos;
    }
    c.dumped = true;
    c.superId = superId;
    c.loaderId = loaderId;
    c.fieldTypes = fieldTypes;
    c.staticPrimBytes = staticPrim;
    c.staticRefs = staticRefs;
    const classIndex = this.classOrder.length;
    this.classOrder.push(c);
    if (this.classObjectsRow < 0) {
      this.classObjectsRow = this.rows.length;
      this.rows.push(this.newRow(ROW_CLASS_OBJECTS, 0));
    }
    this.rows[this.classObjectsRow]!.instances++;
    this.vote(classId, null, false, null);
    const g = this.addObject(classId, this.classObjectsRow, classIndex);
    if (g) {
      c.objIndex = g.ids.length - 1;
      for (const r of refs) if (r !== 0) g.edges.push(r);
      g.edgeCount.data[g.edgeCount.length - 1] = g.edges.length - g.edgeStart.data[g.edgeStart.length - 1]!;
    }
    return p - pos;
  }
}

/** Array bytes of a row under one candidate layout. */
export function rowArrayBytes(row: HprofRow, cand: LayoutCandidate, idSize: number): number {
  if (idSize === 4) return row.bytes32;
  return row.arrays * cand.arrayHeader + (cand.ref === 4 ? row.payloadA : row.payloadB);
}

function align8(n: number): number {
  const rem = n % 8;
  return rem === 0 ? n : n + 8 - rem;
}

/** Big-endian u32 by byte arithmetic: cheaper than Buffer.readUInt32BE's checks in the hot loop. */
function u32(b: Buffer, p: number): number {
  return b[p]! * 16777216 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
}

function newGraph(): HprofGraphParts {
  return {
    ids: new F64Vec(1 << 16),
    row: new I32Vec(1 << 16),
    aux: new F64Vec(1 << 16),
    edgeStart: new U32Vec(1 << 16),
    edgeCount: new U32Vec(1 << 16),
    edges: new F64Vec(1 << 18),
    pending: [],
  };
}
