// The viewer's loader and heap queries on real files, with the real worker entries (TypeScript
// through tsx's require hook, as the importers' own worker tests do).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadProfileFile, type WorkerFiles } from './load';
import { HeapSession } from './heap-session';

const ROOT = resolve(__dirname, '..', '..', '..');
const FIXTURES = resolve(ROOT, '..', 'shared', 'fixtures');
const SUCRASE = resolve(FIXTURES, 'public/jlfwong-speedscope/sample/profiles/Chrome/65/sucrase.cpuprofile');
const DUMPS = resolve(FIXTURES, 'public/eclipse-mat-mat/plugins/org.eclipse.mat.tests/dumps');
const workers: WorkerFiles = {
  flame: resolve(ROOT, 'src/core/profile/worker.ts'),
  heap: resolve(ROOT, 'src/core/profile/heap/heapWorker.ts'),
  execArgv: ['--require', 'tsx/cjs'],
};

test('a .cpuprofile loads in the flame worker, with progress up to the file size', async () => {
  const seen: number[] = [];
  const r = await loadProfileFile(SUCRASE, workers, { onProgress: (_phase, bytes) => seen.push(bytes) });
  assert.equal(r.kind, 'flame');
  assert.ok(r.kind === 'flame' && r.profile.tree.total instanceof Float64Array);
  assert.equal(r.kind === 'flame' && r.profile.format, 'cpuprofile');
  assert.equal(seen.at(-1), 1001345);
});

test('a file that is no profile: one sentence naming what was tried', async () => {
  await assert.rejects(
    loadProfileFile(resolve(FIXTURES, 'gpu/nvidia-smi.L.txt'), workers),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, 'unknown-format');
      assert.match(
        e.message,
        /is not a profile format I know: .*Tried: V8 \.cpuprofile, .*Java \.hprof heap dump/,
      );
      return true;
    },
  );
  await assert.rejects(loadProfileFile('/nonexistent/x.cpuprofile', workers), { code: 'unreadable' });
});

test('cancelling ends the worker and says so', async () => {
  const ac = new AbortController();
  const run = loadProfileFile(resolve(DUMPS, 'openjdk_jdk11_04_x64.hprof.gz'), workers, {
    signal: ac.signal,
  });
  setTimeout(() => ac.abort(), 30);
  await assert.rejects(run, { code: 'aborted', message: 'Reading the profile was cancelled.' });
});

test('an .hprof loads in the heap worker; the session answers treemap and retainer questions', async () => {
  const r = await loadProfileFile(resolve(DUMPS, 'sun_jdk6_30_x64_compressedOops.hprof'), workers);
  assert.equal(r.kind, 'heap');
  if (r.kind !== 'heap') return;
  const s = new HeapSession(r.analysis);
  const o = s.overview();
  assert.equal(o.objects, 4351);
  assert.equal(o.histogram.names[0], 'char[]');
  assert.equal(o.histogram.count[0], 842);
  assert.equal(o.histogram.shallow[0], 114152);
  assert.ok(o.histogram.retained instanceof Float64Array);
  assert.equal(o.histogram.names.length, r.analysis.classes.length);

  const d = r.analysis.dominators!;
  const top = s.treemap(-1)!;
  assert.equal(top.path.length, 0);
  assert.equal(top.retained, d.reachableBytes);
  const shown = top.items.reduce((sum, i) => sum + i.retained, 0);
  assert.ok(
    Math.abs(shown + top.otherBytes - d.reachableBytes) < 1e-6,
    'items and the rest add up to the reachable heap',
  );
  for (let i = 1; i < top.items.length; i++) assert.ok(top.items[i - 1]!.retained >= top.items[i]!.retained);
  let rootChildren = 0;
  for (let v = 0; v < d.idom.length; v++) if (d.idom[v] === -1) rootChildren++;
  assert.equal(top.items.length + top.otherCount, rootChildren);

  const big = top.items[0]!;
  assert.ok(big.childCount > 0, 'the largest root child dominates something');
  const level = s.treemap(big.object)!;
  assert.deepEqual(level.path, [{ object: big.object, className: big.className, retained: big.retained }]);
  const below = level.items.reduce((sum, i) => sum + i.retained, 0) + level.otherBytes;
  assert.ok(
    below <= big.retained - (d.shallow[big.object] ?? 0) + 1e-6,
    'children retain no more than the parent minus itself',
  );
  assert.deepEqual(
    level.items.slice(0, big.children.length).map((i) => i.object),
    big.children.map((c) => c.object),
    'the nested preview is the next level',
  );
  assert.equal(s.treemap(d.idom.length), undefined);

  const charArrays = o.histogram.names.indexOf('char[]');
  const ret = s.retainers(charArrays);
  assert.ok(ret.length > 0 && ret.length <= 10);
  for (const x of ret) {
    assert.ok(x.retainedBytes > 0 && x.count > 0);
    if (x.object >= 0) assert.equal(x.path.at(-1), x.className, 'the path ends at the owner');
  }
});

test('a .heapprofile is an allocation flame graph; a py-spy SVG is read as data', async () => {
  const heapprofile = resolve(
    FIXTURES,
    'public/jlfwong-speedscope/sample/profiles/Chrome/69/Heap-20181005T144546.heapprofile',
  );
  const a = await loadProfileFile(heapprofile, workers);
  assert.ok(a.kind === 'flame' && a.profile.kind === 'allocation' && a.profile.unit === 'bytes');
  const svg = await loadProfileFile(
    resolve(FIXTURES, 'public/benfred-py-spy/images/flamegraph.svg'),
    workers,
  );
  assert.ok(svg.kind === 'flame' && svg.profile.format === 'flamegraph-svg' && svg.profile.tree.length > 1);
});

test('a .heapsnapshot that Node writes here opens as a heap dump with a treemap', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-view-snap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'app.heapsnapshot');
  // A separate Node writes the snapshot (of itself, holding a recognisable leak).
  execFileSync(process.execPath, [
    '-e',
    `class LeakyCache { constructor() { this.items = []; } }
     globalThis.cache = new LeakyCache();
     for (let i = 0; i < 20000; i++) globalThis.cache.items.push({ id: i, payload: 'x'.repeat(50) + i });
     require('v8').writeHeapSnapshot(${JSON.stringify(file)});`,
  ]);
  const r = await loadProfileFile(file, workers);
  assert.equal(r.kind, 'heap');
  if (r.kind !== 'heap') return;
  const s = new HeapSession(r.analysis);
  assert.equal(s.overview().format, 'heapsnapshot');
  const top = s.treemap(-1)!;
  assert.ok(top.items.length > 0);
  const cache = s.overview().histogram.names.indexOf('LeakyCache');
  assert.ok(cache >= 0, 'the LeakyCache class is in the histogram');
  assert.ok((s.overview().histogram.retained?.[cache] ?? 0) > 20000 * 50, 'and it retains the leaked items');
});
