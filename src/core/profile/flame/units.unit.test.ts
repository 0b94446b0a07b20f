import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatWeight } from './units';

test('weights read like people write them', () => {
  assert.equal(formatWeight(480_000_000, 'nanoseconds'), '480 ms');
  assert.equal(formatWeight(1_500_000_000, 'nanoseconds'), '1.5 s');
  assert.equal(formatWeight(830, 'microseconds'), '830 µs');
  assert.equal(formatWeight(12.25, 'milliseconds'), '12.3 ms');
  assert.equal(formatWeight(100, 'seconds'), '100 s');
  assert.equal(formatWeight(0, 'microseconds'), '0 ns');
  assert.equal(formatWeight(10030888, 'bytes'), '9.57 MB');
  assert.equal(formatWeight(1024, 'bytes'), '1 KB');
  assert.equal(formatWeight(1204, 'samples'), '1,204 samples');
  assert.equal(formatWeight(2.5, 'count'), '2.5');
});
