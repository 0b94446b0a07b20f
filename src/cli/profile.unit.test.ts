// `runbook profile`: through runCli, and the bundled CLI in a child process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleCli } from '../../test/support/cli-bundle';
import { runCli } from './cli';

const ROOT = path.resolve(__dirname, '..', '..');
const PUB = path.resolve(ROOT, '..', 'shared', 'fixtures', 'public');
const SS = path.join(PUB, 'jlfwong-speedscope', 'sample', 'profiles');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

test('--json: format, kind, unit, total and the top functions by self, with the documented keys', async () => {
  const file = path.join(SS, 'stackcollapse', 'perf-vertx-stacks-01-collapsed-all.txt');
  const r = await cli('profile', file, '--json', '--top', '5');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    format: string;
    kind: string;
    unit: string;
    total: number;
    top: Array<Record<string, unknown>>;
    topByTotal: unknown[];
  };
  assert.equal(j.format, 'collapsed');
  assert.equal(j.kind, 'cpu');
  assert.equal(j.unit, 'samples');
  const counts = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => Number(/ (\d+)$/.exec(l)?.[1] ?? 0));
  assert.equal(
    j.total,
    counts.reduce((a, b) => a + b, 0),
  );
  assert.equal(j.top.length, 5);
  assert.deepEqual(Object.keys(j.top[0] ?? {}), ['name', 'file', 'line', 'self', 'total']);
  const selfs = j.top.map((t) => t.self as number);
  assert.deepEqual(
    selfs,
    [...selfs].sort((a, b) => b - a),
  );
  assert.equal(j.top[0]?.name, 'hypercall_page_[k]');
  assert.equal(j.topByTotal.length, 5);
});

test('text: the detected format, the total and both tables', async () => {
  const r = await cli('profile', path.join(SS, 'pprof', 'simple.prof'), '--top=3');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /simple\.prof: pprof \(protobuf\), cpu profile, total 1\.5 s/);
  assert.match(
    r.out,
    /Top 3 by self:\n\s+self\s+%\s+total\s+%\s+function\n\s*480 ms\s+32\.0%\s+480 ms\s+32\.0%\s+main\.alpha\s+\S+simple\.go:11/,
  );
  assert.match(r.out, /Top 3 by total:/);
});

test('heap dumps, unknown files, missing files and bad options: a message and exit 2', async () => {
  const hprof = path.join(
    PUB,
    'eclipse-mat-mat',
    'plugins',
    'org.eclipse.mat.tests',
    'dumps',
    'sun_jdk5_13_x32.hprof',
  );
  const garbage = path.join(mkdtempSync(path.join(tmpdir(), 'profile-cli-')), 'cut.hprof');
  writeFileSync(garbage, readFileSync(hprof).subarray(0, 5000));
  let r = await cli('profile', garbage);
  assert.equal(r.code, 2, 'a truncated heap dump is a clear error');
  assert.match(r.err, /truncated/);
  rmSync(path.dirname(garbage), { recursive: true, force: true });
  r = await cli('profile', path.join(ROOT, 'package.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /package\.json is not a profile format I know: .*Tried: V8 \.cpuprofile/);
  r = await cli('profile', '/nonexistent.cpuprofile');
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read \/nonexistent\.cpuprofile: no such file/);
  r = await cli('profile', path.join(SS, 'speedscope', 'invalid', 'incomplete-trace.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /frame 0 \(A\) opened at 0 is never closed/);
  r = await cli('profile', 'x', '--top', 'many');
  assert.equal(r.code, 2);
  assert.match(r.err, /--top needs a whole number of 1 or more, got "many"/);
  r = await cli('profile');
  assert.equal(r.code, 2);
  assert.match(r.err, /expected one FILE/);
});

let bundleDir = '';
let bundle = '';
before(async () => {
  bundleDir = mkdtempSync(path.join(tmpdir(), 'runbook-profile-'));
  bundle = path.join(bundleDir, 'cli.js');
  await bundleCli(bundle);
});
after(() => rmSync(bundleDir, { recursive: true, force: true }));

test('bundled CLI: a gzipped Kineto trace through the real binary', () => {
  const file = path.join(
    PUB,
    'pytorch-kineto',
    'tb_plugin',
    'samples',
    'resnet50_num_workers_0',
    'worker0.1623143089861.pt.trace.json.gz',
  );
  const r = spawnSync(process.execPath, [bundle, 'profile', file, '--json', '--top', '3'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { format: string; kind: string; unit: string; top: unknown[] };
  assert.deepEqual([j.format, j.kind, j.unit, j.top.length], ['chrome-trace', 'trace', 'microseconds', 3]);
  const bad = spawnSync(process.execPath, [bundle, 'profile', bundle], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not a profile format I know/);
});

test("a Java heap dump: the largest classes by shallow bytes, as in the dump's jmap histogram", async () => {
  const dumps = path.join(PUB, 'eclipse-mat-mat', 'plugins', 'org.eclipse.mat.tests', 'dumps');
  const r = await cli(
    'profile',
    path.join(dumps, 'sun_jdk6_30_x64_compressedOops.hprof'),
    '--json',
    '--top',
    '3',
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    format: string;
    kind: string;
    objects: number;
    top: { name: string; count: number; shallowBytes: number }[];
  };
  assert.equal(j.format, 'hprof');
  assert.equal(j.kind, 'heap');
  assert.equal(j.top.length, 3);
  // The notes file holds jmap's histogram of the same JVM: rank, instances, bytes, class ([C = char[]).
  const notes = readFileSync(path.join(dumps, 'sun_jdk6_30_x64_compressedOops.notes.txt'), 'utf8');
  const jmap = (cls: string): [number, number] => {
    const m = new RegExp(`^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+${cls.replace(/[[\]]/g, '\\$&')}$`, 'm').exec(
      notes,
    );
    assert.ok(m, `${cls} in the notes`);
    return [Number(m[1]), Number(m[2])];
  };
  assert.deepEqual([j.top[0]!.name, j.top[0]!.count, j.top[0]!.shallowBytes], ['char[]', ...jmap('[C')]);
  assert.deepEqual([j.top[1]!.name, j.top[1]!.count, j.top[1]!.shallowBytes], ['byte[]', ...jmap('[B')]);
  const text = await cli('profile', path.join(dumps, 'sun_jdk6_30_x64_compressedOops.hprof'), '--top', '2');
  assert.equal(text.code, 0);
  assert.match(text.out, /hprof heap dump, 4,351 objects/);
  assert.match(text.out, /842 +111\.5 KiB +\S+ +\S+ +char\[\]/);
});
