import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getHeapSnapshot } from 'node:v8';
import { detectFormat, FORMAT_NAMES, type ProfileFormatId } from './detect';
import { detectProfileFormat } from './flame/import';
import { ProfileError } from './flame/errors';
import { FIXTURES, SPEEDSCOPE } from './flame/test-support';

const pub = (...p: string[]): string => resolve(FIXTURES, 'public', ...p);
const MAT = pub('eclipse-mat-mat', 'plugins', 'org.eclipse.mat.tests', 'dumps');

const CASES: Array<[string, ProfileFormatId]> = [
  [resolve(SPEEDSCOPE, 'Chrome/65/simple.cpuprofile'), 'cpuprofile'],
  [resolve(SPEEDSCOPE, 'Chrome/65/sucrase.cpuprofile'), 'cpuprofile'],
  [resolve(SPEEDSCOPE, 'node/10.11.0/example.cpuprofile'), 'cpuprofile'],
  [resolve(SPEEDSCOPE, 'node/10.11.0/Heap-20181003T105432.heapprofile'), 'heapprofile'],
  [resolve(SPEEDSCOPE, 'Chrome/69/Heap-20181005T144546.heapprofile'), 'heapprofile'],
  [resolve(SPEEDSCOPE, 'Chrome/116/Trace-20230603T221323.json'), 'chrome-trace'],
  [resolve(SPEEDSCOPE, 'stackcollapse/simple.txt'), 'collapsed'],
  [resolve(SPEEDSCOPE, 'stackcollapse/perf-vertx-stacks-01-collapsed-all.txt'), 'collapsed'],
  [resolve(SPEEDSCOPE, 'linux-perf/simple.linux-perf.txt'), 'perf-script'],
  [resolve(SPEEDSCOPE, 'linux-perf/system-wide.linux-perf.txt'), 'perf-script'],
  [resolve(SPEEDSCOPE, 'pprof/simple.prof'), 'pprof'],
  [resolve(SPEEDSCOPE, 'speedscope/0.0.1/simple.speedscope.json'), 'speedscope'],
  [resolve(SPEEDSCOPE, 'speedscope/0.1.2/simple-sampled.speedscope.json'), 'speedscope'],
  [resolve(SPEEDSCOPE, 'speedscope/invalid/incomplete-trace.json'), 'speedscope'],
  [resolve(SPEEDSCOPE, 'trace-event/simple.json'), 'chrome-trace'],
  [resolve(SPEEDSCOPE, 'trace-event/simple-object.json'), 'chrome-trace'],
  [resolve(SPEEDSCOPE, 'trace-event/simple-partial.json'), 'chrome-trace'],
  [resolve(SPEEDSCOPE, 'trace-event/simple-with-samples.json'), 'chrome-trace'],
  [resolve(FIXTURES, 'gpu/torch.profiler.trace.json'), 'chrome-trace'],
  [resolve(FIXTURES, 'gpu/torch.profiler.stacks-cpu.txt'), 'collapsed'],
  [
    pub('pytorch-kineto/tb_plugin/samples/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz'),
    'chrome-trace',
  ],
  [pub('benfred-py-spy/images/flamegraph.svg'), 'flamegraph-svg'],
  [resolve(MAT, 'sun_jdk6_30_x64_compressedOops.hprof'), 'hprof'],
  [resolve(MAT, 'openjdk_jdk11_04_x64.hprof.gz'), 'hprof'],
];

test('every fixture is recognized by its content (gzip included)', async () => {
  for (const [path, format] of CASES) assert.equal(await detectProfileFormat({ path }), format, path);
});

test('the name does not decide: a collapsed file named .json is still collapsed stacks', async () => {
  const bytes = readFileSync(resolve(SPEEDSCOPE, 'stackcollapse/simple.txt'));
  assert.equal(await detectProfileFormat({ bytes, name: 'profile.json' }), 'collapsed');
});

test('a V8 heap snapshot from this process is a heapsnapshot', async () => {
  const stream = getHeapSnapshot();
  let head = Buffer.alloc(0);
  for await (const c of stream as AsyncIterable<Buffer>) {
    head = Buffer.concat([head, c]);
    if (head.length > 64 * 1024) break;
  }
  stream.destroy();
  assert.equal(detectFormat({ head }), 'heapsnapshot');
});

function unknownMessage(head: Buffer | string, name = 'x.bin'): string {
  try {
    detectFormat({ head: Buffer.from(head), complete: true, name });
  } catch (e) {
    assert.ok(e instanceof ProfileError);
    assert.equal(e.code, 'unknown-format');
    return e.message;
  }
  assert.fail('expected an unknown-format error');
}

test('unknown content names what was tried and how the file starts', () => {
  const mojo = readFileSync(pub('P403n1x87-austin-vscode/src/test/suite/data/test.mojo'));
  const msg = unknownMessage(mojo.subarray(0, 4096), 'test.mojo');
  for (const name of Object.values(FORMAT_NAMES)) assert.ok(msg.includes(name), `mentions ${name}`);
  assert.match(msg, /test\.mojo .*starts with bytes 4d 4f 4a/);
  assert.match(unknownMessage(''), /it is empty/);
  assert.match(
    unknownMessage('Hello, this is a README.\nNothing else.\n'),
    /starts with "Hello, this is a README/,
  );
  assert.match(
    unknownMessage(readFileSync(resolve(__dirname, '../../../package.json'))),
    /not a profile format/,
  );
  assert.match(unknownMessage(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3])), /bytes de ad be ef/);
});

test('an SVG that is not a flame graph says so', () => {
  const svg = readFileSync(resolve(__dirname, '../../../media/runbooks.svg'));
  assert.match(unknownMessage(svg, 'runbooks.svg'), /SVG image, but not a flame graph/);
});
