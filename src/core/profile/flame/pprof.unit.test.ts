import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { Profile } from 'pprof-format';
import { importProfile } from './import';
import { frameFile, framePackage, totalWeight } from '../model';
import { nodeAt, selfOfName, SPEEDSCOPE, treeProblems } from './test-support';

const path = resolve(SPEEDSCOPE, 'pprof/simple.prof');

/** Value sums straight from the decoded protobuf: total and by leaf function name. */
function sums(index: number): { total: number; byLeaf: Map<string, number> } {
  const p = Profile.decode(gunzipSync(readFileSync(path)));
  const s = p.stringTable.strings;
  const fnName = new Map(p.function.map((f) => [Number(f.id), s[Number(f.name)] as string]));
  const leafOf = new Map(p.location.map((l) => [Number(l.id), fnName.get(Number(l.line[0]?.functionId))]));
  const byLeaf = new Map<string, number>();
  let total = 0;
  for (const x of p.sample) {
    const v = Number(x.value[index]);
    total += v;
    const leaf = leafOf.get(Number(x.locationId[0])) as string;
    byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + v);
  }
  return { total, byLeaf };
}

test('Go pprof (gzipped): the default sample type is the last one, cpu nanoseconds', async () => {
  const expected = sums(1);
  const p = await importProfile({ path });
  assert.equal(p.format, 'pprof');
  assert.equal(p.unit, 'nanoseconds');
  assert.equal(p.kind, 'cpu');
  assert.equal(totalWeight(p), expected.total);
  for (const [leaf, v] of expected.byLeaf) assert.equal(selfOfName(p, leaf), v, leaf);
  const alpha = nodeAt(p, ['runtime.main', 'main.main', 'main.alpha']);
  assert.ok(alpha > 0);
  const f = p.tree.frame[alpha] as number;
  assert.match(frameFile(p, f) ?? '', /sample\/programs\/go\/simple\.go$/);
  assert.equal(framePackage(p, f), 'main');
  assert.deepEqual(treeProblems(p), []);
});

test('another sample type on request; an unknown one lists what the file has', async () => {
  const p = await importProfile({ path }, { sampleType: 'samples' });
  assert.equal(p.unit, 'samples');
  assert.equal(totalWeight(p), sums(0).total);
  await assert.rejects(
    importProfile({ path }, { sampleType: 'alloc_space' }),
    /no sample type "alloc_space" \(the file has samples\/count, cpu\/nanoseconds\)/,
  );
});

test('uncompressed protobuf is read too; corrupt and truncated data are clear errors', async () => {
  const raw = gunzipSync(readFileSync(path));
  const p = await importProfile({ bytes: raw, name: 'cpu.pb' });
  assert.equal(totalWeight(p), sums(1).total);
  await assert.rejects(
    importProfile({ bytes: raw.subarray(0, raw.length - 40), name: 'cut.pb' }, { format: 'pprof' }),
    /cut\.pb: the pprof profile refers \d+ times to strings, functions or locations it does not contain/,
  );
  const gz = readFileSync(path);
  await assert.rejects(
    importProfile({ bytes: gz.subarray(0, gz.length / 2), name: 'cut.pb.gz' }),
    /gzip data is cut short/,
  );
  await assert.rejects(
    importProfile({ bytes: gzipSync(Buffer.alloc(64, 0xff)), name: 'ff.pb.gz' }, { format: 'pprof' }),
    /not a valid pprof profile/,
  );
});
