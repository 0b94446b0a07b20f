// The output pipeline's fast test: where, in a block of raw output bytes, are the bytes that may
// need the slow path (terminal sanitizer and regex masking)? Most output is plain text that can go
// to the file and the display as it came; finding that out must cost far less than the copy the
// pipe already made, so the scan is a small WebAssembly SIMD loop (16 bytes per step) assembled
// below, with a plain JS loop of the same rule where WebAssembly SIMD is missing.
//
// A position is a candidate when its byte is
//   - a control character other than tab and newline, or DEL (ESC, CR, BEL, backspace, ...),
//   - 0xC2, the first byte of a C1 control (CSI, OSC, ...) in UTF-8 and of other Latin-1
//     characters: the caller checks the byte after it,
//   - or the start of an anchor word of mask.ts: the vector loop classifies every three-byte
//     window through two 16-entry nibble tables per window position ("shufti", MASK_ANCHOR_GROUPS),
//     which over-approximates (cross products of nibbles) but never misses one; each window it
//     finds is then compared with the first 8 bytes of every anchor, letters in either case.
// Candidates are a superset of what needs the slow path (the caller verifies each one), never
// less. One call into WebAssembly lists every candidate of a block (up to a capacity, then it
// resumes), so a candidate costs a few instructions there and a look-up here, not a trip in and
// out per hit. Whether the bytes before a candidate hold non-ASCII bytes is worked out only when
// asked, from the next byte >= 0x80, so UTF-8 validation runs only where needed.
import { MASK_ANCHORS } from './mask';

/**
 * Three-position byte sets, one per bit of a lane: a window matches a group when its three bytes
 * are in the group's three sets. Case matters: both cases are listed where mask.ts matches the
 * anchor in any case. Together they cover the first three bytes of every anchor in mask.ts's
 * MASK_ANCHORS in every spelling maskAnchorAt accepts (checked by byte-scan.unit.test.ts). Groups
 * share a bit where their nibble cross products add few false hits on random and English text.
 */
export const MASK_ANCHOR_GROUPS: readonly (readonly [string, string, string])[] = [
  ['pPkK', 'aAeE', 'sSyY'], // passw(or)d; key, KEY, api_key
  ['sStT', 'eEoO', 'cCkK'], // secret; token
  ['pP', 'wW', 'dD'], // pwd
  ['B', 'ea', 'as'], // Bearer, Basic
  ['A', 'KS', 'I'], // AKIA, ASIA
  ['g', 'h', 'pousr'], // ghp_, gho_, ghu_, ghs_, ghr_
  ['g', 'i', 't'], // github_pat_
  [':-', '/-', '/-'], // ://, -----BEGIN
];

/** The single-byte rule (controls but tab and newline, DEL, 0xC2), for the tables and the tests. */
export function isControlCandidate(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f || c === 0xc2;
}

/**
 * The first bytes (up to 8) of an anchor word, as a test of 8 bytes: (bytes & mask | fold) ==
 * value. Letters match in either case whatever mask.ts says: a test that passes more often is safe.
 */
interface AnchorPrefix {
  mask: number[];
  fold: number[];
  value: number[];
}
/** Pads an odd pair: never passes ((bytes & 0) | 0 is never 0xFF). */
const NEVER: AnchorPrefix = { mask: Array(8).fill(0), fold: Array(8).fill(0), value: Array(8).fill(0xff) };

function anchorPrefixes(): AnchorPrefix[] {
  const seen = new Map<string, AnchorPrefix>();
  for (const word of MASK_ANCHORS) {
    const p: AnchorPrefix = { mask: [], fold: [], value: [] };
    for (let j = 0; j < 8; j++) {
      const c = j < word.length ? word.charCodeAt(j) : -1;
      const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
      p.mask.push(c < 0 ? 0 : 0xff);
      p.fold.push(letter ? 0x20 : 0);
      p.value.push(c < 0 ? 0 : letter ? c | 0x20 : c);
    }
    seen.set(p.value.join(','), p);
  }
  return [...seen.values()];
}

interface Tables {
  /** Every anchor of mask.ts, as an 8-byte prefix test (the second test of an anchor window). */
  prefixes: AnchorPrefix[];
  /** For window position k: lo[k][byte & 15] & hi[k][byte >> 4] = the groups it may be in. */
  lo: Uint8Array[];
  hi: Uint8Array[];
  /** The single-byte rule as nibble tables: ctlLo[byte & 15] & ctlHi[byte >> 4] != 0. */
  ctlLo: Uint8Array;
  ctlHi: Uint8Array;
}

function scanTables(): Tables {
  const lo = [0, 1, 2].map(() => new Uint8Array(16));
  const hi = [0, 1, 2].map(() => new Uint8Array(16));
  MASK_ANCHOR_GROUPS.forEach((sets, g) => {
    sets.forEach((chars, k) => {
      for (const ch of chars) {
        const b = ch.charCodeAt(0);
        lo[k]![b & 15]! |= 1 << g;
        hi[k]![b >> 4]! |= 1 << g;
      }
    });
  });
  // One bit per rectangle of the rule, so no cross product adds a byte: 0x00-0x0F but tab and
  // newline, 0x10-0x1F, DEL, 0xC2.
  const ctlLo = new Uint8Array(16);
  const ctlHi = Uint8Array.from([1, 2, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 8, 0, 0, 0]);
  for (let n = 0; n < 16; n++) ctlLo[n] = (n === 9 || n === 10 ? 0 : 1) | 2;
  ctlLo[0x0f]! |= 4;
  ctlLo[0x02]! |= 8;
  return { prefixes: anchorPrefixes(), lo, hi, ctlLo, ctlHi };
}

/** Bytes after a block that the vector loop may read; filled with spaces, which match nothing. */
export const SCAN_PADDING = 64;

export interface ByteScanner {
  /** Copies `block` in for scanning; later next() calls refer to it. */
  load(block: Uint8Array): void;
  /** The first candidate position at or after `from` (block.length when none). */
  next(from: number): number;
  /**
   * Whether the bytes from the last next() call's `from` up to its result may contain non-ASCII
   * bytes (false means surely ASCII).
   */
  readonly maybeNonAscii: boolean;
  /** The first byte >= 0x80 at or after `from` (block.length when none). */
  nextNonAscii(from: number): number;
  readonly kind: 'wasm-simd' | 'js';
  /** Who loaded the current block (callers sharing the scanner reload when it is not them). */
  owner: unknown;
}

// ---- WebAssembly: a tiny assembler for the two functions this needs ----

const enum Op {
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  Return = 0x0f,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  I32Store = 0x36,
  I32Const = 0x41,
  I32Eqz = 0x45,
  I32GeU = 0x4f,
  I32Ctz = 0x68,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32And = 0x71,
  I32Or = 0x72,
  I32Xor = 0x73,
  I32Shl = 0x74,
  Simd = 0xfd,
}
// SIMD sub-opcodes (after 0xFD).
const enum V {
  Load = 0x00,
  Swizzle = 0x0e,
  Splat8 = 0x0f,
  Eq8 = 0x23,
  And = 0x4e,
  Or = 0x50,
  AnyTrue = 0x53,
  Bitmask8 = 0x64,
  ShrU16 = 0x8d,
  Load64Splat = 0x0a,
  Eq64 = 0xd6,
  /** Relaxed SIMD: the platform's own shuffle (pshufb, tbl); same result for indices 0-15. */
  RelaxedSwizzle = 0x100,
}

function leb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>>= 7;
    if (n === 0) return [...out, b];
    out.push(b | 0x80);
  }
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const name = (s: string): number[] => [...leb(s.length), ...Buffer.from(s, 'latin1')];
const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;

const get = (l: number): number[] => [Op.LocalGet, ...leb(l)];
const set = (l: number): number[] => [Op.LocalSet, ...leb(l)];
const tee = (l: number): number[] => [Op.LocalTee, ...leb(l)];
const i32 = (n: number): number[] => [Op.I32Const, ...sleb(n)];
const simd = (op: V): number[] => [Op.Simd, ...leb(op)];
/** Where the block starts in the module's memory: below it, the constants scanAll loads. */
const BLOCK_AT = 1024;
/**
 * v128.load of the block's bytes from local 0 (the position in the block) + offset; alignment hint
 * 1 byte (loads are unaligned).
 */
const load = (offset: number): number[] => [...get(0), ...simd(V.Load), 0, ...leb(BLOCK_AT + offset)];

export interface ScanModuleOptions {
  /** Use relaxed SIMD's swizzle (one instruction on x64; needs a runtime that has relaxed SIMD). */
  relaxed: boolean;
}

/**
 * The constants in memory, in the order scanAll loads them: 16 bytes each for the loop (0x0F,
 * zero, the nibble tables), then 48 per pair of anchor prefixes (masks, folds, values).
 */
function constantBytes(t: Tables): Uint8Array {
  const parts = [new Uint8Array(16).fill(0x0f), new Uint8Array(16), ...t.lo, ...t.hi, t.ctlLo, t.ctlHi];
  if (16 * parts.length !== PREFIXES_AT) throw new Error('byte-scan: PREFIXES_AT is out of date');
  const pair = (a: AnchorPrefix, b: AnchorPrefix, f: keyof AnchorPrefix): Uint8Array =>
    Uint8Array.from([...a[f], ...b[f]]);
  for (let k = 0; k < t.prefixes.length; k += 2) {
    const [a, b] = [t.prefixes[k]!, t.prefixes[k + 1] ?? NEVER];
    parts.push(pair(a, b, 'mask'), pair(a, b, 'fold'), pair(a, b, 'value'));
  }
  const out = new Uint8Array(16 * parts.length);
  parts.forEach((p, k) => out.set(p, 16 * k));
  if (out.length > BLOCK_AT) throw new Error('byte-scan: constants overlap the block');
  return out;
}
/** Where the prefix pairs start: after the loop's ten constants. */
const PREFIXES_AT = 16 * 10;

/**
 * scanAll(i, end, out, max): writes the candidates at or after i and before end, ascending, as
 * i32s at out, at most max of them; returns how many it wrote.
 */
function scanAllBody(t: Tables, swizzleOp: V): number[] {
  // Params 0 i, 1 end, 2 out, 3 max; i32 locals; then v128 locals.
  const [N, M, MK, P] = [4, 5, 6, 7];
  let next = 8;
  const local = (): number => next++;
  const [LOW, ZERO, L0, H0, X, A, K, Y] = Array.from({ length: 8 }, local) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const LO = [local(), local(), local()] as const;
  const HI = [local(), local(), local()] as const;
  const [CL, CH] = [local(), local()];
  const constAt = (addr: number): number[] => [...i32(addr), ...simd(V.Load), 0, 0];
  // Loaded from memory before the loop: TurboFan would rebuild a v128.const (four instructions)
  // inside the loop at every use, even from a local set before it.
  const init = [LOW, ZERO, ...LO, ...HI, CL, CH].flatMap((l, k) => [...constAt(16 * k), ...set(l)]);
  const swz = simd(swizzleOp);
  // 16-bit lanes shifted, then masked: the high nibble of every byte, cheaper than 8-bit shifts.
  const highNibble = [...i32(4), ...simd(V.ShrU16), ...get(LOW), ...simd(V.And)];
  /** Table-bits of the bytes at window position k (bytes from `src`) on the stack. */
  const classify = (src: number[], k: 1 | 2): number[] => [
    ...get(LO[k]),
    ...src,
    ...tee(X),
    ...get(LOW),
    ...simd(V.And),
    ...swz,
    ...get(HI[k]),
    ...get(X),
    ...highNibble,
    ...swz,
    ...simd(V.And),
  ];
  /** Sets A (windows that may start an anchor) and K (single-byte candidates) at i. */
  const classifyChunk = [
    ...load(0),
    ...tee(X),
    ...get(LOW),
    ...simd(V.And),
    ...set(L0),
    ...get(X),
    ...highNibble,
    ...set(H0),
    ...get(LO[0]),
    ...get(L0),
    ...swz,
    ...get(HI[0]),
    ...get(H0),
    ...swz,
    ...simd(V.And),
    ...classify(load(1), 1),
    ...simd(V.And),
    ...classify(load(2), 2),
    ...simd(V.And),
    ...set(A),
    ...get(CL),
    ...get(L0),
    ...swz,
    ...get(CH),
    ...get(H0),
    ...swz,
    ...simd(V.And),
    ...set(K),
  ];
  /** The lanes of v128 local `v` that are not zero, as bits. */
  const nonZeroBits = (v: number): number[] => [
    ...get(v),
    ...get(ZERO),
    ...simd(V.Eq8),
    ...simd(V.Bitmask8),
    ...i32(0xffff),
    Op.I32Xor,
  ];
  // Whether the 8 bytes at P begin an anchor word: (bytes & mask | fold) == value, two a step.
  const pairs = Math.ceil(t.prefixes.length / 2);
  const prefixAtP = [
    ...get(P),
    ...simd(V.Load64Splat),
    0,
    ...leb(BLOCK_AT),
    ...set(Y),
    ...Array.from({ length: pairs }, (_, k) => [
      ...get(Y),
      ...constAt(PREFIXES_AT + 48 * k),
      ...simd(V.And),
      ...constAt(PREFIXES_AT + 48 * k + 16),
      ...simd(V.Or),
      ...constAt(PREFIXES_AT + 48 * k + 32),
      ...simd(V.Eq64),
      ...(k > 0 ? simd(V.Or) : []),
    ]).flat(),
    ...simd(V.AnyTrue),
  ];
  // For each lane of A | K: a single-byte candidate is kept as it is, an anchor window only when
  // the prefix test passes. Returns early when past end or when the list is full.
  const emit = [
    ...nonZeroBits(A),
    ...nonZeroBits(K),
    ...tee(MK),
    Op.I32Or,
    ...set(M),
    Op.Block,
    VOID,
    Op.Loop,
    VOID,
    ...get(M),
    Op.I32Eqz,
    Op.BrIf,
    1,
    ...get(0),
    ...get(M),
    Op.I32Ctz,
    Op.I32Add,
    ...tee(P),
    ...get(1),
    Op.I32GeU,
    Op.If,
    VOID,
    ...get(N),
    Op.Return,
    Op.End,
    // MK & (M & -M): the lowest lane is a single-byte candidate
    ...get(MK),
    ...get(M),
    ...i32(0),
    ...get(M),
    Op.I32Sub,
    Op.I32And,
    Op.I32And,
    ...prefixAtP,
    Op.I32Or,
    Op.If,
    VOID,
    ...get(2),
    ...get(N),
    ...i32(2),
    Op.I32Shl,
    Op.I32Add,
    ...get(P),
    Op.I32Store,
    2,
    0,
    ...get(N),
    ...i32(1),
    Op.I32Add,
    ...tee(N),
    ...get(3),
    Op.I32GeU,
    Op.If,
    VOID,
    ...get(N),
    Op.Return,
    Op.End,
    Op.End,
    ...get(M),
    ...get(M),
    ...i32(1),
    Op.I32Sub,
    Op.I32And,
    ...set(M),
    Op.Br,
    0,
    Op.End,
    Op.End,
  ];
  const body: number[] = [
    ...init,
    Op.Block,
    VOID,
    Op.Loop,
    VOID,
    ...get(0),
    ...get(1),
    Op.I32GeU,
    Op.BrIf,
    1,
    ...classifyChunk,
    ...get(A),
    ...get(K),
    ...simd(V.Or),
    ...simd(V.AnyTrue),
    Op.If,
    VOID,
    ...emit,
    Op.End,
    ...get(0),
    ...i32(16),
    Op.I32Add,
    ...set(0),
    Op.Br,
    0,
    Op.End,
    Op.End,
    ...get(N),
    Op.End,
  ];
  return [
    ...vec([
      [4, I32],
      [next - 8, V128],
    ]),
    ...body,
  ];
}

/** nonAscii(i, end): the first byte >= 0x80 at or after i (at least end when none), 32 bytes a step. */
function nonAsciiBody(): number[] {
  const M = 2; // its i32 local: the high bits of 16 bytes
  const check = (offset: number): number[] => [
    ...load(offset),
    ...simd(V.Bitmask8),
    ...tee(M),
    Op.If,
    VOID,
    ...get(0),
    ...i32(offset),
    Op.I32Add,
    ...get(M),
    Op.I32Ctz,
    Op.I32Add,
    Op.Return,
    Op.End,
  ];
  return [
    ...vec([[1, I32]]),
    Op.Block,
    VOID,
    Op.Loop,
    VOID,
    ...get(0),
    ...get(1),
    Op.I32GeU,
    Op.BrIf,
    1,
    ...load(0),
    ...load(16),
    ...simd(V.Or),
    ...simd(V.Bitmask8),
    Op.If,
    VOID,
    ...check(0),
    ...check(16),
    Op.End,
    ...get(0),
    ...i32(32),
    Op.I32Add,
    ...set(0),
    Op.Br,
    0,
    Op.End,
    Op.End,
    ...get(1),
    Op.End,
  ];
}

function assembleScanModule(opts: ScanModuleOptions = { relaxed: false }): Uint8Array {
  const tables = scanTables();
  const scanAll = scanAllBody(tables, opts.relaxed ? V.RelaxedSwizzle : V.Swizzle);
  const nonAscii = nonAsciiBody();
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(
      1,
      vec([
        [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])],
        [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])],
      ]),
    ),
    ...section(3, vec([[0], [1]])),
    ...section(5, vec([[0x00, 2]])),
    ...section(
      7,
      vec([
        [...name('mem'), 0x02, 0],
        [...name('scanAll'), 0x00, 0],
        [...name('nonAscii'), 0x00, 1],
      ]),
    ),
    ...section(
      10,
      vec([
        [...leb(scanAll.length), ...scanAll],
        [...leb(nonAscii.length), ...nonAscii],
      ]),
    ),
    // The constants, at address 0 of memory 0.
    ...section(11, vec([[0x00, ...i32(0), Op.End, ...vec([...constantBytes(tables)].map((b) => [b]))]])),
  ]);
}

// ---- The scanners ----

/**
 * maybeNonAscii, worked out when read: whether a byte >= 0x80 lies in [from, result) of the last
 * next() call. The next non-ASCII position found is kept, so a walk over a block looks at each
 * byte about once more in all.
 */
abstract class ScannerBase {
  owner: unknown;
  protected end = 0;
  private lastFrom = 0;
  private lastAt = 0;
  /** nonAsciiAt is the first byte >= 0x80 at or after nonAsciiFrom (-1: not known). */
  private nonAsciiFrom = -1;
  private nonAsciiAt = -1;

  abstract nextNonAscii(from: number): number;
  protected abstract candidate(from: number): number;

  protected reset(length: number): void {
    this.end = length;
    this.lastFrom = this.lastAt = 0;
    this.nonAsciiFrom = this.nonAsciiAt = -1;
  }

  next(from: number): number {
    const p = from >= this.end ? this.end : this.candidate(Math.max(0, from));
    this.lastFrom = from;
    this.lastAt = p;
    return p;
  }

  get maybeNonAscii(): boolean {
    const from = Math.max(0, this.lastFrom);
    if (from >= this.lastAt) return false;
    if (from < this.nonAsciiFrom || from > this.nonAsciiAt) {
      this.nonAsciiFrom = from;
      this.nonAsciiAt = this.nextNonAscii(from);
    }
    return this.nonAsciiAt < this.lastAt;
  }
}

// The few WebAssembly APIs used (the project's TypeScript libs do not declare them).
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
interface ScanExports {
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  scanAll: (from: number, end: number, out: number, max: number) => number;
  nonAscii: (from: number, end: number) => number;
}

/** Candidates listed per call into WebAssembly (a block with more is listed in turns). */
const LIST_CAPACITY = 4096;

class WasmScanner extends ScannerBase implements ByteScanner {
  readonly kind = 'wasm-simd';
  private bytes: Uint8Array;
  private words: Int32Array;
  /** Where the candidate list starts in memory, in i32s. */
  private list = 0;
  /** The list holds every candidate in [listFrom, listTo); listTo < 0: nothing listed yet. */
  private listFrom = 0;
  private listTo = -1;
  private count = 0;
  private cursor = 0;

  constructor(
    private readonly ex: ScanExports,
    private readonly capacity = LIST_CAPACITY,
  ) {
    super();
    this.bytes = new Uint8Array(ex.mem.buffer);
    this.words = new Int32Array(ex.mem.buffer);
  }

  load(block: Uint8Array): void {
    const listAt = (BLOCK_AT + block.length + SCAN_PADDING + 15) & ~15;
    const need = listAt + 4 * this.capacity;
    if (need > this.bytes.length) {
      this.ex.mem.grow(Math.ceil((need - this.bytes.length) / 65536));
      this.bytes = new Uint8Array(this.ex.mem.buffer);
      this.words = new Int32Array(this.ex.mem.buffer);
    }
    this.bytes.set(block, BLOCK_AT);
    this.bytes.fill(0x20, BLOCK_AT + block.length, BLOCK_AT + block.length + SCAN_PADDING);
    this.list = listAt >> 2;
    this.listTo = -1;
    this.reset(block.length);
  }

  protected candidate(from: number): number {
    if (this.listTo < 0 || from < this.listFrom) this.fill(from);
    const w = this.words;
    // Back over a position already passed (a caller looking again): start the list over.
    if (this.cursor > 0 && w[this.list + this.cursor - 1]! >= from) this.cursor = 0;
    for (;;) {
      while (this.cursor < this.count) {
        const p = w[this.list + this.cursor]!;
        if (p >= from) return p;
        this.cursor++;
      }
      if (this.listTo >= this.end) return this.end;
      this.fill(Math.max(from, this.listTo));
    }
  }

  private fill(from: number): void {
    const n = this.ex.scanAll(from, this.end, this.list << 2, this.capacity);
    this.listFrom = from;
    this.listTo = n === this.capacity ? this.words[this.list + n - 1]! + 1 : this.end;
    this.count = n;
    this.cursor = 0;
  }

  nextNonAscii(from: number): number {
    return Math.min(this.ex.nonAscii(from, this.end), this.end);
  }
}

/** The same rule in plain JS (the reference for tests, and the fallback). */
export class JsScanner extends ScannerBase implements ByteScanner {
  readonly kind = 'js';
  private readonly t = scanTables();
  private block: Uint8Array = new Uint8Array(0);

  load(block: Uint8Array): void {
    this.block = block;
    this.reset(block.length);
  }

  private cls(k: number, b: number): number {
    return this.t.lo[k]![b & 15]! & this.t.hi[k]![b >> 4]!;
  }

  protected candidate(from: number): number {
    const b = this.block;
    const { ctlLo, ctlHi, prefixes } = this.t;
    // Past the end the vector loop reads SCAN_PADDING spaces.
    const at = (i: number): number => (i < b.length ? b[i]! : 0x20);
    const prefixAt = (i: number): boolean =>
      prefixes.some((p) => p.value.every((v, j) => ((at(i + j) & p.mask[j]!) | p.fold[j]!) === v));
    for (let i = from; i < b.length; i++) {
      const c = b[i]!;
      if ((ctlLo[c & 15]! & ctlHi[c >> 4]!) !== 0) return i;
      if ((this.cls(0, c) & this.cls(1, at(i + 1)) & this.cls(2, at(i + 2))) !== 0 && prefixAt(i)) return i;
    }
    return b.length;
  }

  nextNonAscii(from: number): number {
    const b = this.block;
    for (let i = Math.max(0, from); i < b.length; i++) if (b[i]! >= 0x80) return i;
    return b.length;
  }
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * A WebAssembly scanner of the given flavour, or undefined where the runtime cannot run it
 * (for tests; the pipeline uses byteScanner()). `capacity`: candidates listed per call.
 */
export function wasmScanner(opts: ScanModuleOptions, capacity = LIST_CAPACITY): ByteScanner | undefined {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`byte-scan: capacity ${capacity} < 1`);
  const wasm = wasmApi();
  const bytes = assembleScanModule(opts);
  if (!wasm?.validate(bytes)) return undefined;
  const instance = new wasm.Instance(new wasm.Module(bytes));
  return new WasmScanner(instance.exports as ScanExports, capacity);
}

let shared: ByteScanner | undefined;

/**
 * The process-wide scanner (WebAssembly SIMD when the runtime has it, with relaxed SIMD's swizzle
 * when it has that too). Safe to share: a scan and the work on its result run synchronously,
 * never across an await.
 */
export function byteScanner(): ByteScanner {
  if (shared) return shared;
  try {
    shared = wasmScanner({ relaxed: true }) ?? wasmScanner({ relaxed: false });
  } catch {
    // Fall through: the JS loop gives the same answers, only slower.
  }
  shared ??= new JsScanner();
  return shared;
}

/** For tests: the WebAssembly module's bytes. */
export const scanModuleBytes = assembleScanModule;
