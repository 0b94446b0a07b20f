// `runbook recognize` through runCli and through a bundled CLI in a child process, on real captured
// output (shared/fixtures/gpu) and on output of real tools run here (df, ps).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { bundleCli } from '../../test/support/cli-bundle';
import { runCli } from './cli';
import type { RecognizeIO } from './recognize';

const repo = resolve(__dirname, '..', '..');
const GPU = resolve(repo, '..', 'shared', 'fixtures', 'gpu');
const SEED = resolve(repo, '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt');

let dir = '';
let bundle = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-cli-recognize-'));
  // The CLI as scripts/build.mjs bundles it (one CommonJS file for Node), built from the sources
  // under test so the child process runs this code, not a stale dist/.
  bundle = join(dir, 'cli.js');
  await bundleCli(bundle);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdinText?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: RecognizeIO = { stdout: (s) => (out += s), stderr: (s) => (err += s) };
  if (stdinText !== undefined) {
    const stdin = new PassThrough();
    stdin.end(stdinText);
    io.stdin = stdin;
  }
  const code = await runCli(['recognize', ...args], io);
  return { code, out, err };
}

/** A capture without its `$ command` first line and `[exit N]` last line, saved as the tool printed it. */
function capture(name: string): string {
  const text = execFileSync('sed', ['1{/^\\$ /d}; ${/^\\[exit [0-9]*\\]$/d}', join(GPU, name)], {
    encoding: 'utf8',
  });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('nvidia-smi table from a file: JSON with the recognizer, typed data and ok findings', async () => {
  const r = await cli(['--command', 'nvidia-smi', capture('nvidia-smi.busy.txt'), '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    recognizer: string;
    data: { gpus: { memoryUsedBytes: number; memoryTotalBytes: number }[] };
    findings: { recognizer: string; level: string; message: string }[];
    figures: { figure: string; values: { label: string; value: number | string }[] }[];
  };
  assert.equal(j.recognizer, 'nvidia-smi');
  // The figures an author can name in expect= come with their values.
  const used = j.figures.find((f) => f.figure === 'gpu.memory.used_pct');
  assert.ok(used, `figures: ${j.figures.map((f) => f.figure).join(', ')}`);
  assert.equal(used.values.length, 1);
  assert.ok(
    Math.abs(Number(used.values[0]!.value) - (100 * 41843) / 143771) < 0.1,
    `value ${used.values[0]!.value}`,
  );
  assert.equal(j.data.gpus.length, 1);
  assert.equal(j.data.gpus[0]!.memoryUsedBytes, 41843 * 2 ** 20);
  assert.ok(j.findings.length > 0);
  assert.ok(j.findings.every((f) => f.recognizer === 'nvidia-smi' && f.level === 'ok'));
});

test('a check from --expect and causes from --runbook: critical, with the seed fix', async () => {
  const r = await cli([
    capture('nvidia-smi.query-gpu.busy.csv.txt'),
    '--command',
    'nvidia-smi --query-gpu=index,memory.used --format=csv',
    '--expect',
    'gpu.memory.used_pct > 25%: critical',
    '--runbook',
    SEED,
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    level: string;
    findings: { level: string; message: string; causes?: { text: string; line?: number }[] }[];
  };
  assert.equal(j.level, 'critical');
  const f = j.findings.find((x) => x.level === 'critical');
  assert.match(f?.message ?? '', /memory used 29(\.\d)?% > 25% \(critical\)/);
  assert.ok(f?.causes?.length, 'diagnosed from the seed runbook');
  const text = await cli([
    capture('nvidia-smi.query-gpu.busy.csv.txt'),
    '--expect',
    'gpu.memory.used_pct > 25%: critical',
    '--runbook',
    SEED,
  ]);
  assert.match(text.out, /^recognized: /m);
  assert.match(text.out, /^✖ .*> 25% \(critical\)$/m);
  assert.match(text.out, /^ {4}→ .*\(000_58837c42b8b59d6d\.txt:\d+\)$/m);
  assert.match(text.out, /^level: critical$/m);
});

test('a CUDA out of memory traceback on standard input is a known failure', async () => {
  const oom = execFileSync('sed', ['1{/^\\$ /d}', join(GPU, 'torch.cuda-oom.txt')], { encoding: 'utf8' });
  const r = await cli(['-', '--json'], oom);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { recognizer: string; level: string; findings: { message: string }[] };
  assert.equal(j.recognizer, 'failures');
  assert.equal(j.level, 'critical');
  assert.match(j.findings[0]!.message, /CUDA out of memory/);
});

test('output nobody recognizes: exit 0, recognizer null, said plainly without --json', async () => {
  const j = await cli(['--command', 'echo hi', '--json'], 'hi there\n');
  assert.equal(j.code, 0);
  assert.deepEqual(JSON.parse(j.out), {
    recognizer: null,
    title: null,
    data: null,
    level: 'ok',
    findings: [],
    diagnostics: [],
    figures: [],
  });
  const t = await cli(['--command', 'echo hi'], 'hi there\n');
  assert.equal(t.code, 0);
  assert.equal(t.out, 'not recognized: the output stays plain text\n');
});

test('usage errors and unreadable input exit 2 with a message', async () => {
  for (const [args, msg] of [
    [['--frobnicate'], /unknown option --frobnicate/],
    [['--command'], /--command needs a value/],
    [['a', 'b'], /one FILE only/],
    [[join(dir, 'missing.txt')], /cannot read .*missing\.txt: no such file/],
    [[dir], /cannot read .*: is a directory/],
    [['-', '--runbook', join(dir, 'nope.md')], /cannot read the runbook .*no such file/],
  ] as const) {
    const r = await cli([...args], '');
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}`);
    assert.match(r.err, msg);
  }
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: runbook recognize/);
});

test('the bundled CLI in a child process: df -h output of this machine piped in', () => {
  const df = execFileSync('df', ['-h'], { encoding: 'utf8' });
  const r = spawnSync(process.execPath, [bundle, 'recognize', '--command', 'df -h', '--json'], {
    input: df,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { recognizer: string; data: { rows: { mount: string }[] } };
  assert.equal(j.recognizer, 'df');
  assert.ok(j.data.rows.some((row) => row.mount === '/'));
  const none = spawnSync(process.execPath, [bundle, 'recognize'], {
    input: 'nothing to see\n',
    encoding: 'utf8',
  });
  assert.equal(none.status, 0);
  assert.match(none.stdout, /not recognized/);
  const bad = spawnSync(process.execPath, [bundle, 'recognize', join(dir, 'missing.txt')], {
    encoding: 'utf8',
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no such file/);
});
