import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterFunctions, functionTable, sortFunctions } from './functions';
import { profileOf } from './test-support';

// parse appears twice (under main and under render): self 50 + 10, total 60 (counted once per stack)
const p = profileOf([
  ['main', 10, ['parse', 50], ['render', 20, ['parse', 10]]],
  ['idle', 10],
]);
const nameOf = (f: number): string => p.strings[p.frames.name[f] as number] as string;

test('per-function self and total, and the hottest self weight for heat colours', () => {
  const t = functionTable(p);
  const byName = Object.fromEntries(t.rows.map((r) => [nameOf(r.frame), [r.self, r.total]]));
  assert.deepEqual(byName, { main: [10, 90], parse: [60, 60], render: [20, 30], idle: [10, 10] });
  assert.equal(t.maxSelf, 60);
  const parse = t.rows.find((r) => nameOf(r.frame) === 'parse')!;
  assert.equal(t.selfByFrame[parse.frame], 60);
});

test('sorting by self, total and name', () => {
  const { rows } = functionTable(p);
  assert.deepEqual(
    sortFunctions(rows, 'self', nameOf).map((r) => nameOf(r.frame)),
    ['parse', 'render', 'main', 'idle'],
  );
  assert.deepEqual(
    sortFunctions(rows, 'total', nameOf).map((r) => nameOf(r.frame)),
    ['main', 'parse', 'render', 'idle'],
  );
  assert.deepEqual(
    sortFunctions(rows, 'name', nameOf).map((r) => nameOf(r.frame)),
    ['idle', 'main', 'parse', 'render'],
  );
  assert.notEqual(sortFunctions(rows, 'self', nameOf), rows, 'a sorted copy, the input is left alone');
});

test('filtering by the search match, with a row limit that says how many were left out', () => {
  const rows = sortFunctions(functionTable(p).rows, 'self', nameOf);
  const match = new Uint8Array(p.frames.length);
  for (let f = 0; f < p.frames.length; f++) if (/a/.test(nameOf(f))) match[f] = 1;
  const r = filterFunctions(rows, match, 10);
  assert.deepEqual(
    r.rows.map((x) => nameOf(x.frame)),
    ['parse', 'main'],
  );
  assert.equal(r.hidden, 0);
  const limited = filterFunctions(rows, undefined, 3);
  assert.equal(limited.rows.length, 3);
  assert.equal(limited.hidden, 1);
});
