import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RingBuffer } from './ring-buffer';

test('strings and ASCII bytes mixed: the last `limit` characters, in order, the rest counted', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 64 }),
      fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 90 })), { maxLength: 40 }),
      fc.array(fc.nat(40), { maxLength: 4 }),
      (limit, pushes, reads) => {
        const r = new RingBuffer(limit);
        let all = '';
        pushes.forEach(([asBytes, s], i) => {
          const ascii = s.replace(/[^\x20-\x7e\n]/g, '?');
          if (asBytes) r.pushAscii(Buffer.from(ascii, 'latin1'));
          else r.push(s);
          all += asBytes ? ascii : s;
          // Reading in between must not disturb what comes later.
          if (reads.includes(i)) assert.equal(r.toString(), all.slice(-limit));
        });
        assert.equal(r.toString(), all.slice(Math.max(0, all.length - limit)));
        assert.equal(r.length, Math.min(limit, all.length));
        assert.equal(r.dropped, Math.max(0, all.length - limit));
      },
    ),
    { numRuns: 500 },
  );
});

test('bytes are copied: the caller may reuse its buffer', () => {
  const r = new RingBuffer(8);
  const b = Buffer.from('abcd');
  r.pushAscii(b);
  b.fill('z');
  r.pushAscii(Buffer.from('efgh'));
  assert.equal(r.toString(), 'abcdefgh');
});
