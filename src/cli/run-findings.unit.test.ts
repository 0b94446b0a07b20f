// `runbook run` reports what the recognizers and checks made of each command: findings and data per
// command, the rolled-up level per step (real df, free and echo here), in JSON and in text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';
import type { RunCliIO } from './run';

let dir = '';
let book = '';

const RUNBOOK = `# Host checks

## Disk

<!-- runbook: id=disk expect="disk.used_pct >= 0%: warning" -->
\`\`\`bash
df -h /
\`\`\`

## Memory

<!-- runbook: id=memory -->
\`\`\`bash
free -m
echo done
\`\`\`

## Common Causes and Fixes

- Disk space filled by old logs → Rotate and compress logs, clean up temporary files
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-cli-findings-'));
  book = join(dir, 'host.md');
  writeFileSync(book, RUNBOOK);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: RunCliIO = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive: false,
    env: { PATH: process.env.PATH, HOME: dir },
    onInterrupt: () => () => undefined,
  };
  const code = await runCli(['run', book, ...args, '--history-dir', join(dir, 'history')], io);
  return { code, out, err };
}

interface CommandJson {
  text: string;
  recognizer: string | null;
  level: string | null;
  findings: {
    recognizer: string | null;
    level: string;
    message: string;
    causes?: { text: string; line?: number }[];
  }[];
  data: unknown;
}
interface StepJson {
  step: string;
  status: string;
  level: string | null;
  commands: CommandJson[];
}

test('--json: findings and data per command, the rolled-up level per step', async () => {
  const r = await cli(['--all', '--json']);
  assert.equal(r.code, 0, r.err);
  const [disk, memory] = JSON.parse(r.out) as StepJson[];
  assert.equal(disk?.level, 'warning');
  const df = disk!.commands[0]!;
  assert.equal(df.recognizer, 'df');
  assert.ok((df.data as { rows: { mount: string }[] }).rows.some((row) => row.mount === '/'));
  const w = df.findings.find((f) => f.level === 'warning');
  assert.equal(w?.recognizer, 'df');
  assert.match(w?.message ?? '', /^\/ \(.*\) disk used \d+(\.\d+)?% >= 0% \(warning\)$/);
  const line = RUNBOOK.split('\n').findIndex((l) => l.startsWith('- Disk space')) + 1;
  assert.deepEqual(
    w?.causes?.map((c) => c.line),
    [line],
    'diagnosed from the runbook\'s own "Common Causes and Fixes"',
  );

  // Two commands: free is recognized, echo is plain text; the step's level is free's.
  assert.equal(memory?.commands.length, 2);
  const free = memory!.commands[0]!;
  assert.deepEqual([memory!.commands[1]!.recognizer, memory!.commands[1]!.findings], [null, []]);
  assert.equal(free.recognizer, 'free');
  assert.ok(['ok', 'warning'].includes(free.level ?? ''), 'memory > 80% is the default warning');
  assert.equal(memory?.level, free.level);
  for (const f of free.findings)
    assert.deepEqual(Object.keys(f).slice(0, 3), ['recognizer', 'level', 'message']);
});

test('--step --json on output nobody recognizes: findings [], data null, level ok', async () => {
  const plain = join(dir, 'plain.md');
  writeFileSync(plain, '# Plain\n\n<!-- runbook: id=hello -->\n```bash\necho hello\n```\n');
  let out = '';
  const code = await runCli(['run', plain, '--step', 'hello', '--json', '--no-history'], {
    stdout: (s) => (out += s),
    stderr: () => undefined,
    interactive: false,
    env: { PATH: process.env.PATH },
    onInterrupt: () => () => undefined,
  } as RunCliIO);
  assert.equal(code, 0);
  const j = JSON.parse(out) as StepJson;
  assert.equal(j.level, 'ok');
  assert.deepEqual(
    [j.commands[0]!.recognizer, j.commands[0]!.findings, j.commands[0]!.data],
    [null, [], null],
  );
});

test('text: what was recognized, each finding under its command, causes with file:line, a checks summary', async () => {
  const r = await cli(['--step', 'disk']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^✓ ok \(.*\)\n {2}recognized: df \(1 row\)\n {2}⚠ .*\(warning\)$/m);
  assert.match(r.out, /^ {6}→ Disk space filled by old logs → .* \(host\.md:\d+\)$/m);
  assert.match(r.out, /\n1 ok; checks: 1 warning\n$/);
  const history = readFileSync(join(dir, 'history', 'index.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const rec = JSON.parse(history[history.length - 1]!) as { findings: { level: string; recognizer: string } };
  assert.deepEqual([rec.findings.recognizer, rec.findings.level], ['df', 'warning']);
});
