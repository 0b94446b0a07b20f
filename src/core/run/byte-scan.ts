// The output pipeline's fast test: where, in a block of raw output bytes, is the first byte that
// needs the slow path (terminal sanitizer and regex masking)? Most output is plain text that can go
// to the file and the display as it came; finding that out must cost far less than the copy the
// pipe already made, so the scan is a small WebAssembly SIMD loop (16 bytes per step) assembled
// below, with a plain JS loop of the same rule where WebAssembly SIMD is missing.
//
// A position is a candidate when its byte is
//   - a control character other than tab and newline, or DEL (ESC, CR, BEL, backspace, ...),
//   - 0xC2 followed by 0x80-0x9F: a C1 control (CSI, OSC, ...) encoded in UTF-8,
//   - or the start of a three-byte window that may begin a mask anchor (see MASK_ANCHOR_GROUPS):
//     each byte, case-folded, is classified through two 16-entry nibble tables per window position
//     ("shufti"), so the test over-approximates (cross products of nibbles) but never misses one.
// It also reports whether the bytes before the candidate may hold non-ASCII bytes, so UTF-8
// validation runs only when needed.

/**
 * Three-position byte sets (case-folded with `| 0x20`), one per bit of a lane: a window matches a
 * group when its three bytes are in the group's three sets. Together they cover the first three
 * bytes of every anchor in mask.ts's MASK_ANCHORS (checked by byte-scan.unit.test.ts).
 */
export const MASK_ANCHOR_GROUPS: readonly (readonly [string, string, string])[] = [
  ['p', 'aw', 'sd'], // passw(or)d, pwd
  ['s', 'e', 'c'], // secret
  ['t', 'o', 'k'], // token
  ['k', 'e', 'y'], // key, api_key, KEY...=
  ['b', 'ea', 'as'], // bearer, basic
  ['a', 'ks', 'i'], // AKIA, ASIA
  ['g', 'hi', 'pousrt'], // ghp_, gho_, ghu_, ghs_, ghr_, github_pat_
  [':-', '/-', '/-'], // ://, -----BEGIN
];

/** Nibble tables: for window position k, lo[k][byte & 15] & hi[k][byte >> 4] = groups it may be in. */
function nibbleTables(): { lo: Uint8Array[]; hi: Uint8Array[] } {
  const lo = [0, 1, 2].map(() => new Uint8Array(16));
  const hi = [0, 1, 2].map(() => new Uint8Array(16));
  MASK_ANCHOR_GROUPS.forEach((sets, g) => {
    sets.forEach((chars, k) => {
      for (const ch of chars) {
        const b = ch.charCodeAt(0) | 0x20;
        lo[k]![b & 15]! |= 1 << g;
        hi[k]![b >> 4]! |= 1 << g;
      }
    });
  });
  return { lo, hi };
}

/** Bytes after a block that the vector loop may read; filled with spaces, which match nothing. */
export const SCAN_PADDING = 32;

export interface ByteScanner {
  /** Copies `block` in for scanning; later next() calls refer to it. */
  load(block: Uint8Array): void;
  /**
   * The first candidate position at or after `from` (block.length when none), and whether the
   * bytes from `from` up to it may contain non-ASCII bytes (false means surely ASCII).
   */
  next(from: number): number;
  readonly maybeNonAscii: boolean;
  /** The first byte >= 0x80 at or after `from` (block.length when none). */
  nextNonAscii(from: number): number;
  readonly kind: 'wasm-simd' | 'js';
  /** Who loaded the current block (callers sharing the scanner reload when it is not them). */
  owner: unknown;
}

// ---- WebAssembly: a tiny assembler for the one function this needs ----

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
  I32Const = 0x41,
  I32Ne = 0x47,
  I32GeU = 0x4f,
  I32Ctz = 0x68,
  I32Add = 0x6a,
  I32Or = 0x72,
  I32Shl = 0x74,
  Simd = 0xfd,
}
// SIMD sub-opcodes (after 0xFD).
const enum V {
  Load = 0x00,
  Const = 0x0c,
  Swizzle = 0x0e,
  Splat8 = 0x0f,
  Eq8 = 0x23,
  Ne8 = 0x24,
  LtU8 = 0x26,
  And = 0x4e,
  AndNot = 0x4f,
  Or = 0x50,
  Xor = 0x51,
  AnyTrue = 0x53,
  Bitmask8 = 0x64,
  ShrU16 = 0x8d,
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

function assembleScanModule(): Uint8Array {
  const { lo, hi } = nibbleTables();
  // Locals: params 0 i, 1 end; then v128s. Constants live in locals set once before the loop
  // (V8 does not hoist them out of it by itself).
  let next = 2;
  const local = (): number => next++;
  const [VV, V1, ACC, HIT, F0, F1, F2] = [local(), local(), local(), local(), local(), local(), local()];
  const consts: [number, number][] = [0x20, 0xe0, 0x0a, 0x09, 0x7f, 0xc2, 0x80, 0x0f].map((b) => [
    local(),
    b,
  ]);
  const k = (byte: number): number => consts.find(([, b]) => b === byte)![0];
  const LO = [local(), local(), local()] as const;
  const HI = [local(), local(), local()] as const;
  const get = (l: number): number[] => [Op.LocalGet, ...leb(l)];
  const set = (l: number): number[] => [Op.LocalSet, ...leb(l)];
  const simd = (op: V): number[] => [Op.Simd, ...leb(op)];
  const load = (offset: number): number[] => [...get(0), ...simd(V.Load), 4, ...leb(offset)];
  const splat = (byte: number): number[] => [Op.I32Const, ...sleb(byte), ...simd(V.Splat8)];
  const vconst = (bytes: Uint8Array): number[] => [...simd(V.Const), ...bytes];
  const init: number[] = [
    ...consts.flatMap(([l, b]) => [...splat(b), ...set(l)]),
    ...LO.flatMap((l, i) => [...vconst(lo[i]!), ...set(l)]),
    ...HI.flatMap((l, i) => [...vconst(hi[i]!), ...set(l)]),
  ];
  // Group bits of the folded bytes in local `f` at window position k.
  const classify = (f: number, pos: 0 | 1 | 2): number[] => [
    ...get(LO[pos]),
    ...get(f),
    ...get(k(0x0f)),
    ...simd(V.And),
    ...simd(V.Swizzle),
    ...get(HI[pos]),
    ...get(f),
    Op.I32Const,
    4,
    // 16-bit lanes shifted, then masked: the high nibble of every byte, cheaper than 8-bit shifts.
    ...simd(V.ShrU16),
    ...get(k(0x0f)),
    ...simd(V.And),
    ...simd(V.Swizzle),
    ...simd(V.And),
  ];
  // The result: position * 2 + (1 when any byte seen had its high bit set).
  const withFlag = [
    Op.I32Const,
    1,
    Op.I32Shl,
    ...get(ACC),
    ...simd(V.Bitmask8),
    Op.I32Const,
    0,
    Op.I32Ne,
    Op.I32Or,
  ];
  const fold = (src: number[], f: number): number[] => [...src, ...get(k(0x20)), ...simd(V.Or), ...set(f)];
  const body: number[] = [
    ...init,
    Op.Block,
    0x40,
    Op.Loop,
    0x40,
    ...get(0),
    ...get(1),
    Op.I32GeU,
    Op.BrIf,
    1,
    ...load(0),
    ...set(VV),
    ...load(1),
    ...set(V1),
    ...get(ACC),
    ...get(VV),
    ...simd(V.Or),
    ...set(ACC),
    // controls: v < 0x20 (no bit of 0xE0 set) but not \n or \t; or DEL
    ...get(VV),
    ...get(k(0xe0)),
    ...simd(V.And),
    ...get(k(0x80)),
    ...get(k(0x80)),
    ...simd(V.Xor),
    ...simd(V.Eq8),
    ...get(VV),
    ...get(k(0x0a)),
    ...simd(V.Eq8),
    ...get(VV),
    ...get(k(0x09)),
    ...simd(V.Eq8),
    ...simd(V.Or),
    ...simd(V.AndNot),
    ...get(VV),
    ...get(k(0x7f)),
    ...simd(V.Eq8),
    ...simd(V.Or),
    // C1 in UTF-8: 0xC2 then 0x80-0x9F
    ...get(VV),
    ...get(k(0xc2)),
    ...simd(V.Eq8),
    ...get(V1),
    ...get(k(0xe0)),
    ...simd(V.And),
    ...get(k(0x80)),
    ...simd(V.Eq8),
    ...simd(V.And),
    ...simd(V.Or),
    // anchor windows: groups(v) & groups(v1) & groups(v2); nonzero lanes are hits
    ...fold(get(VV), F0),
    ...fold(get(V1), F1),
    ...fold(load(2), F2),
    ...classify(F0, 0),
    ...classify(F1, 1),
    ...simd(V.And),
    ...classify(F2, 2),
    ...simd(V.And),
    ...simd(V.Or),
    Op.LocalTee,
    ...leb(HIT),
    ...simd(V.AnyTrue),
    Op.If,
    0x40,
    ...get(0),
    ...get(HIT),
    ...get(k(0x80)),
    ...get(k(0x80)),
    ...simd(V.Xor),
    ...simd(V.Ne8),
    ...simd(V.Bitmask8),
    Op.I32Ctz,
    Op.I32Add,
    ...withFlag,
    Op.Return,
    Op.End,
    ...get(0),
    Op.I32Const,
    16,
    Op.I32Add,
    ...set(0),
    Op.Br,
    0,
    Op.End,
    Op.End,
    ...get(1),
    ...withFlag,
    Op.End,
  ];
  const I32 = 0x7f;
  const V128 = 0x7b;
  const func = [...vec([[next - 2, V128]]), ...body];
  // nonAscii(i, end): the first byte >= 0x80 at or after i (end when none), 16 bytes a step.
  const M = 2; // its i32 local: the high bits of the current 16 bytes
  const nonAscii = [
    ...vec([[1, I32]]),
    Op.Block,
    0x40,
    Op.Loop,
    0x40,
    ...get(0),
    ...get(1),
    Op.I32GeU,
    Op.BrIf,
    1,
    ...load(0),
    ...simd(V.Bitmask8),
    Op.LocalTee,
    M,
    Op.If,
    0x40,
    ...get(0),
    ...get(M),
    Op.I32Ctz,
    Op.I32Add,
    Op.Return,
    Op.End,
    ...get(0),
    Op.I32Const,
    16,
    Op.I32Add,
    ...set(0),
    Op.Br,
    0,
    Op.End,
    Op.End,
    ...get(1),
    Op.End,
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), ...vec([[I32]])]])),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, 2]])),
    ...section(
      7,
      vec([
        [...name('mem'), 0x02, 0],
        [...name('scan'), 0x00, 0],
        [...name('nonAscii'), 0x00, 1],
      ]),
    ),
    ...section(
      10,
      vec([
        [...leb(func.length), ...func],
        [...leb(nonAscii.length), ...nonAscii],
      ]),
    ),
  ]);
}

// The few WebAssembly APIs used (the project's TypeScript libs do not declare them).
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
interface ScanExports {
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  scan: (from: number, end: number) => number;
  nonAscii: (from: number, end: number) => number;
}

class WasmScanner implements ByteScanner {
  readonly kind = 'wasm-simd';
  owner: unknown;
  private view: Uint8Array;
  private end = 0;
  maybeNonAscii = false;

  constructor(private readonly ex: ScanExports) {
    this.view = new Uint8Array(ex.mem.buffer);
  }

  load(block: Uint8Array): void {
    const need = block.length + SCAN_PADDING;
    if (need > this.view.length) {
      this.ex.mem.grow(Math.ceil((need - this.view.length) / 65536));
      this.view = new Uint8Array(this.ex.mem.buffer);
    }
    this.view.set(block, 0);
    this.view.fill(0x20, block.length, need);
    this.end = block.length;
  }

  next(from: number): number {
    const r = this.ex.scan(from, this.end);
    this.maybeNonAscii = (r & 1) !== 0;
    return Math.min(r >>> 1, this.end);
  }

  nextNonAscii(from: number): number {
    return Math.min(this.ex.nonAscii(from, this.end), this.end);
  }
}

/** The same rule in plain JS (the reference for tests, and the fallback). */
export class JsScanner implements ByteScanner {
  readonly kind = 'js';
  owner: unknown;
  private readonly lo: Uint8Array[];
  private readonly hi: Uint8Array[];
  private block: Uint8Array = new Uint8Array(0);
  maybeNonAscii = false;

  constructor() {
    ({ lo: this.lo, hi: this.hi } = nibbleTables());
  }

  load(block: Uint8Array): void {
    this.block = block;
  }

  private cls(k: number, b: number): number {
    const f = b | 0x20;
    return this.lo[k]![f & 15]! & this.hi[k]![f >> 4]!;
  }

  next(from: number): number {
    const b = this.block;
    const at = (i: number): number => (i < b.length ? b[i]! : 0x20);
    let nonAscii = false;
    for (let i = from; i < b.length; i++) {
      const c = b[i]!;
      if (c >= 0x80) nonAscii = true;
      const ctl = (c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f;
      const c1 = c === 0xc2 && (at(i + 1) & 0xe0) === 0x80;
      if (ctl || c1 || (this.cls(0, c) & this.cls(1, at(i + 1)) & this.cls(2, at(i + 2))) !== 0) {
        this.maybeNonAscii = nonAscii;
        return i;
      }
    }
    this.maybeNonAscii = nonAscii;
    return b.length;
  }

  nextNonAscii(from: number): number {
    const b = this.block;
    for (let i = from; i < b.length; i++) if (b[i]! >= 0x80) return i;
    return b.length;
  }
}

let shared: ByteScanner | undefined;

/**
 * The process-wide scanner (WebAssembly SIMD when the runtime has it). Safe to share: a scan and
 * the work on its result run synchronously, never across an await.
 */
export function byteScanner(): ByteScanner {
  if (shared) return shared;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = assembleScanModule();
    if (wasm?.validate(bytes)) {
      const instance = new wasm.Instance(new wasm.Module(bytes));
      shared = new WasmScanner(instance.exports as ScanExports);
      return shared;
    }
  } catch {
    // No WebAssembly (or no SIMD): the JS loop gives the same answers, only slower.
  }
  shared = new JsScanner();
  return shared;
}

/** For tests: the WebAssembly module's bytes. */
export const scanModuleBytes = assembleScanModule;
