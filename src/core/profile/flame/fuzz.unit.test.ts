// Every importer against truncated, bit-flipped and wrong-format input: each run ends, quickly,
// in a consistent profile or a ProfileError written by us (not a JS TypeError leaking through).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importProfile } from './import';
import { ProfileError } from './errors';
import type { FlameFormat } from '../model';
import { FIXTURES, SPEEDSCOPE, treeProblems } from './test-support';

const FILES = [
  resolve(SPEEDSCOPE, 'Chrome/65/simple.cpuprofile'),
  resolve(SPEEDSCOPE, 'node/10.11.0/example.cpuprofile'),
  resolve(SPEEDSCOPE, 'node/10.11.0/Heap-20181003T105432.heapprofile'),
  resolve(SPEEDSCOPE, 'stackcollapse/simple.txt'),
  resolve(SPEEDSCOPE, 'linux-perf/simple.linux-perf.txt'),
  resolve(SPEEDSCOPE, 'pprof/simple.prof'),
  resolve(SPEEDSCOPE, 'speedscope/0.1.2/simple-sampled.speedscope.json'),
  resolve(SPEEDSCOPE, 'speedscope/0.0.1/simple.speedscope.json'),
  resolve(SPEEDSCOPE, 'trace-event/simple.json'),
  resolve(SPEEDSCOPE, 'trace-event/simple-with-samples.json'),
  resolve(SPEEDSCOPE, 'trace-event/hermes-multiple-frames.json'),
  resolve(FIXTURES, 'public/benfred-py-spy/images/flamegraph.svg'),
];
const FORMATS: FlameFormat[] = [
  'cpuprofile',
  'heapprofile',
  'collapsed',
  'perf-script',
  'speedscope',
  'chrome-trace',
  'pprof',
  'flamegraph-svg',
];
/** What a message we wrote never looks like. */
const LEAK =
  /Cannot read prop|is not a function|is not iterable|is not defined|of undefined|of null|Maximum call stack/;

function rng(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

async function check(bytes: Buffer, what: string, format?: FlameFormat): Promise<'ok' | 'error'> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after 10 s`)), 10000);
  });
  try {
    const p = await Promise.race([importProfile({ bytes, name: 'fuzz' }, format ? { format } : {}), hang]);
    assert.deepEqual(treeProblems(p), [], what);
    return 'ok';
  } catch (e) {
    if (!(e instanceof ProfileError))
      throw new Error(`${what}: ${e instanceof Error ? e.stack : String(e)}`, { cause: e });
    assert.doesNotMatch(e.message, LEAK, what);
    return 'error';
  } finally {
    clearTimeout(timer);
  }
}

test('truncated at random points', async () => {
  const r = rng(1);
  for (const f of FILES) {
    const bytes = readFileSync(f);
    for (let k = 0; k < 12; k++) {
      const cut = r(bytes.length);
      await check(bytes.subarray(0, cut), `${f} cut at ${cut}`);
    }
  }
});

test('bit-flipped', async () => {
  const r = rng(2);
  for (const f of FILES) {
    const original = readFileSync(f);
    for (let k = 0; k < 12; k++) {
      const bytes = Buffer.from(original);
      const flips = 1 + r(8);
      const at: number[] = [];
      for (let i = 0; i < flips; i++) {
        const pos = r(bytes.length);
        at.push(pos);
        bytes[pos] = (bytes[pos] as number) ^ (1 << r(8));
      }
      await check(bytes, `${f} flipped at ${at.join(',')}`);
    }
  }
});

test('read as every other format', async () => {
  for (const f of FILES) {
    const bytes = readFileSync(f);
    for (const format of FORMATS) await check(bytes, `${f} as ${format}`, format);
  }
});
