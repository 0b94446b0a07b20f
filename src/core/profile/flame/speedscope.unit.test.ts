import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importProfile } from './import';
import { ProfileError } from './errors';
import { totalWeight } from '../model';
import { nodeAt, SPEEDSCOPE, treeProblems } from './test-support';

const file = (p: string): string => resolve(SPEEDSCOPE, 'speedscope', p);

test('evented (0.0.1, pretty and one-line): the same tree as stackcollapse/simple.txt', async () => {
  for (const f of ['0.0.1/simple.speedscope.json', '0.0.1/simple-no-pretty-print.speedscope.json']) {
    const p = await importProfile({ path: file(f) });
    assert.equal(p.format, 'speedscope');
    assert.equal(p.unit, 'count');
    assert.equal(totalWeight(p), 14);
    // c is open 0..2 and 6..9 under a;b
    assert.equal(p.tree.self[nodeAt(p, ['a', 'b', 'c'])], 5);
    assert.equal(p.tree.self[nodeAt(p, ['a', 'b', 'd'])], 4);
    assert.equal(p.tree.self[nodeAt(p, ['a', 'b'])], 5);
    assert.equal(p.tracks[0]?.events.length, 5);
    assert.deepEqual(treeProblems(p), []);
  }
});

test('sampled (0.1.2): weights sum, and the samples give a time order', async () => {
  const path = file('0.1.2/simple-sampled.speedscope.json');
  const j = JSON.parse(readFileSync(path, 'utf8')) as { profiles: Array<{ weights: number[] }> };
  const p = await importProfile({ path });
  assert.equal(p.unit, 'seconds');
  assert.equal(
    totalWeight(p),
    j.profiles[0]?.weights.reduce((a, b) => a + b, 0),
  );
  assert.equal(p.tree.self[nodeAt(p, ['a', 'b', 'd'])], 4);
  const ev = p.tracks[0]?.events;
  assert.ok(ev);
  assert.equal(ev.start[0], 0);
  assert.equal(Math.max(...ev.end), 14);
});

test('two profiles: one top frame each', async () => {
  const p = await importProfile({ path: file('0.6.0/two-sampled.speedscope.json') });
  assert.equal(p.name, 'Two Samples');
  assert.equal(totalWeight(p), 28);
  assert.equal(p.tree.total[nodeAt(p, ['one'])], 14);
  assert.equal(p.tree.total[nodeAt(p, ['two'])], 14);
  assert.equal(p.tracks.length, 2);
});

test('invalid files are refused with the exact event', async () => {
  await assert.rejects(importProfile({ path: file('invalid/incomplete-trace.json') }), (e: unknown) => {
    assert.ok(e instanceof ProfileError && e.code === 'invalid');
    assert.match(e.message, /profile 0 \("p1"\): frame 0 \(A\) opened at 0 is never closed/);
    return true;
  });
  await assert.rejects(
    importProfile({ path: file('invalid/out-of-order-events.json') }),
    /event 6 closes frame 1 \(B\) at 4, but the innermost open frame is 0 \(A\) \(opened at 2\)/,
  );
});

function doc(profile: unknown, frames: unknown = [{ name: 'a' }]): Buffer {
  return Buffer.from(
    JSON.stringify({
      $schema: 'https://www.speedscope.app/file-format-schema.json',
      shared: { frames },
      profiles: [profile],
    }),
  );
}

test('broken documents get one-sentence reasons', async () => {
  const cases: Array<[Buffer, RegExp]> = [
    [doc({ type: 'sampled', unit: 'none', samples: [[0]], weights: [] }), /1 samples but 0 weights/],
    [
      doc({ type: 'sampled', unit: 'none', samples: [[3]], weights: [1] }),
      /sample 0 refers to frame 3, but there are 1 frames/,
    ],
    [doc({ type: 'weird', unit: 'none' }), /has type "weird"; expected "sampled" or "evented"/],
    [doc({ type: 'sampled', unit: 'furlongs', samples: [], weights: [] }), /unknown unit "furlongs"/],
    [
      doc({
        type: 'evented',
        unit: 'none',
        events: [
          { type: 'O', frame: 0, at: 5 },
          { type: 'C', frame: 0, at: 1 },
        ],
      }),
      /events out of order: event 1 at 1 comes after an event at 5/,
    ],
    [
      Buffer.from('{"$schema": "https://www.speedscope.app/file-format-schema.json", "shared": {'),
      /not valid JSON/,
    ],
  ];
  for (const [bytes, re] of cases)
    await assert.rejects(importProfile({ bytes, name: 's.json' }, { format: 'speedscope' }), re);
});

test('a speedscope file over the whole-parse limit is "too large"', async () => {
  const bytes = readFileSync(file('0.0.1/simple.speedscope.json'));
  await assert.rejects(importProfile({ bytes, name: 'big.json' }, { maxWholeBytes: 100 }), (e: unknown) => {
    assert.ok(e instanceof ProfileError && e.code === 'too-large');
    assert.match(
      e.message,
      /big\.json: speedscope JSON is parsed whole, and this one is larger than the 100 bytes limit/,
    );
    return true;
  });
});
