import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importProfile } from './import';
import { frameFile, frameName, totalWeight } from '../model';
import { nodeAt, selfOfName, SPEEDSCOPE, treeProblems } from './test-support';

interface CpuProfileJson {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Per-sample weights as the file defines them: time until the next sample (by time), the last until endTime. */
function sampleWeights(j: CpuProfileJson): Array<{ id: number; w: number }> {
  let t = j.startTime;
  const s = j.samples.map((id, i) => ({ id, t: (t += j.timeDeltas[i] as number), i }));
  s.sort((a, b) => a.t - b.t || a.i - b.i);
  return s.map((x, k) => ({
    id: x.id,
    w: (k + 1 < s.length ? (s[k + 1] as { t: number }).t : Math.max(j.endTime, x.t)) - x.t,
  }));
}

function selfByFunction(j: CpuProfileJson, fn: string): number {
  const names = new Map(j.nodes.map((n) => [n.id, n.callFrame.functionName]));
  return sampleWeights(j)
    .filter((s) => names.get(s.id) === fn)
    .reduce((a, s) => a + s.w, 0);
}

test('Chrome 65 simple.cpuprofile: total and self time match the file', async () => {
  const path = resolve(SPEEDSCOPE, 'Chrome/65/simple.cpuprofile');
  const j = JSON.parse(readFileSync(path, 'utf8')) as CpuProfileJson;
  const p = await importProfile({ path });
  assert.equal(p.format, 'cpuprofile');
  assert.equal(p.unit, 'microseconds');
  assert.equal(totalWeight(p), j.endTime - j.startTime - (j.timeDeltas[0] as number));
  assert.equal(selfOfName(p, 'd'), selfByFunction(j, 'd'));
  // d is reached through b and through c: two nodes, one frame
  assert.ok(nodeAt(p, ['(anonymous)', 'a', 'b', 'd']) > 0);
  assert.ok(nodeAt(p, ['(anonymous)', 'a', 'c', 'd']) > 0);
  const d = nodeAt(p, ['(anonymous)', 'a', 'b', 'd']);
  assert.equal(p.frames.line[p.tree.frame[d] as number], 14); // lineNumber 13, 0-based
  assert.deepEqual(treeProblems(p), []);
  // the time-ordered view covers the same time as the tree
  const track = p.tracks[0];
  assert.ok(track);
  let top = 0;
  for (let i = 0; i < track.events.length; i++)
    if (track.events.depth[i] === 0)
      top += (track.events.end[i] as number) - (track.events.start[i] as number);
  assert.equal(top, totalWeight(p));
});

test('sucrase.cpuprofile (1 MB): totals per function match the file', async () => {
  const path = resolve(SPEEDSCOPE, 'Chrome/65/sucrase.cpuprofile');
  const j = JSON.parse(readFileSync(path, 'utf8')) as CpuProfileJson;
  const p = await importProfile({ path });
  const w = sampleWeights(j);
  assert.equal(
    totalWeight(p),
    w.reduce((a, s) => a + s.w, 0),
  );
  assert.equal(selfOfName(p, '(garbage collector)'), selfByFunction(j, '(garbage collector)'));
  assert.equal(selfOfName(p, 'processRegion'), selfByFunction(j, 'processRegion'));
  assert.deepEqual(treeProblems(p), []);
});

test('the old head-tree form (Node 10) reads like the nodes[] form', async () => {
  const path = resolve(SPEEDSCOPE, 'node/10.11.0/example.cpuprofile');
  const j = JSON.parse(readFileSync(path, 'utf8')) as { samples: number[]; timestamps: number[] };
  const p = await importProfile({ path });
  // 29 samples and 30 timestamps: the last timestamp closes the last sample
  assert.equal(j.timestamps.length, j.samples.length + 1);
  assert.equal(totalWeight(p), (j.timestamps.at(-1) as number) - (j.timestamps[0] as number));
  const dEnd = j.samples.reduce(
    (a, id, i) =>
      a + (id === 5 || id === 7 ? (j.timestamps[i + 1] as number) - (j.timestamps[i] as number) : 0),
    0,
  );
  assert.equal(selfOfName(p, 'd'), dEnd);
  assert.deepEqual(treeProblems(p), []);
});

test('a profile written by node --cpu-prof here', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpuprof-'));
  try {
    const script = join(dir, 'work.js');
    writeFileSync(
      script,
      [
        'function busyLeaf(n) {',
        '  let s = 0;',
        '  for (let i = 0; i < n; i++) s += Math.sqrt(i) * Math.sin(i);',
        '  return s;',
        '}',
        'function middle() {',
        '  let t = 0;',
        '  const until = Date.now() + 300;',
        '  while (Date.now() < until) t += busyLeaf(20000);',
        '  return t;',
        '}',
        'console.log(middle() > 0 ? "" : " ");',
      ].join('\n'),
    );
    execFileSync(process.execPath, [
      '--cpu-prof',
      '--cpu-prof-dir',
      dir,
      '--cpu-prof-interval',
      '200',
      script,
    ]);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    assert.ok(file, 'node wrote a .cpuprofile');
    const path = join(dir, file);
    const j = JSON.parse(readFileSync(path, 'utf8')) as CpuProfileJson;
    const p = await importProfile({ path });
    assert.equal(
      totalWeight(p),
      sampleWeights(j).reduce((a, s) => a + s.w, 0),
    );
    assert.equal(selfOfName(p, 'busyLeaf'), selfByFunction(j, 'busyLeaf'));
    assert.ok(selfOfName(p, 'busyLeaf') > 0);
    let leaf = -1;
    for (let f = 0; f < p.frames.length; f++) if (frameName(p, f) === 'busyLeaf') leaf = f;
    assert.equal(frameFile(p, leaf), pathToFileURL(script).href);
    assert.equal(p.frames.line[leaf], 1);
    assert.deepEqual(treeProblems(p), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('truncated and non-profile JSON give clear messages', async () => {
  const text = readFileSync(resolve(SPEEDSCOPE, 'Chrome/65/simple.cpuprofile'), 'utf8');
  await assert.rejects(
    importProfile(
      { bytes: Buffer.from(text.slice(0, 700)), name: 'cut.cpuprofile' },
      { format: 'cpuprofile' },
    ),
    /cut\.cpuprofile.*ends unexpectedly/,
  );
  await assert.rejects(
    importProfile(
      { bytes: Buffer.from('{"startTime": 1, "samples": []}'), name: 'x.cpuprofile' },
      { format: 'cpuprofile' },
    ),
    /no profile nodes/,
  );
});
