import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summarizeHeap, sniffHeapFormat } from './summary';
import { analyzeHeapInWorker } from './heapInWorker';
import { HeapFormatError } from './model';

const DUMPS = resolve(
  __dirname,
  '../../../..',
  '..',
  'shared/fixtures/public/eclipse-mat-mat/plugins/org.eclipse.mat.tests/dumps',
);
const SPEEDSCOPE = resolve(
  __dirname,
  '../../../..',
  '..',
  'shared/fixtures/public/jlfwong-speedscope/sample/profiles',
);

test('summarizeHeap gives the runbook profile JSON shape, sorted by shallow bytes', async () => {
  const s = await summarizeHeap(join(DUMPS, 'sun_jdk6_30_x64_compressedOops.hprof'), { top: 5 });
  assert.equal(s.format, 'hprof');
  assert.equal(s.kind, 'heap');
  assert.equal(s.objects, 4351);
  assert.equal(s.top.length, 5);
  assert.deepEqual(Object.keys(s.top[0]!), ['name', 'count', 'shallowBytes', 'retainedBytes']);
  assert.deepEqual(s.top[0], {
    name: 'char[]',
    count: 842,
    shallowBytes: 114152,
    retainedBytes: s.top[0]!.retainedBytes,
  });
  for (let i = 1; i < s.top.length; i++) assert.ok(s.top[i - 1]!.shallowBytes >= s.top[i]!.shallowBytes);
  const capped = await summarizeHeap(join(DUMPS, 'sun_jdk6_30_x64_compressedOops.hprof'), { maxObjects: 10 });
  assert.equal(capped.top.length, 20);
  assert.equal(capped.top[0]!.retainedBytes, null);
  assert.equal(capped.note, 'dominator tree skipped: 4351 objects > limit 10');
});

test('formats are recognised by content, whatever the file is called', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'heap-sniff-'));
  try {
    const renamed = join(dir, 'dump.bin');
    copyFileSync(join(DUMPS, 'openjdk_jdk11_04_x64.hprof.gz'), renamed);
    assert.equal(await sniffHeapFormat(renamed), 'hprof');
    const snap = join(dir, 'x.json');
    writeFileSync(snap, '\uFEFF {\n "snapshot" : {"meta":{}}}');
    assert.equal(await sniffHeapFormat(snap), 'heapsnapshot');
    const cpu = join(SPEEDSCOPE, 'Chrome/65/simple.cpuprofile');
    assert.equal(await sniffHeapFormat(cpu), null);
    await assert.rejects(summarizeHeap(cpu), (e: Error) => {
      assert.ok(e instanceof HeapFormatError);
      assert.match(e.message, /is not a heap dump: tried Java HPROF .* and V8 heap snapshot/);
      return true;
    });
    await assert.rejects(summarizeHeap(join(dir, 'missing.hprof')), /cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the analysis runs in a worker_threads Worker and comes back whole, progress included', async (t) => {
  // The worker runs the TypeScript source through tsx's require hook (the extension runs the bundle).
  const dir = mkdtempSync(join(tmpdir(), 'heap-worker-'));
  const workerFile = join(dir, 'boot.cjs');
  writeFileSync(
    workerFile,
    `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(join(__dirname, 'heapWorker.ts'))});\n`,
  );
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const progress: string[] = [];
  const a = await analyzeHeapInWorker(join(DUMPS, 'openjdk_jdk11_04_x64.hprof.gz'), {
    workerFile,
    onProgress: (p) => progress.push(p.phase),
  });
  assert.equal(a.objects, 187949);
  assert.ok(a.dominators?.idom instanceof Int32Array);
  assert.equal(a.dominators.idom.length, 187949);
  assert.ok(progress.length > 0);
  await assert.rejects(
    analyzeHeapInWorker(join(SPEEDSCOPE, 'Chrome/65/simple.cpuprofile'), {
      workerFile,
    }),
    (e: Error) => e instanceof HeapFormatError && /not a heap dump/.test(e.message),
  );
  const ac = new AbortController();
  const run = analyzeHeapInWorker(join(DUMPS, 'openjdk_jdk11_04_x64.hprof.gz'), {
    workerFile,
    signal: ac.signal,
  });
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(run, { name: 'AbortError' });
});
