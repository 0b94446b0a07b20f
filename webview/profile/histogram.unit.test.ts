import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnMax, filterClasses, sortClasses } from './histogram';
import { parseQuery } from './search';
import type { HeapHistogram } from './protocol';

const h: HeapHistogram = {
  names: ['java.lang.String', 'char[]', 'byte[]', 'java.util.HashMap$Node', 'Object'],
  count: Float64Array.from([500, 842, 10, 300, 2]),
  shallow: Float64Array.from([12000, 114152, 90000, 9600, 32]),
  retained: Float64Array.from([126000, 114152, 90000, 40000, 99999]),
};
const names = (idx: ArrayLike<number>): string[] => Array.from(idx, (i) => h.names[i] as string);

test('sorting by each column', () => {
  assert.deepEqual(names(sortClasses(h, 'shallow')), [
    'char[]',
    'byte[]',
    'java.lang.String',
    'java.util.HashMap$Node',
    'Object',
  ]);
  assert.deepEqual(names(sortClasses(h, 'count')), [
    'char[]',
    'java.lang.String',
    'java.util.HashMap$Node',
    'byte[]',
    'Object',
  ]);
  assert.deepEqual(names(sortClasses(h, 'retained')), [
    'java.lang.String',
    'char[]',
    'Object',
    'byte[]',
    'java.util.HashMap$Node',
  ]);
  assert.deepEqual(names(sortClasses(h, 'name')), [
    'Object',
    'byte[]',
    'char[]',
    'java.lang.String',
    'java.util.HashMap$Node',
  ]);
});

test('without retained sizes, sorting by them keeps the name order', () => {
  const noRetained: HeapHistogram = { names: h.names, count: h.count, shallow: h.shallow };
  assert.deepEqual(names(sortClasses(noRetained, 'retained')), names(sortClasses(h, 'name')));
  assert.equal(columnMax(noRetained.retained), 0);
  assert.equal(columnMax(h.shallow), 114152);
});

test('filtering by name with a limit', () => {
  const order = sortClasses(h, 'shallow');
  const java = filterClasses(h, order, parseQuery('java.')!.matcher, 10);
  assert.deepEqual(names(java.rows), ['java.lang.String', 'java.util.HashMap$Node']);
  const arrays = filterClasses(h, order, parseQuery('/\\[\\]$/')!.matcher, 1);
  assert.deepEqual(names(arrays.rows), ['char[]']);
  assert.equal(arrays.hidden, 1);
  assert.equal(filterClasses(h, order, undefined, 100).rows.length, 5);
});
