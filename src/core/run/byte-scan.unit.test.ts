import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsScanner, MASK_ANCHOR_GROUPS, byteScanner, scanModuleBytes } from './byte-scan';
import { MASK_ANCHORS, maskAnchorAt } from './mask';

// Bytes that matter to the scan, plus ordinary ones.
const ALPHABET = Buffer.from(
  'abcdeghikoprstuwyzABEGKPSTY0189 \n\t:/-_=@.\x1b\r\x00\x07\x7f\xc2\x9b\x80\xe2\x82\xac\xff',
  'latin1',
);
const bytesArb = fc
  .array(fc.nat(ALPHABET.length - 1), { maxLength: 120 })
  .map((ix) => Buffer.from(ix.map((i) => ALPHABET[i]!)));

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

test('the WebAssembly SIMD scanner is valid and used here', (t) => {
  const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
  if (!wasm) return t.skip('this runtime has no WebAssembly');
  assert.ok(wasm.validate(scanModuleBytes()));
  assert.equal(byteScanner().kind, 'wasm-simd');
});

test('WebAssembly and JS scanners agree on every input and start', () => {
  const wasm = byteScanner();
  const js = new JsScanner();
  fc.assert(
    fc.property(bytesArb, fc.nat(), (b, f) => {
      const from = f % (b.length + 1);
      wasm.load(b);
      js.load(b);
      assert.equal(wasm.next(from), js.next(from));
      assert.equal(wasm.nextNonAscii(from), js.nextNonAscii(from));
      const high = b.subarray(from).findIndex((c) => c >= 0x80);
      assert.equal(js.nextNonAscii(from), high < 0 ? b.length : from + high);
      // The SIMD flag covers whole 16-byte steps: it may say "maybe" where JS knows, never less.
      if (js.maybeNonAscii) assert.ok(wasm.maybeNonAscii);
    }),
    { numRuns: 3000 },
  );
});

const WORDS = [
  ...MASK_ANCHORS,
  ...MASK_ANCHORS.map((w) => w.toUpperCase()),
  'api_key',
  'Private-Key',
  '\x1b[',
  '\r',
  '\xc2\x9b',
];

test('no scan skips past a control character or an anchor word', () => {
  for (const scanner of [byteScanner(), new JsScanner()]) {
    fc.assert(
      fc.property(bytesArb, fc.constantFrom(...WORDS), fc.nat(), (b, word, at) => {
        const pos = at % (b.length + 1);
        const w = Buffer.from(word, 'latin1');
        const block = Buffer.concat([b.subarray(0, pos), w, b.subarray(pos)]);
        scanner.load(block);
        // Walk the candidates as the pipe does; the first real one must not be passed over.
        const real = firstReal(block, 0);
        let from = 0;
        let p = scanner.next(from);
        while (p < real) p = scanner.next((from = p + 1));
        assert.equal(p, real);
        // The bytes scanned by the last call really were ASCII when the scanner says so.
        if (!scanner.maybeNonAscii) assert.ok(block.subarray(from, p).every((c) => c < 0x80));
      }),
      { numRuns: 1500 },
    );
  }
});

test('the anchor groups cover the first three bytes of every anchor word, in any case', () => {
  const covered = (w: string): boolean =>
    MASK_ANCHOR_GROUPS.some((g) => [0, 1, 2].every((k) => g[k]!.includes(w[k]!.toLowerCase())));
  for (const w of MASK_ANCHORS) assert.ok(covered(w), w);
});

test('long blocks: positions past 64 KB and the last bytes are found', () => {
  const s = byteScanner();
  const b = Buffer.alloc(200_003, 'x');
  b[150_001] = 0x1b;
  s.load(b);
  assert.equal(s.next(0), 150_001);
  assert.equal(s.next(150_002), b.length);
  b.write('KEY', b.length - 3);
  s.load(b);
  assert.equal(s.next(150_002), b.length - 3);
});
