import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importProfile } from './import';
import { totalWeight } from '../model';
import { selfOfName, SPEEDSCOPE, treeProblems } from './test-support';

interface HeapNode {
  callFrame: { functionName: string };
  selfSize: number;
  children: HeapNode[];
}

function sums(head: HeapNode): { total: number; byName: Map<string, number> } {
  let total = 0;
  const byName = new Map<string, number>();
  const stack = [head];
  while (stack.length) {
    const n = stack.pop() as HeapNode;
    total += n.selfSize;
    const name = n.callFrame.functionName || '(anonymous)';
    byName.set(name, (byName.get(name) ?? 0) + n.selfSize);
    stack.push(...n.children);
  }
  return { total, byName };
}

for (const file of [
  'Chrome/69/Heap-20181005T144546.heapprofile',
  'node/10.11.0/Heap-20181003T105432.heapprofile',
])
  test(`${file}: an allocation flame graph in bytes, totals from the file`, async () => {
    const path = resolve(SPEEDSCOPE, file);
    const { head } = JSON.parse(readFileSync(path, 'utf8')) as { head: HeapNode };
    const expected = sums(head);
    const p = await importProfile({ path });
    assert.equal(p.format, 'heapprofile');
    assert.equal(p.kind, 'allocation');
    assert.equal(p.unit, 'bytes');
    assert.equal(totalWeight(p), expected.total);
    const [name, bytes] = [...expected.byName]
      .filter(([n]) => n !== '(root)')
      .sort((a, b) => b[1] - a[1])[0] as [string, number];
    assert.equal(selfOfName(p, name), bytes);
    assert.deepEqual(treeProblems(p), []);
  });

test('a profile written by node --heap-prof here', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapprof-'));
  try {
    const script = join(dir, 'alloc.js');
    writeFileSync(
      script,
      [
        '// global, so the arrays are still live when the profile is written at exit',
        'globalThis.keep = [];',
        'function allocLots() {',
        '  for (let i = 0; i < 20000; i++) globalThis.keep.push(new Array(64).fill(i));',
        '}',
        'allocLots();',
      ].join('\n'),
    );
    execFileSync(process.execPath, [
      '--heap-prof',
      '--heap-prof-dir',
      dir,
      '--heap-prof-interval',
      '4096',
      script,
    ]);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapprofile'));
    assert.ok(file, 'node wrote a .heapprofile');
    const path = join(dir, file);
    const { head } = JSON.parse(readFileSync(path, 'utf8')) as { head: HeapNode };
    const expected = sums(head);
    const p = await importProfile({ path });
    assert.equal(totalWeight(p), expected.total);
    assert.equal(selfOfName(p, 'allocLots'), expected.byName.get('allocLots'));
    assert.ok(selfOfName(p, 'allocLots') > 1e5, 'most sampled bytes are allocated in allocLots');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 100 000-deep allocation tree: no stack overflow, cut at the depth limit', async () => {
  const depth = 100000;
  const text = `{"head":${'{"callFrame":{"functionName":"f","url":"","lineNumber":1,"columnNumber":1},"selfSize":1,"children":['.repeat(depth)}${']}'.repeat(depth)}}`;
  const p = await importProfile({ bytes: Buffer.from(text), name: 'deep.heapprofile' });
  assert.equal(totalWeight(p), depth);
  assert.match(p.truncated ?? '', /deeper than 4096/);
});
