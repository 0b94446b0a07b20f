import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import fc from 'fast-check';
import {
  JsScanner,
  MASK_ANCHOR_GROUPS,
  byteScanner,
  isControlCandidate,
  scanModuleBytes,
  wasmScanner,
  type ByteScanner,
} from './byte-scan';
import { MASK_ANCHORS, maskAnchorAt } from './mask';

// Bytes that matter to the scan (both cases of the table letters, nibble neighbours of them),
// plus ordinary ones.
const ALPHABET = Buffer.from(
  'abcdeghikoprstuwyzABEGKPSTY0189 \n\t:/-_=@.\x1b\r\x00\x07\x7f\xc2\x9b\x80\xe2\x82\xac\xff' +
    'CDIOQRUWcfqvx[{#\x19\x1a\x0f\x1f\x8f\x9f\xa0\xd2\xc3',
  'latin1',
);
const bytesArb = (maxLength: number): fc.Arbitrary<Buffer> =>
  fc.array(fc.nat(ALPHABET.length - 1), { maxLength }).map((ix) => Buffer.from(ix.map((i) => ALPHABET[i]!)));
const anyBytesArb = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));

/** The first position that really needs the slow path, by the definition (not the tables). */
function firstReal(b: Buffer, from: number): number {
  for (let i = from; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f) return i;
    if (c === 0xc2 && i + 1 < b.length && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) return i;
    if (maskAnchorAt(b, i)) return i;
  }
  return b.length;
}

/** Every candidate of the loaded block (`length` bytes), as the pipe walks them. */
function walk(s: ByteScanner, length: number): number[] {
  const out: number[] = [];
  for (let p = s.next(0); p < length; p = s.next(p + 1)) out.push(p);
  return out;
}

let relaxedFlagTried = false;
/** The relaxed-SIMD flavour, turning on V8's flag where relaxed SIMD is not on by default. */
function relaxedScanner(capacity?: number): ByteScanner | undefined {
  const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
  if (!wasm) return undefined;
  if (!relaxedFlagTried && !wasm.validate(scanModuleBytes({ relaxed: true }))) {
    relaxedFlagTried = true;
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  return wasmScanner({ relaxed: true }, capacity);
}

/** Every WebAssembly flavour this runtime can run, including small list capacities. */
function wasmFlavours(): [string, ByteScanner][] {
  const out: [string, ByteScanner][] = [];
  const plain = wasmScanner({ relaxed: false });
  if (plain) out.push(['wasm', plain], ['wasm, capacity 1', wasmScanner({ relaxed: false }, 1)!]);
  out.push(['wasm, capacity 3', wasmScanner({ relaxed: false }, 3)!]);
  const relaxed = relaxedScanner();
  if (relaxed) out.push(['wasm relaxed', relaxed], ['wasm relaxed, capacity 2', relaxedScanner(2)!]);
  return out;
}

test('the WebAssembly SIMD scanner is valid and used here', (t) => {
  const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
  if (!wasm) return t.skip('this runtime has no WebAssembly');
  assert.ok(wasm.validate(scanModuleBytes({ relaxed: false })));
  assert.equal(byteScanner().kind, 'wasm-simd');
});

test('the relaxed-SIMD flavour builds where the runtime has relaxed SIMD', (t) => {
  if (!relaxedScanner()) return t.skip('this runtime has no relaxed SIMD, even with its V8 flag');
  assert.equal(relaxedScanner()!.kind, 'wasm-simd');
});

test('a bad list capacity is refused with a message', () => {
  assert.throws(() => wasmScanner({ relaxed: false }, 0), /capacity 0 < 1/);
});

test('WebAssembly and JS scanners agree on every input and start, and on maybeNonAscii', () => {
  const js = new JsScanner();
  for (const [name, wasm] of wasmFlavours()) {
    fc.assert(
      fc.property(fc.oneof(bytesArb(120), bytesArb(300), anyBytesArb), fc.nat(), (b, f) => {
        const from = f % (b.length + 1);
        wasm.load(b);
        js.load(b);
        assert.equal(wasm.next(from), js.next(from), `${name} next(${from})`);
        assert.equal(wasm.maybeNonAscii, js.maybeNonAscii, `${name} maybeNonAscii`);
        assert.equal(wasm.nextNonAscii(from), js.nextNonAscii(from));
        const high = b.subarray(from).findIndex((c) => c >= 0x80);
        assert.equal(js.nextNonAscii(from), high < 0 ? b.length : from + high);
        // maybeNonAscii is exact: a byte >= 0x80 lies between from and the candidate.
        const p = js.next(from);
        assert.equal(
          js.maybeNonAscii,
          b.subarray(from, p).some((c) => c >= 0x80),
        );
      }),
      { numRuns: 1500 },
    );
  }
});

test('a walk gives the same candidates whatever the list capacity and the order of starts', () => {
  const js = new JsScanner();
  const flavours = wasmFlavours();
  fc.assert(
    fc.property(bytesArb(300), fc.array(fc.nat(), { maxLength: 12 }), (b, starts) => {
      js.load(b);
      const expected = walk(js, b.length);
      for (const [name, wasm] of flavours) {
        wasm.load(b);
        assert.deepEqual(walk(wasm, b.length), expected, name);
        // Starts in any order, back and forth, as callers sharing the scanner may ask.
        for (const s of starts) {
          const from = s % (b.length + 1);
          assert.equal(wasm.next(from), js.next(from), `${name} next(${from}) after others`);
        }
      }
    }),
    { numRuns: 600 },
  );
});

const WORDS = [
  ...MASK_ANCHORS,
  ...MASK_ANCHORS.map((w) => w.toUpperCase()),
  ...MASK_ANCHORS.map((w) => w[0]!.toUpperCase() + w.slice(1)),
  'api_key',
  'access-key',
  'Private-Key',
  'password',
  'Authorization: Bearer x',
  '\x1b[',
  '\r',
  '\xc2\x9b',
  '\xc2\x85',
];

test('no scan skips past a control character or an anchor word', () => {
  for (const [name, scanner] of [...wasmFlavours(), ['js', new JsScanner()] as const]) {
    fc.assert(
      fc.property(bytesArb(200), fc.constantFrom(...WORDS), fc.nat(), (b, word, at) => {
        const pos = at % (b.length + 1);
        const w = Buffer.from(word, 'latin1');
        const block = Buffer.concat([b.subarray(0, pos), w, b.subarray(pos)]);
        scanner.load(block);
        // Walk the candidates as the pipe does; the first real one must not be passed over.
        const real = firstReal(block, 0);
        let from = 0;
        let p = scanner.next(from);
        while (p < real) p = scanner.next((from = p + 1));
        assert.equal(p, real, name);
        // The bytes scanned by the last call really were ASCII when the scanner says so.
        if (!scanner.maybeNonAscii) assert.ok(block.subarray(from, p).every((c) => c < 0x80));
      }),
      { numRuns: 800 },
    );
  }
});

/** Every spelling of `word` with its letters in either case (at most 2^10 of them). */
function caseVariants(word: string): string[] {
  let out = [''];
  for (const ch of word.slice(0, 10)) {
    const forms = [...new Set([ch.toLowerCase(), ch.toUpperCase()])];
    out = out.flatMap((s) => forms.map((f) => s + f));
  }
  return out.map((s) => s + word.slice(10));
}
/** What may stand before an anchor word (mask.ts's `after` words with their separators). */
const CONTEXTS = ['', ' ', 'x', 'api', 'api_', 'api-', 'ACCESS_', 'access', 'private-', 'Private'];

test('every anchor of mask.ts, in every spelling maskAnchorAt accepts, is a candidate', () => {
  const scanners: [string, ByteScanner][] = [...wasmFlavours(), ['js', new JsScanner()]];
  const groupsCover = (w: string): boolean =>
    MASK_ANCHOR_GROUPS.some((g) => [0, 1, 2].every((k) => g[k]!.includes(w[k]!)));
  for (const anchor of MASK_ANCHORS) {
    let accepted = 0;
    for (const spelling of caseVariants(anchor)) {
      for (const before of CONTEXTS) {
        const block = Buffer.from(`${before}${spelling} = v\n`, 'latin1');
        if (!maskAnchorAt(block, before.length)) continue;
        accepted++;
        assert.ok(groupsCover(spelling), `the nibble groups miss "${spelling}"`);
        for (const [name, s] of scanners) {
          s.load(block);
          const candidates = walk(s, block.length);
          assert.ok(candidates.includes(before.length), `${name} misses "${before}${spelling}"`);
        }
      }
    }
    // The test means something only if mask.ts accepts the word in some spelling and context.
    assert.ok(accepted > 0, `no spelling of "${anchor}" is accepted by maskAnchorAt`);
  }
});

test('the single-byte rule: every control but tab and newline, DEL, and 0xC2, nothing else', () => {
  const all = Buffer.from(Array.from({ length: 256 }, (_, c) => c));
  const expected = [...all].filter((c) => isControlCandidate(c));
  assert.deepEqual(expected, [
    ...Array.from({ length: 32 }, (_, c) => c).filter((c) => c !== 0x09 && c !== 0x0a),
    0x7f,
    0xc2,
  ]);
  // Each byte alone between spaces: a candidate exactly when the rule says so.
  const spaced = Buffer.from([...all].flatMap((c) => [c, 0x20, 0x20, 0x20]));
  for (const [name, s] of [...wasmFlavours(), ['js', new JsScanner()] as const]) {
    s.load(spaced);
    assert.deepEqual(
      walk(s, spaced.length).map((p) => spaced[p]!),
      expected,
      name,
    );
  }
});

test('long blocks: positions past 64 KB, a full candidate list, and the last bytes are found', () => {
  for (const [name, s] of [...wasmFlavours(), ['js', new JsScanner()] as const]) {
    const b = Buffer.alloc(200_003, 'x');
    b[150_001] = 0x1b;
    s.load(b);
    assert.equal(s.next(0), 150_001, name);
    assert.equal(s.next(150_002), b.length, name);
    b.write('KEY', b.length - 3);
    s.load(b);
    assert.equal(s.next(150_002), b.length - 3, name);
    // More candidates than one list holds: every one of them, in order.
    const dense = Buffer.alloc(70_000, 'a');
    for (let i = 0; i < dense.length; i += 7) dense[i] = 0x0d;
    s.load(dense);
    const got = walk(s, dense.length);
    assert.equal(got.length, 10_000, name);
    assert.ok(got.every((p, k) => p === 7 * k));
  }
});

test('an anchor cut by the end of the block is not reported past the end', () => {
  for (const [name, s] of [...wasmFlavours(), ['js', new JsScanner()] as const]) {
    for (const tail of ['pas', 'ke', 'k', 'secre', 'tok', '-----BEGI', '://', 'passw']) {
      const b = Buffer.from(`0123456789abcdefghij ${tail}`, 'latin1');
      s.load(b);
      const got = walk(s, b.length);
      assert.ok(
        got.every((p) => p < b.length),
        name,
      );
      // A whole anchor word at the very end is still found.
      if (maskAnchorAt(b, b.length - tail.length)) assert.ok(got.includes(b.length - tail.length), name);
    }
  }
});
