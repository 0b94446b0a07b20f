import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { importProfile } from './import';
import { frameFile, frameName, totalWeight, type FlameProfile } from '../model';
import { FIXTURES, nodeAt, selfOfName, SPEEDSCOPE, treeProblems } from './test-support';

const te = (f: string): string => resolve(SPEEDSCOPE, 'trace-event', f);
const imp = (path: string): Promise<FlameProfile> => importProfile({ path });
const warnings = (p: FlameProfile): string => p.warnings.join('\n');

interface Ev {
  ph: string;
  name?: string;
  cat?: string;
  pid: number | string;
  tid: number | string;
  ts: number;
  dur?: number;
  args?: {
    data?: {
      startTime?: number;
      timeDeltas?: number[];
      cpuProfile?: { nodes?: Array<{ id: number; callFrame: { functionName: string } }>; samples?: number[] };
    };
  };
}

test('simple.json and its partial forms (no "]", trailing comma, trailing blank lines) give the same tree', async () => {
  for (const f of [
    'simple.json',
    'simple-partial.json',
    'simple-partial-trailing-comma.json',
    'simple-partial-whitespace.json',
  ]) {
    const p = await imp(te(f));
    assert.equal(p.format, 'chrome-trace', f);
    assert.equal(p.kind, 'trace');
    assert.equal(totalWeight(p), 14, f); // alpha B@0 .. E@14
    assert.equal(p.tree.self[nodeAt(p, ['alpha'])], 2, f); // 0..1 and 13..14
    assert.equal(p.tree.self[nodeAt(p, ['alpha', 'beta'])], 3, f); // 1..13 minus gamma 5 and epsilon 4
    assert.equal(p.tree.self[nodeAt(p, ['alpha', 'beta', 'gamma'])], 5, f);
    assert.equal(p.tree.self[nodeAt(p, ['alpha', 'beta', 'epsilon'])], 4, f); // "tdur" when there is no "dur"
    assert.deepEqual(p.warnings, [], f);
    assert.deepEqual(treeProblems(p), []);
  }
  const o = await imp(te('simple-object.json'));
  assert.equal(o.tree.self[nodeAt(o, ['alpha', 'beta', '(unnamed)'])], 4);
});

test('unbalanced and out-of-order B/E events are repaired deliberately, and reported', async () => {
  let p = await imp(te('end-event-with-empty-stack.json'));
  assert.equal(totalWeight(p), 1);
  assert.match(warnings(p), /1 E events matched no open B event and were ignored/);

  p = await imp(te('too-many-end-events.json'));
  assert.equal(totalWeight(p), 14);
  assert.equal(p.tree.total[nodeAt(p, ['alpha', 'beta'])], 12);
  assert.match(warnings(p), /2 E events matched no open B event/);

  p = await imp(te('not-enough-end-events.json'));
  assert.equal(totalWeight(p), 11); // never-closed A's end at the thread's last time, 10 + 1
  assert.match(warnings(p), /2 B events were never closed/);

  p = await imp(te('only-begin-events.json'));
  assert.equal(nodeAt(p, ['A', 'B']) > 0, true);
  assert.equal(totalWeight(p), 2);

  // E alpha@9 closes beta (still open inside it) too; E beta@10 then matches nothing
  p = await imp(te('unbalanced-name.json'));
  assert.equal(totalWeight(p), 9);
  assert.equal(p.tree.total[nodeAt(p, ['alpha', 'beta'])], 8);
  assert.match(warnings(p), /1 events were still open when an enclosing E event closed/);
  assert.match(warnings(p), /1 E events matched no open B/);

  // simultaneous ends written in the "wrong" order: reordered by name, nothing to report
  p = await imp(te('event-reordering-name-match.json'));
  assert.equal(p.tree.total[nodeAt(p, ['alpha', 'beta', 'gamma'])], 1);
  assert.deepEqual(p.warnings, []);

  p = await imp(te('out-of-order.json'));
  assert.equal(p.tree.total[nodeAt(p, ['A', 'B', 'C'])], 6);
  assert.equal(totalWeight(p), 10);

  p = await imp(te('must-retain-original-order.json'));
  assert.ok(nodeAt(p, ['A', 'B', 'C']) > 0);

  // X events that overlap without nesting: the later one is cut at its parent's end
  p = await imp(te('invalid-x-nesting.json'));
  assert.equal(totalWeight(p), 10);
  assert.equal(p.tree.total[nodeAt(p, ['alpha', 'beta'])], 5);
  assert.match(warnings(p), /1 events started inside another event but ended after it/);

  // an E written before its zero-length B at the same timestamp still closes it
  p = await imp(te('zero-duration-events.json'));
  assert.equal(totalWeight(p), 10);
  assert.deepEqual(p.warnings, []);
  const ev = p.tracks[0]?.events;
  assert.ok(ev);
  const names = Array.from(
    { length: ev.length },
    (_, i) => `${frameName(p, ev.frame[i] as number)}@${ev.start[i]}-${ev.end[i]}/${ev.depth[i]}`,
  );
  assert.deepEqual(names, ['A@0-10/0', 'B@1-1/1', 'C@2-2/1', 'D@3-3/1']);
});

test('X events with equal times nest in file order', async () => {
  for (const f of ['matching-x.json', 'x-events-matching-start.json', 'x-events-matching-end.json']) {
    const p = await imp(te(f));
    assert.equal(totalWeight(p), JSON.parse(readFileSync(te(f), 'utf8'))[0].dur, f);
    assert.deepEqual(treeProblems(p), []);
    assert.deepEqual(p.warnings, [], f);
  }
  const p = await imp(te('matching-x.json'));
  assert.ok(nodeAt(p, ['alpha', 'beta', 'gamma']) > 0); // ts 1: beta written first
  assert.ok(nodeAt(p, ['alpha', 'gamma', 'beta']) > 0); // ts 5: gamma written first
});

test('one track per thread, named from the metadata events', async () => {
  const p = await imp(te('multiprocess.json'));
  assert.deepEqual(
    p.tracks.map((t) => t.name),
    [
      'p0 (0) › p0t0',
      'p0 (0) › p0t1',
      'p1 (1) › p1t0',
      'p1 (1) › p1t1',
      'process 2 › p2t0',
      'process 2 › p2t1',
      'p3 (3) › thread 0',
      'p3 (3) › thread 1',
    ],
  );
  assert.equal(totalWeight(p), 8);
  const h = await imp(te('hermes-multiple-frames.json'));
  const beta = Array.from({ length: h.frames.length }, (_, i) => i).find(
    (i) => frameName(h, i) === 'beta',
  ) as number;
  assert.match(frameFile(h, beta) ?? '', /metro-runtime\/src\/polyfills\/require\.js$/);
  assert.equal(h.frames.line[beta], 54);
});

test('Chrome 116 trace: the CPU profile from Profile/ProfileChunk events', async () => {
  const path = resolve(SPEEDSCOPE, 'Chrome/116/Trace-20230603T221323.json');
  const { traceEvents } = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: Ev[] };
  let t = traceEvents.find((e) => e.name === 'Profile')?.args?.data?.startTime as number;
  const names = new Map<number, string>();
  const s: Array<{ t: number; id: number; i: number }> = [];
  for (const e of traceEvents.filter((x) => x.name === 'ProfileChunk')) {
    for (const n of e.args?.data?.cpuProfile?.nodes ?? []) names.set(n.id, n.callFrame.functionName);
    const ids = e.args?.data?.cpuProfile?.samples ?? [];
    ids.forEach((id, k) => s.push({ id, t: (t += e.args?.data?.timeDeltas?.[k] as number), i: s.length }));
  }
  s.sort((a, b) => a.t - b.t || a.i - b.i);
  const idle = s.reduce(
    (a, x, k) =>
      a + (names.get(x.id) === '(idle)' && k + 1 < s.length ? (s[k + 1] as { t: number }).t - x.t : 0),
    0,
  );
  const p = await imp(path);
  assert.equal(p.kind, 'cpu');
  assert.equal(totalWeight(p), (s.at(-1) as { t: number }).t - (s[0] as { t: number }).t);
  assert.equal(selfOfName(p, '(idle)'), idle);
  assert.ok(selfOfName(p, 'gamma') > 0);
  assert.match(warnings(p), /2456 duration events \(B\/E\/X\) were left out/);
  assert.equal(p.tracks.length, 1);
  assert.match(p.tracks[0]?.name ?? '', /^CPU profile: Renderer \(6543\)/);
});

test('samples + stackFrames (JSON object format)', async () => {
  const path = te('simple-with-samples.json');
  const j = JSON.parse(readFileSync(path, 'utf8')) as { samples: Array<{ sf: number; weight: string }> };
  const p = await imp(path);
  assert.equal(p.unit, 'samples');
  assert.equal(
    totalWeight(p),
    j.samples.reduce((a, x) => a + Number(x.weight), 0),
  );
  assert.equal(selfOfName(p, '[GC Young Gen]'), j.samples.filter((x) => x.sf === 5).length);
  const f3 = Array.from({ length: p.frames.length }, (_, i) => i).find(
    (i) => frameName(p, i) === 'function3',
  ) as number;
  assert.equal(p.frames.line[f3], 17);
  assert.ok(nodeAt(p, ['[root]', 'function2', 'function3']) > 0);
});

/** Sum of durations of one thread's outermost X events (events inside an earlier one are nested). */
function topLevelTime(events: Ev[]): number {
  const xs = events.filter((e) => e.ph === 'X').sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  let end = -Infinity;
  let sum = 0;
  for (const e of xs) {
    if (e.ts >= end) {
      sum += e.dur ?? 0;
      end = e.ts + (e.dur ?? 0);
    }
  }
  return sum;
}

test('torch.profiler trace (H200): the CPU thread and the CUDA stream are separate tracks', async () => {
  const path = resolve(FIXTURES, 'gpu', 'torch.profiler.trace.json');
  const { traceEvents } = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: Ev[] };
  const gpu = traceEvents.filter((e) => e.ph === 'X' && e.pid === 0 && e.tid === 7);
  const cpu = traceEvents.filter((e) => e.ph === 'X' && e.pid === 590 && e.tid === 590);
  const p = await imp(path);
  const stream = p.tracks.find((t) => t.kind === 'gpu');
  assert.equal(stream?.name, 'GPU 0 (0) › stream 7');
  assert.equal(stream?.events.length, gpu.length);
  const near = (a: number | undefined, b: number): void =>
    assert.ok(Math.abs((a ?? NaN) - b) < 1e-6 * b, `${a} ≈ ${b}`);
  near(
    p.tree.total[nodeAt(p, ['GPU 0 (0) › stream 7'])],
    gpu.reduce((a, e) => a + (e.dur ?? 0), 0),
  );
  const thread = p.tracks.find((t) => t.name === 'CPU (590) › thread 590 (python3)');
  assert.equal(thread?.kind, 'thread');
  assert.equal(thread?.events.length, cpu.length);
  near(p.tree.total[nodeAt(p, ['CPU (590) › thread 590 (python3)'])], topLevelTime(cpu));
  const call = Array.from({ length: p.frames.length }, (_, i) => i).find(
    (i) => frameName(p, i) === '_call_impl',
  ) as number;
  assert.equal(frameFile(p, call), 'torch/nn/modules/module.py');
  assert.equal(p.frames.line[call], 1783);
  assert.match(warnings(p), /1 profiler recording-window spans/);
  assert.deepEqual(treeProblems(p), []);
});

test('Kineto ResNet-50 trace (.json.gz): streamed through gunzip, CPU threads and the CUDA stream', async () => {
  const path = resolve(
    FIXTURES,
    'public/pytorch-kineto/tb_plugin/samples/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz',
  );
  const { traceEvents } = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as {
    traceEvents: Ev[];
  };
  const gpu = traceEvents.filter((e) => e.ph === 'X' && e.pid === 0 && e.tid === 'stream 7');
  // Kineto writes the main thread's tid both as "25738" and 25738: one track
  const main = traceEvents.filter((e) => e.ph === 'X' && e.pid === 25738 && String(e.tid) === '25738');
  const p = await imp(path);
  assert.deepEqual(
    p.tracks.map((t) => `${t.kind}:${t.name}`),
    [
      'thread:CPU (25738) › thread 25738 (python)',
      'thread:CPU (25738) › thread 25772 (python)',
      'gpu:GPU 0 (0) › stream 7',
    ],
  );
  assert.equal(p.tracks[2]?.events.length, gpu.length);
  assert.equal(
    p.tree.total[nodeAt(p, ['GPU 0 (0) › stream 7'])],
    gpu.reduce((a, e) => a + (e.dur ?? 0), 0),
  );
  assert.equal(p.tracks[0]?.events.length, main.length);
  assert.equal(p.tree.total[nodeAt(p, ['CPU (25738) › thread 25738 (python)'])], topLevelTime(main));
});

test('cut-off traces: a bare array keeps what is complete; an object is an error', async () => {
  const text = readFileSync(te('simple.json'), 'utf8');
  const cut = text.slice(0, text.indexOf('"E", "name": "alpha"'));
  const p = await importProfile({ bytes: Buffer.from(cut), name: 'cut.json' });
  assert.match(warnings(p), /ends in the middle of an event \(\d+ bytes ignored\)/);
  assert.equal(p.tree.total[nodeAt(p, ['alpha', 'beta'])], 12);
  const obj = readFileSync(resolve(FIXTURES, 'gpu', 'torch.profiler.trace.json'), 'utf8');
  await assert.rejects(
    importProfile({ bytes: Buffer.from(obj.slice(0, 200000)), name: 'torch.json' }),
    /torch\.json: the JSON ends unexpectedly after 200000 bytes \(truncated file\?\)/,
  );
  await assert.rejects(
    importProfile({ bytes: Buffer.from('[]'), name: 'e.json' }),
    /the trace has no events/,
  );
  await assert.rejects(
    importProfile({ bytes: Buffer.from('[{"ph":"i","ts":1,"pid":1,"tid":1,"name":"x"}]'), name: 'i.json' }),
    /1 events but no B\/E\/X duration events or CPU profile samples/,
  );
});
