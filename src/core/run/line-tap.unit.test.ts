import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineTap } from './line-tap';

const OUTPUT =
  'start ✓\n::set POD=web-1\nnoise ::set NOT=this\n\x1b[32m::set COLOR=green\x1b[0m\nré 日本 ready on :8080\n\n  \nlast línea 🎉\n';

test('bytes cut anywhere (also inside a character) give the same sets, captures and last line', () => {
  const bytes = Buffer.from(OUTPUT);
  const whole = new LineTap([/ready on :(\d+)/]);
  whole.push(OUTPUT);
  whole.end();
  assert.deepEqual(whole.sets, [
    { name: 'POD', value: 'web-1' },
    { name: 'COLOR', value: 'green' },
  ]);
  assert.deepEqual(whole.captured, ['8080']);
  assert.equal(whole.lastLine, 'last línea 🎉');
  fc.assert(
    fc.property(fc.array(fc.nat(bytes.length), { maxLength: 8 }), (cuts) => {
      const t = new LineTap([/ready on :(\d+)/]);
      let prev = 0;
      for (const c of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
        t.push(bytes.subarray(prev, c));
        prev = c;
      }
      t.end();
      assert.deepEqual(t.sets, whole.sets);
      assert.deepEqual(t.captured, whole.captured);
      assert.equal(t.lastLine, whole.lastLine);
    }),
    { numRuns: 300 },
  );
});

test('a last line without a newline counts; blank lines do not', () => {
  const t = new LineTap();
  t.push(Buffer.from('one\ntwo'));
  t.push(Buffer.from('\n\n   \n'));
  t.push(Buffer.from('three'));
  t.end();
  assert.equal(t.lastLine, 'three');
});
