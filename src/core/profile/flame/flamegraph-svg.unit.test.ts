import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importProfile } from './import';
import { frameFile, frameName, totalWeight } from '../model';
import { FIXTURES, pathOf, treeProblems } from './test-support';

const path = resolve(FIXTURES, 'public/benfred-py-spy/images/flamegraph.svg');

/** Every frame's title, read with a plain regex over the file. */
function titles(svg: string): Array<{ name: string; samples: number }> {
  return [...svg.matchAll(/<title>([^<]*) \(([\d,]+) samples, [\d.]+%\)<\/title>/g)].map((m) => ({
    name: (m[1] as string).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
    samples: Number((m[2] as string).replace(/,/g, '')),
  }));
}

test('py-spy flame graph SVG: frames, callers and sample counts read back from the SVG', async () => {
  const svg = readFileSync(path, 'utf8');
  const t = titles(svg);
  const p = await importProfile({ path });
  assert.equal(p.format, 'flamegraph-svg');
  assert.equal(p.unit, 'samples');
  assert.equal(totalWeight(p), t.find((x) => x.name === 'all')?.samples);
  // every frame of the SVG is a node whose total is its sample count
  const byText = new Map<string, number>();
  for (let i = 1; i < p.tree.length; i++) {
    const f = p.tree.frame[i] as number;
    const file = frameFile(p, f);
    const text = file ? `${frameName(p, f)} (${file}:${p.frames.line[f]})` : frameName(p, f);
    byText.set(text, (byText.get(text) ?? 0) + (p.tree.total[i] as number));
  }
  for (const x of t) if (x.name !== 'all') assert.equal(byText.get(x.name), x.samples, x.name);
  assert.deepEqual(pathOf(p, findNode(p, 'fit', 159)), ['<module>', 'calculate_similar_artists', 'fit']);
  assert.deepEqual(treeProblems(p), []);
});

function findNode(p: Awaited<ReturnType<typeof importProfile>>, name: string, line: number): number {
  for (let i = 1; i < p.tree.length; i++) {
    const f = p.tree.frame[i] as number;
    if (frameName(p, f) === name && p.frames.line[f] === line) return i;
  }
  return -1;
}

test('frames inside the embedded <script> are never read', async () => {
  const svg = readFileSync(path, 'utf8').replace(
    '<script type="text/ecmascript"><![CDATA[',
    '<script type="text/ecmascript"><![CDATA[ /* <g><title>injected (999999 samples, 100%)</title><rect x="10" y="52" width="1180" height="15"/></g> */',
  );
  const p = await importProfile({ bytes: Buffer.from(svg), name: 'x.svg' });
  assert.equal(totalWeight(p), 2893);
  for (let f = 0; f < p.frames.length; f++) assert.notEqual(frameName(p, f), 'injected');
});

test('a flame graph cut in the middle keeps the frames read so far; one without frames is an error', async () => {
  const svg = readFileSync(path, 'utf8');
  await assert.rejects(
    importProfile({ bytes: Buffer.from(svg.slice(0, svg.indexOf('<g id="frames">') + 20)), name: 'cut.svg' }),
    /cut\.svg: no flame graph frames/,
  );
  const half = await importProfile({
    bytes: Buffer.from(svg.slice(0, Math.floor(svg.length * 0.8))),
    name: 'half.svg',
  });
  assert.ok(half.tree.length > 1);
});
