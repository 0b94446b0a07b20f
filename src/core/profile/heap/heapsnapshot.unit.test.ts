// .heapsnapshot importer on snapshots written by a real Node (v8.writeHeapSnapshot in a child
// process holding a known set of objects), checked against @vscode/v8-heap-parser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decode_bytes } from '@vscode/v8-heap-parser';
import { parseHeapSnapshot, analyzeSnapshot, devtoolsRetainingGraph } from './heapsnapshot';
import { HeapSnapshotReader } from './heapsnapshotReader';
import { classRetainers } from './retainers';
import { HeapFormatError } from './model';

const LEAK_PROGRAM = `
class LeakyThing {
  constructor(i) { this.id = i; this.name = 'thing-' + i; this.payload = new Array(8).fill(i); }
}
globalThis.leakyList = [];
for (let i = 0; i < 10000; i++) globalThis.leakyList.push(new LeakyThing(i));
require('v8').writeHeapSnapshot(process.argv[1]);
`;

let dir = '';
let snap = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapsnapshot-'));
  snap = join(dir, 'leak.heapsnapshot');
  execFileSync(process.execPath, ['-e', LEAK_PROGRAM, snap], { timeout: 60_000 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a real snapshot: the 10000 leaked objects, their retainer path, and totals', async () => {
  const a = await parseHeapSnapshot(snap);
  const i = a.classes.findIndex((c) => c.name === 'LeakyThing');
  const row = a.classes[i]!;
  assert.equal(row.count, 10000);
  assert.ok(row.shallowBytes >= 10000 * 16, 'each has at least a header and in-object fields');
  const d = a.dominators!;
  // Each LeakyThing retains its payload array (8 elements) and its name string.
  assert.ok(row.retainedBytes! > row.shallowBytes + 10000 * 64, `${row.retainedBytes}`);
  const [top] = classRetainers(a, i, 3);
  assert.ok(top);
  assert.equal(top.count, 10000, 'one owner holds all of them');
  assert.equal(top.retainedBytes, row.retainedBytes);
  const names = top.path.map((s) => s.className);
  assert.ok(names.includes('Array'), `path passes through the leakyList array: ${names.join(' > ')}`);
  let sum = 0;
  for (let k = 0; k < a.objects; k++) sum += d.shallow[k]!;
  assert.equal(sum, a.totalBytes);
  assert.equal(d.reachable, a.objects, 'every node hangs off the root (orphans under it, as DevTools)');
});

test('same counts and shallow sizes as @vscode/v8-heap-parser for every class; same retained sizes almost everywhere', async () => {
  const a = await parseHeapSnapshot(snap);
  const g = decode_bytes(readFileSync(snap));
  const groups = g.get_class_groups(0, 1_000_000, false);
  const ours = new Map(a.classes.map((c) => [c.name, c]));
  // v8-heap-parser folds node types it has no label for ("object shape", "symbol"...) into "(unknown)".
  const unknown = { count: 0, shallowBytes: 0 };
  const theirNames = new Set(groups.map((c) => c.name()));
  for (const c of a.classes)
    if (c.name.startsWith('(') && !theirNames.has(c.name)) {
      unknown.count += c.count;
      unknown.shallowBytes += c.shallowBytes;
    }
  let sameRetained = 0;
  for (const c of groups) {
    const name = c.name();
    const o = name === '(unknown)' ? unknown : ours.get(name);
    assert.ok(o, `${name} missing`);
    assert.deepEqual([o.count, o.shallowBytes], [c.children_len, Number(c.self_size)], name);
    if (name !== '(unknown)' && (o as { retainedBytes?: number }).retainedBytes === Number(c.retained_size))
      sameRetained++;
    c.free();
  }
  // The few that differ trace to v8-heap-parser attributing a shared object to one holder: on a
  // snapshot like this one it makes a FixedCircularBuffer dominate V8's null oddball, which dozens of
  // objects reference and which stays reachable without it (checked by hand; the next test checks
  // our dominators by definition).
  assert.ok(sameRetained >= groups.length * 0.9, `retained sizes agree for ${sameRetained}/${groups.length}`);
  g.free();
});

test('computed dominators hold by definition: removing the dominator of a node cuts it off from the root', async () => {
  const a = await parseHeapSnapshot(snap);
  const d = a.dominators!;
  const r = new HeapSnapshotReader({ maxObjects: 1e9 });
  r.push(readFileSync(snap));
  const data = r.end();
  const g = devtoolsRetainingGraph(data);
  const reachableWithout = (removed: number, target: number): boolean => {
    const seen = new Uint8Array(g.nodeCount);
    const stack = [data.rootIndex];
    seen[data.rootIndex] = 1;
    while (stack.length) {
      const v = stack.pop()!;
      if (v === target) return true;
      for (let e = g.edgeStart[v]!; e < g.edgeStart[v + 1]!; e++) {
        const w = g.edges[e]!;
        if (w !== removed && !seen[w]) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    return false;
  };
  let checked = 0;
  for (let v = 1; v < a.objects && checked < 25; v += 997) {
    const dom = d.idom[v]!;
    if (dom < 0 || dom === data.rootIndex || !reachableWithout(-1, v)) continue;
    assert.equal(reachableWithout(dom, v), false, `node ${v} reachable without its dominator ${dom}`);
    checked++;
  }
  assert.ok(checked >= 20, `${checked} checked`);
});

test('chunk boundaries anywhere give the same result', () => {
  const bytes = readFileSync(snap);
  const read = (maxChunk: number): ReturnType<typeof analyzeSnapshot> => {
    const r = new HeapSnapshotReader({ maxObjects: 1e9 });
    let seed = 3;
    for (let i = 0; i < bytes.length;) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const n = 1 + (seed % maxChunk);
      r.push(bytes.subarray(i, i + n));
      i += n;
    }
    return analyzeSnapshot(r.end(), 1e9);
  };
  const whole = read(bytes.length);
  for (const maxChunk of [3, 1000, 65536])
    assert.deepEqual(read(maxChunk).classes, whole.classes, `${maxChunk}`);
});

test('gzip-compressed snapshots and the object cap', async () => {
  const gz = join(dir, 'leak.snapshot-gz');
  writeFileSync(gz, gzipSync(readFileSync(snap)));
  const plain = await parseHeapSnapshot(snap);
  const zipped = await parseHeapSnapshot(gz);
  assert.equal(zipped.details.gzip, true);
  assert.deepEqual(zipped.classes, plain.classes);
  const capped = await parseHeapSnapshot(snap, { maxObjects: 1000 });
  assert.equal(capped.dominatorSkipped, `dominator tree skipped: ${plain.objects} objects > limit 1000`);
  assert.deepEqual(
    capped.classes.map((c) => [c.name, c.count, c.shallowBytes]),
    plain.classes.map((c) => [c.name, c.count, c.shallowBytes]),
  );
});

test('truncated, wrong-format and damaged snapshots end in HeapFormatError', () => {
  const bytes = readFileSync(snap);
  const parse = (b: Buffer): void => {
    const r = new HeapSnapshotReader({ maxObjects: 1e9 });
    r.push(b);
    analyzeSnapshot(r.end(), 1e9);
  };
  assert.throws(() => parse(Buffer.alloc(0)), /empty file/);
  assert.throws(
    () => parse(Buffer.from('JAVA PROFILE 1.0.2')),
    /not a readable V8 heap snapshot: expected "\{"/,
  );
  assert.throws(() => parse(Buffer.from('{"traceEvents":[]}')), /no "snapshot" member/);
  assert.throws(
    () => parse(bytes.subarray(0, bytes.length >> 1)),
    /truncated V8 heap snapshot: the file ends at byte \d+ in "(nodes|edges|strings)"/,
  );
  const wrongCount = Buffer.from(
    bytes.toString('latin1').replace(/"node_count":\d+/, '"node_count":5'),
    'latin1',
  );
  assert.throws(() => parse(wrongCount), /more nodes than node_count 5/);
  let seed = 11;
  const rand = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  const small = bytes.subarray(0, 300_000); // enough for snapshot + part of nodes
  for (let i = 0; i < 40; i++) {
    const b = Buffer.from(i % 2 ? bytes : small);
    for (let f = 0; f < 1 + rand(5); f++) {
      const at = rand(b.length);
      b[at] = b[at]! ^ (1 << rand(8));
    }
    try {
      parse(b);
    } catch (e) {
      assert.ok(e instanceof HeapFormatError, `damage ${i}: ${(e as Error).stack}`);
    }
  }
});
