// `runbook steps`: through runCli, and through the bundled CLI in a child process (bundled here with
// the same esbuild options as scripts/build.mjs, so the test never depends on a stale dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleCli } from '../../test/support/cli-bundle';
import { runCli } from './cli';
import { stepsJson } from './steps';
import { parseRunbook } from '../core/runbook/parse';
import { allSteps } from '../core/runbook/model';

const ROOT = path.resolve(__dirname, '..', '..');
const SEED = path.resolve(ROOT, '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'runbooks');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

test('--json: one object per step in document order, with exactly the documented keys', async () => {
  const r = await cli('steps', SEED, '--json');
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  const steps = JSON.parse(r.out) as Record<string, unknown>[];
  const model = allSteps(parseRunbook(readFileSync(SEED, 'utf8')));
  assert.equal(steps.length, model.length);
  for (const s of steps) {
    assert.deepEqual(Object.keys(s), ['id', 'title', 'path', 'kind', 'language', 'line', 'commands']);
    for (const c of s.commands as Record<string, unknown>[])
      assert.deepEqual(Object.keys(c), ['text', 'line', 'placeholders', 'effect']);
  }
  const lines = steps.map((s) => s.line as number);
  assert.deepEqual(
    lines,
    [...lines].sort((a, b) => a - b),
  );
  assert.deepEqual(
    steps.find((s) => s.title === 'Generate heap dump for Java applications'),
    {
      id: 'common-issues-and-solutions/memory-leaks/diagnostic-commands/generate-heap-dump-for-java-applications',
      title: 'Generate heap dump for Java applications',
      path: ['Common Issues and Solutions', 'Memory Leaks', 'Diagnostic Commands'],
      kind: 'command',
      language: 'bash',
      line: 44,
      commands: [
        { text: 'jcmd <pid> GC.run_finalization', line: 45, placeholders: ['pid'], effect: 'write' },
        { text: 'jcmd <pid> VM.gc', line: 46, placeholders: ['pid'], effect: 'write' },
        {
          text: 'jmap -dump:format=b,file=heapdump.hprof <pid>',
          line: 47,
          placeholders: ['pid'],
          effect: 'write',
        },
      ],
    },
  );
  const manual = steps.find((s) => s.kind === 'manual')!;
  assert.deepEqual(manual.commands, []);
  assert.equal(manual.language, null);
});

test('placeholders are listed once per command even when repeated', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'steps-'));
  try {
    const file = path.join(dir, 'r.md');
    writeFileSync(file, '# R\n\n```bash\nkubectl logs <pod> && kubectl describe pod <pod> -n $NS\n```\n');
    const [step] = JSON.parse((await cli('steps', '--json', file)).out);
    assert.deepEqual(step.commands[0].placeholders, ['pod', 'NS']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the outline shows sections holding steps, steps with kind and line, commands with read/write', async () => {
  const r = await cli('steps', SEED);
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.equal(
    lines[0],
    'Production System Troubleshooting Guide  (000_58837c42b8b59d6d.txt: 36 steps, 17 commands, 12 write)',
  );
  assert.ok(lines.includes('    Memory Leaks'));
  assert.ok(lines.some((l) => l.startsWith('         >  Monitor memory usage  (line 40, ')));
  assert.ok(lines.includes('            $ kubectl top pods --sort-by=memory'));
  assert.ok(lines.includes('            ! jcmd <pid> VM.gc  {pid}'));
  assert.ok(lines.includes('            ! curl -X POST https://api.example.com/predict \\ …(+2 lines)'));
  assert.ok(
    lines.some((l) => l.startsWith('        [ ] Check load balancer metrics for traffic spikes  (line 13, ')),
  );
  // Sections with nothing to run or tick are left out of the outline.
  assert.ok(!lines.some((l) => l.trim() === 'Symptoms'));
});

test('a file with no steps is listed as such, exit 0', async () => {
  const r = await cli('steps', path.join(FIXTURES, 'not-a-runbook.md'));
  assert.equal(r.code, 0);
  assert.match(r.out, /^Project notes {2}\(not-a-runbook\.md: 0 steps, 0 commands, 0 write\)\n {2}no steps/);
  const j = await cli('steps', path.join(FIXTURES, 'not-a-runbook.md'), '--json');
  assert.equal(j.out, '[]\n');
});

test('parser diagnostics go to stderr as FILE:LINE and do not fail the command', async () => {
  const file = path.join(FIXTURES, 'edge-cases.md');
  const r = await cli('steps', file, '--json');
  assert.equal(r.code, 0);
  assert.ok(Array.isArray(JSON.parse(r.out)));
  assert.ok(r.err.includes(`${file}:25: warning: code block opened with \`\`\` is not closed`));
});

test('missing, unreadable or wrong arguments: exit 2 with a clear message', async () => {
  const missing = await cli('steps', 'no/such/runbook.md');
  assert.equal(missing.code, 2);
  assert.equal(missing.err, 'runbook steps: cannot read no/such/runbook.md: no such file\n');
  assert.equal(missing.out, '');
  const dir = await cli('steps', FIXTURES);
  assert.equal(dir.code, 2);
  assert.match(dir.err, /is a directory/);
  const none = await cli('steps');
  assert.equal(none.code, 2);
  assert.match(none.err, /^runbook steps: missing FILE/);
  const two = await cli('steps', SEED, SEED);
  assert.equal(two.code, 2);
  assert.match(two.err, /expected one FILE, got 2/);
  const flag = await cli('steps', SEED, '--yaml');
  assert.equal(flag.code, 2);
  assert.match(flag.err, /unknown option --yaml/);
  const help = await cli('steps', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: runbook steps FILE \[--json\]/);
});

test('permission denied is reported, not thrown', async (t) => {
  if (process.getuid?.() === 0) return t.skip('running as root: file permissions do not deny reads');
  const dir = mkdtempSync(path.join(tmpdir(), 'steps-'));
  try {
    const file = path.join(dir, 'secret.md');
    writeFileSync(file, '# x\n');
    chmodSync(file, 0o000);
    const r = await cli('steps', file);
    assert.equal(r.code, 2);
    assert.match(r.err, /permission denied/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- The bundled CLI in a child process -------------------------------------------------------------

let bundleDir = '';
let bundle = '';

before(async () => {
  bundleDir = mkdtempSync(path.join(tmpdir(), 'runbook-cli-'));
  bundle = path.join(bundleDir, 'cli.js');
  await bundleCli(bundle);
});

after(() => rmSync(bundleDir, { recursive: true, force: true }));

test('bundled CLI: --json on stdout, exit 0; missing file: message on stderr, exit 2', () => {
  const ok = spawnSync(process.execPath, [bundle, 'steps', SEED, '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), stepsJson(parseRunbook(readFileSync(SEED, 'utf8'))));
  const bad = spawnSync(process.execPath, [bundle, 'steps', 'missing.md'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, 'runbook steps: cannot read missing.md: no such file\n');
});

test('bundled CLI: reads a runbook from stdin with FILE -', () => {
  const r = spawnSync(process.execPath, [bundle, 'steps', '-', '--json'], {
    input: '# Disk\n\n```bash\ndf -h\n```\n',
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [
    {
      id: 'disk/disk',
      title: 'Disk',
      path: ['Disk'],
      kind: 'command',
      language: 'bash',
      line: 3,
      commands: [{ text: 'df -h', line: 4, placeholders: [], effect: 'read' }],
    },
  ]);
});
