import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importProfile } from './import';
import { functionWeights, topBySelf, topByTotal } from './summary';
import { frameName } from '../model';

test('recursion counts once in a function total; self sums over every call site', async () => {
  const text = ['main;f;f;f;g 2', 'main;f 1', 'main;g;f 4', 'main 1'].join('\n');
  const p = await importProfile({ bytes: Buffer.from(text), name: 'r.txt' });
  const by = new Map(functionWeights(p).map((w) => [frameName(p, w.frame), w]));
  assert.deepEqual(by.get('f'), { frame: by.get('f')?.frame, self: 5, total: 7 });
  assert.deepEqual(by.get('g'), { frame: by.get('g')?.frame, self: 2, total: 6 });
  assert.deepEqual(by.get('main'), { frame: by.get('main')?.frame, self: 1, total: 8 });
  assert.deepEqual(
    topBySelf(p, 2).map((w) => frameName(p, w.frame)),
    ['f', 'g'],
  );
  assert.deepEqual(
    topByTotal(p, 3).map((w) => frameName(p, w.frame)),
    ['main', 'f', 'g'],
  );
});
