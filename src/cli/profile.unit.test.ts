// `runbook profile`: through runCli, and the bundled CLI in a child process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
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
  let r = await cli('profile', hprof);
  assert.equal(r.code, 2);
  assert.match(r.err, /is a Java \.hprof heap dump; heap formats are not supported by this command yet/);
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
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'cli', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'pg-native'],
    logLevel: 'silent',
  });
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
