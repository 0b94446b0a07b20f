// .hprof importer against Eclipse MAT's test dumps, whose notes files hold a `jmap -histo` of the
// same JVM (rank, instances, bytes, class).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseHprof } from './hprof';
import { javaClassName } from './hprofFormat';
import { HprofParser } from './hprofParser';
import { analyzeHprof } from './hprofAnalyze';
import { classRetainers } from './retainers';
import { HeapFormatError, type HeapAnalysis } from './model';

export const MAT_DUMPS = resolve(
  __dirname,
  '../../../..',
  '..',
  'shared/fixtures/public/eclipse-mat-mat/plugins/org.eclipse.mat.tests/dumps',
);
const dump = (name: string): string => resolve(MAT_DUMPS, name);

interface Expected {
  count: number;
  bytes: number;
  name: string;
}
function readHistogram(file: string): Expected[] {
  const rows: Expected[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:\d+:)?\s*(\d+)\s+(\d+)\s+(\S.*?)\s*$/.exec(line);
    if (m) rows.push({ count: Number(m[1]), bytes: Number(m[2]), name: m[3]! });
  }
  return rows;
}

function byName(a: HeapAnalysis): Map<string, { count: number; shallowBytes: number }> {
  return new Map(a.classes.map((c) => [c.name, c]));
}

test('JDK 6 compressed-oops dump matches its jmap histogram row for row', async () => {
  const a = await parseHprof(dump('sun_jdk6_30_x64_compressedOops.hprof'));
  assert.equal(a.details.idSize, 8);
  assert.equal(a.details.layout, '64-bit, compressed oops', 'inferred from object address gaps');
  const ours = byName(a);
  // Rows that cannot match, and why:
  const explained: Record<string, string> = {
    // HotSpot injects fields into java.lang.Class that the dump does not list, and jmap also counted
    // 13 array/primitive mirrors the dump leaves out.
    'java.lang.Class': 'hidden mirror fields',
    // Permanent-generation objects: jmap -histo of JDK 6 lists them, a heap dump has no such objects.
    'int[][]': 'permgen',
    // jmap ran moments apart from the dump: one more plain Object existed then.
    'java.lang.Object': 'count changed between jmap and the dump',
  };
  let matched = 0;
  for (const e of readHistogram(dump('sun_jdk6_30_x64_compressedOops.notes.txt'))) {
    if (e.name.startsWith('<')) continue; // <methodKlass> etc.: permgen metadata
    const name = javaClassName(e.name.replace(/\./g, '/'));
    if (explained[name]) continue;
    const o = ours.get(name);
    assert.ok(o, `${name} missing from our histogram`);
    assert.deepEqual([o.count, o.shallowBytes], [e.count, e.bytes], name);
    matched++;
  }
  assert.equal(matched, 155);
  // The systematic differences really are where the notes say.
  assert.equal(ours.get('java.lang.Object')?.count, 15);
  assert.equal(ours.get('int[][]'), undefined);
});

test('JDK 5 32-bit dump: every class whose count agrees with the histogram has the same bytes', async () => {
  const a = await parseHprof(dump('sun_jdk5_13_x32.hprof'));
  assert.equal(a.details.idSize, 4);
  const ours = byName(a);
  let same = 0;
  const sizeDiffs: string[] = [];
  for (const e of readHistogram(dump('histogram_sun_jdk5_13_x32.txt'))) {
    const o = ours.get(javaClassName(e.name.replace(/\./g, '/')));
    if (!o || o.count !== e.count) continue; // this histogram was taken at another moment
    if (o.shallowBytes === e.bytes) same++;
    else sizeDiffs.push(`${e.name}: ${o.shallowBytes} vs ${e.bytes}`);
  }
  assert.ok(same >= 118, `only ${same} rows agree`);
  // byte[]: same count, one array 8 bytes longer in the dump than when the histogram was taken.
  assert.deepEqual(sizeDiffs, ['[B: 43544 vs 43536']);
  assert.ok(ours.get('ClassC'), 'a class of the test program itself is there');
});

test('every MAT dump parses; histogram, per-object sizes and dominator totals agree', async () => {
  for (const name of [
    'sun_jdk6_30_x64_compressedOops.hprof',
    'sun_jdk5_13_x32.hprof',
    'oracle_jdk8_05_x64.hprof',
    'openjdk_jdk11_04_x64.hprof.gz',
    'java_pid1884.0001.hprof.gz',
  ]) {
    const a = await parseHprof(dump(name));
    const d = a.dominators;
    assert.ok(d, `${name}: dominator tree built`);
    assert.equal(d.idom.length, a.objects);
    const perClass = new Float64Array(a.classes.length);
    const perClassCount = new Float64Array(a.classes.length);
    let rootBytes = 0;
    for (let i = 0; i < a.objects; i++) {
      perClass[d.classIndex[i]!]! += d.shallow[i]!;
      perClassCount[d.classIndex[i]!]!++;
      if (d.idom[i] === -1) rootBytes += d.retained[i]!;
      assert.ok(d.retained[i]! >= d.shallow[i]!, `${name}: retained >= shallow`);
    }
    a.classes.forEach((c, i) => {
      assert.equal(perClass[i], c.shallowBytes, `${name} ${c.name} bytes`);
      assert.equal(perClassCount[i], c.count, `${name} ${c.name} count`);
      assert.ok(c.retainedBytes !== undefined && c.retainedBytes >= 0);
    });
    for (let i = 1; i < a.classes.length; i++)
      assert.ok(a.classes[i - 1]!.shallowBytes >= a.classes[i]!.shallowBytes, 'sorted by shallow bytes');
    assert.equal(rootBytes, d.reachableBytes);
    // Dumps taken without `live` hold garbage (the JDK 8 one: 60%, mostly StringBuilders and strings).
    assert.ok(d.reachable > a.objects * 0.35, `${name}: reachable ${d.reachable}/${a.objects}`);
    if (a.details.idSize === 8) assert.match(String(a.details.layout), /compressed oops/, name);
  }
});

test('the JDK 11 gzip dump names its classes and finds the biggest holders', async () => {
  const a = await parseHprof(dump('openjdk_jdk11_04_x64.hprof.gz'));
  assert.equal(a.details.gzip, true);
  assert.equal(a.details.version, 'JAVA PROFILE 1.0.2');
  assert.equal(a.details.layout, '64-bit, compressed oops');
  assert.equal(a.objects, 187949);
  const str = a.classes.findIndex((c) => c.name === 'java.lang.String');
  assert.ok(str >= 0);
  // JDK 9+ String: 12-byte header, byte[] value + int hash + byte coder = 24 bytes.
  assert.equal(a.classes[str]!.shallowBytes, a.classes[str]!.count * 24);
  const retainers = classRetainers(a, str, 5);
  assert.ok(retainers.length > 0);
  for (const r of retainers) {
    assert.ok(r.retainedBytes > 0 && r.count > 0);
    if (r.object >= 0) assert.equal(r.path.at(-1)?.object, r.object, 'path ends at the owner');
  }
});

test('records split across chunks of any size give the same result', async () => {
  const bytes = readFileSync(dump('sun_jdk6_30_x64_compressedOops.hprof'));
  const whole = new HprofParser(1e6);
  whole.push(bytes);
  whole.end();
  const expected = analyzeHprof(whole, { maxObjects: 1e6 });
  let seed = 7;
  for (const maxChunk of [1, 7, 64, 4096]) {
    const p = new HprofParser(1e6);
    for (let i = 0; i < bytes.length;) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const n = 1 + (seed % maxChunk);
      p.push(bytes.subarray(i, i + n));
      i += n;
    }
    p.end();
    const a = analyzeHprof(p, { maxObjects: 1e6 });
    assert.deepEqual(a.classes, expected.classes, `chunks up to ${maxChunk} bytes`);
    assert.deepEqual(a.dominators?.idom, expected.dominators?.idom);
  }
});

test('over the object cap the histogram completes and the dominator tree is skipped', async () => {
  const full = await parseHprof(dump('sun_jdk6_30_x64_compressedOops.hprof'));
  const capped = await parseHprof(dump('sun_jdk6_30_x64_compressedOops.hprof'), { maxObjects: 1000 });
  assert.equal(capped.dominators, undefined);
  assert.equal(capped.dominatorSkipped, 'dominator tree skipped: 4351 objects > limit 1000');
  assert.deepEqual(
    capped.classes,
    full.classes.map(({ retainedBytes: _r, ...rest }) => rest),
  );
});

test('progress is reported and an abort stops the parse', async () => {
  const seen: string[] = [];
  await parseHprof(dump('java_pid1884.0001.hprof.gz'), { onProgress: (p) => seen.push(p.phase) });
  assert.ok(seen.includes('read') && seen.includes('dominators'));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(parseHprof(dump('java_pid1884.0001.hprof.gz'), { signal: ac.signal }), {
    name: 'AbortError',
  });
});

test('truncated dumps say where they end', () => {
  const bytes = readFileSync(dump('sun_jdk6_30_x64_compressedOops.hprof'));
  const parse = (n: number): void => {
    const p = new HprofParser(1e6);
    p.push(bytes.subarray(0, n));
    p.end();
  };
  assert.throws(() => parse(0), /empty file: not an HPROF heap dump/);
  assert.throws(() => parse(10), /truncated at byte 10 in the HPROF header/);
  // The single HEAP_DUMP record is the last one and most of the file.
  assert.throws(
    () => parse(bytes.length - 1000),
    (e: Error) => {
      assert.ok(e instanceof HeapFormatError);
      assert.match(
        e.message,
        new RegExp(
          `^truncated at byte ${bytes.length - 1000} in HEAP_DUMP \\(record starting at byte \\d+, 1000 bytes missing\\)$`,
        ),
      );
      return true;
    },
  );
});

test('garbage, wrong formats and bit flips end in HeapFormatError, never another throw or a hang', () => {
  const parse = (b: Buffer): void => {
    const p = new HprofParser(1e5);
    p.push(b);
    p.end();
    analyzeHprof(p, { maxObjects: 1e5 });
  };
  assert.throws(() => parse(Buffer.from('{"snapshot":{}}')), /not an HPROF heap dump/);
  assert.throws(
    () => parse(Buffer.from('JAVA PROFILE 9.9\0\0\0\0\x08\0\0\0\0\0\0\0\0', 'latin1')),
    /unsupported HPROF version/,
  );
  const bytes = readFileSync(dump('sun_jdk6_30_x64_compressedOops.hprof'));
  let seed = 99;
  const rand = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  let rejected = 0;
  for (let i = 0; i < 60; i++) {
    const b = Buffer.from(bytes);
    for (let f = 0; f < 1 + rand(8); f++) {
      const at = rand(b.length);
      b[at] = b[at]! ^ (1 << rand(8));
    }
    try {
      parse(b.subarray(0, rand(4) === 0 ? rand(b.length) : b.length));
    } catch (e) {
      assert.ok(e instanceof HeapFormatError, `flip ${i}: ${(e as Error).stack}`);
      rejected++;
    }
  }
  assert.ok(rejected > 0, 'some damage is detected');
});

test('a missing file is a clear error', async () => {
  await assert.rejects(parseHprof(dump('no-such.hprof')), /cannot read .*no-such\.hprof/);
});
