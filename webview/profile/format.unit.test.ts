import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatBytes,
  formatCount,
  formatLocation,
  formatPercent,
  formatTime,
  formatWeight,
  sig3,
} from './format';

test('three significant digits without exponents', () => {
  assert.equal(sig3(1.5), '1.5');
  assert.equal(sig3(12.345), '12.3');
  assert.equal(sig3(123.45), '123');
  assert.equal(sig3(0.025), '0.025');
  assert.equal(sig3(0.0012345), '0.00123');
  assert.equal(sig3(0), '0');
});

test('time weights scale to the readable unit', () => {
  assert.equal(formatWeight(1500, 'microseconds'), '1.5 ms');
  assert.equal(formatWeight(2_500_000, 'microseconds'), '2.5 s');
  assert.equal(formatWeight(12, 'nanoseconds'), '12 ns');
  assert.equal(formatWeight(0.5, 'milliseconds'), '500 µs');
  assert.equal(formatWeight(185, 'seconds'), '3 min 5 s');
  assert.equal(formatTime(0), '0 s');
});

test('bytes, samples and plain counts', () => {
  assert.equal(formatWeight(512, 'bytes'), '512 B');
  assert.equal(formatWeight(1536, 'bytes'), '1.5 KB');
  assert.equal(formatBytes(5 * 1024 ** 3), '5 GB');
  assert.equal(formatWeight(1, 'samples'), '1 sample');
  assert.equal(formatWeight(1234567, 'samples'), '1\u2009234\u2009567 samples');
  assert.equal(formatWeight(2.5, 'count'), '2.5');
  assert.equal(formatCount(999), '999');
});

test('percentages: digits for small shares, a floor for slivers, a dash without a whole', () => {
  assert.equal(formatPercent(1, 8), '12.5%');
  assert.equal(formatPercent(1, 2500), '0.04%');
  assert.equal(formatPercent(1, 1e7), '<0.01%');
  assert.equal(formatPercent(0, 5), '0%');
  assert.equal(formatPercent(5, 5), '100%');
  assert.equal(formatPercent(5, 0), '–');
});

test('locations', () => {
  assert.equal(formatLocation('src/a.ts', 42), 'src/a.ts:42');
  assert.equal(formatLocation('src/a.ts', 0), 'src/a.ts');
  assert.equal(formatLocation(undefined, 3), '');
});
