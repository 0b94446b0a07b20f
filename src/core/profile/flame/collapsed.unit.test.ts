import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importProfile } from './import';
import { frameFile, frameName, framePackage, totalWeight } from '../model';
import { FIXTURES, nodeAt, pathOf, selfOfName, SPEEDSCOPE, treeProblems } from './test-support';

/** Sums counts by whole stack and by leaf frame, reading the file line by line. */
function folded(text: string): { total: number; byStack: Map<string, number>; byLeaf: Map<string, number> } {
  const byStack = new Map<string, number>();
  const byLeaf = new Map<string, number>();
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^(.*) (\d+)$/.exec(line.trimEnd());
    if (!m) continue;
    const n = Number(m[2]);
    total += n;
    byStack.set(m[1] as string, (byStack.get(m[1] as string) ?? 0) + n);
    const leaf = (m[1] as string).split(';').at(-1) as string;
    byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + n);
  }
  return { total, byStack, byLeaf };
}

test('stackcollapse/simple.txt (no final newline)', async () => {
  const p = await importProfile({ path: resolve(SPEEDSCOPE, 'stackcollapse/simple.txt') });
  assert.equal(p.format, 'collapsed');
  assert.equal(totalWeight(p), 14);
  assert.equal(p.tree.self[nodeAt(p, ['a', 'b', 'c'])], 5);
  assert.equal(p.tree.self[nodeAt(p, ['a', 'b', 'd'])], 4);
  assert.equal(p.tree.self[nodeAt(p, ['a', 'b'])], 5);
  assert.deepEqual(treeProblems(p), []);
});

test('perf-vertx collapsed stacks: every stack and leaf weighs what the file says', async () => {
  const path = resolve(SPEEDSCOPE, 'stackcollapse/perf-vertx-stacks-01-collapsed-all.txt');
  const f = folded(readFileSync(path, 'utf8'));
  const p = await importProfile({ path });
  assert.equal(totalWeight(p), f.total);
  for (const [leaf, n] of [...f.byLeaf].slice(0, 40)) assert.equal(selfOfName(p, leaf), n, leaf);
  for (const [stack, n] of [...f.byStack].slice(0, 40)) {
    const node = nodeAt(p, stack.split(';'));
    assert.ok(node > 0, stack);
    assert.equal(p.tree.self[node], n, stack);
  }
  assert.equal(
    framePackage(p, p.tree.frame[nodeAt(p, ['java', 'read', 'check_events_[k]'])] as number),
    'kernel',
  );
  assert.deepEqual(treeProblems(p), []);
});

test('torch.profiler export_stacks (CPU and CUDA, microseconds): files and lines read from the frames', async () => {
  for (const name of ['torch.profiler.stacks-cpu.txt', 'torch.profiler.stacks-cuda.txt']) {
    const path = resolve(FIXTURES, 'gpu', name);
    const f = folded(readFileSync(path, 'utf8'));
    const p = await importProfile({ path }, { unit: 'microseconds' });
    assert.equal(p.unit, 'microseconds');
    assert.equal(totalWeight(p), f.total, name);
    for (const [leaf, n] of f.byLeaf) {
      let self = 0;
      for (let i = 1; i < p.tree.length; i++) {
        const fr = p.tree.frame[i] as number;
        const text =
          pathOf(p, i).length && leafText(frameName(p, fr), frameFile(p, fr), p.frames.line[fr] as number);
        if (text === leaf) self += p.tree.self[i] as number;
      }
      assert.equal(self, n, leaf);
    }
  }
  const p = await importProfile({ path: resolve(FIXTURES, 'gpu', 'torch.profiler.stacks-cpu.txt') });
  const call = Array.from({ length: p.frames.length }, (_, i) => i).find(
    (i) => frameName(p, i) === '_call_impl',
  );
  assert.ok(call !== undefined);
  assert.equal(frameFile(p, call), 'torch/nn/modules/module.py');
  assert.equal(p.frames.line[call], 1783);
  assert.equal(framePackage(p, call), 'torch');
});

/** The text export_stacks wrote for a frame (file(line):_name), or the bare name. */
function leafText(name: string, file: string | undefined, line: number): string {
  return file ? `${file}(${line}):_${name}` : name;
}

test('a generated 3 MB file: streamed in chunks, same tree as a direct count', async () => {
  const rnd = mulberry32(7);
  const lines: string[] = [];
  const expected = new Map<string, number>();
  for (let i = 0; i < 40000; i++) {
    const depth = 1 + rnd(12);
    const stack = Array.from({ length: depth }, () => rnd(30))
      .map((k) => `fn_${k} (mod${k % 3}/file.py:${(k % 9) + 1})`)
      .join(';');
    const n = 1 + rnd(50);
    lines.push(`${stack} ${n}`);
    expected.set(stack, (expected.get(stack) ?? 0) + n);
  }
  const bytes = Buffer.from(lines.join('\r\n') + '\r\n');
  assert.ok(bytes.length > 2 * 1024 * 1024);
  const p = await importProfile({ bytes, name: 'gen.collapsed' });
  let total = 0;
  for (const n of expected.values()) total += n;
  assert.equal(totalWeight(p), total);
  for (const [stack, n] of [...expected].slice(0, 500)) {
    const names = stack.split(';').map((f) => f.replace(/ \(.*\)$/, ''));
    const node = nodeAt(p, names);
    assert.ok(node > 0);
    assert.equal(p.tree.self[node], n);
  }
  const fn = Array.from({ length: p.frames.length }, (_, i) => i).find((i) => frameName(p, i) === 'fn_1');
  assert.ok(fn !== undefined && /^mod\d\/file\.py$/.test(frameFile(p, fn) ?? ''));
  assert.deepEqual(treeProblems(p), []);
});

test('lines without a count are skipped with a warning; a file with none is an error', async () => {
  const p = await importProfile(
    { bytes: Buffer.from('a;b 3\nthis line has no count\n# a comment\na;c 2\n'), name: 'x.txt' },
    { format: 'collapsed' },
  );
  assert.equal(totalWeight(p), 5);
  assert.match(
    p.warnings.join('\n'),
    /1 lines without a trailing count were skipped \(the first is line 2\)/,
  );
  await assert.rejects(
    importProfile({ bytes: Buffer.from('no counts here\nnone\n'), name: 'x.txt' }, { format: 'collapsed' }),
    /x\.txt.*no "frame;frame;\.\.\. count" lines/,
  );
});

test('a 200 000-frame stack: no stack overflow, cut at the depth limit', async () => {
  const line = Array.from({ length: 200000 }, (_, i) => `f${i % 7}`).join(';') + ' 9\n';
  const p = await importProfile({ bytes: Buffer.from(line), name: 'deep.txt' });
  assert.equal(totalWeight(p), 9);
  assert.match(p.truncated ?? '', /deeper than 4096 frames/);
});

/** Small deterministic PRNG: integers in [0, n). */
function mulberry32(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) | 0;
  };
}
