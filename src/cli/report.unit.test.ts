// `runbook report` over history written by a real `runbook run` of a small runbook: a check that
// turns critical with the runbook's fix, a Node CPU profile written by the step, a failing command
// whose output held a secret. Through runCli, and the usage errors through the bundled CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../core/run/history';
import { bundleCli } from '../../test/support/cli-bundle';
import { runCli } from './cli';
import type { RunCliIO } from './run';
import type { ReportCliIO } from './report';

const SECRET = 's3cret-Value-9137';
let dir: string;
let book: string;
let history: string;
let bundle: string;

const RUNBOOK = `# Checkout drill

## Diagnostics

<!-- runbook: id=mem title="Free memory" expect="memory.used_pct > 1%: critical" -->
\`\`\`bash
free -m
\`\`\`

<!-- runbook: id=cpu-profile title="CPU profile of a hot loop" effect=read -->
\`\`\`bash
node --cpu-prof --cpu-prof-dir=prof -e "let x = 0; for (let i = 0; i < 3e6; i++) x += Math.sqrt(i); console.log(x > 0)"
\`\`\`

<!-- runbook: id=login title="Log in | as the app" -->
\`\`\`bash
echo "connecting as app with $DB_PASSWORD"; echo "FATAL: password authentication failed for user app" >&2; exit 2
\`\`\`

## Common Causes and Fixes

- High memory usage from a leak → restart the service and capture a heap dump
`;

const ENV = (): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  HOME: dir,
  DB_PASSWORD: SECRET,
});

async function cli(
  args: string[],
  more: Partial<RunCliIO & ReportCliIO> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: RunCliIO & ReportCliIO = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive: false,
    env: ENV(),
    onInterrupt: () => () => undefined,
    ...more,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-cli-report-'));
  book = join(dir, 'drill.md');
  history = join(dir, 'history');
  writeFileSync(book, RUNBOOK);
  for (const step of ['mem', 'cpu-profile', 'login']) {
    const r = await cli(['run', book, '--step', step, '--yes', '--history-dir', history]);
    assert.equal(r.code, step === 'login' ? 1 : 0, `${step}: ${r.err}`);
  }
  bundle = join(dir, 'cli.js');
  await bundleCli(bundle);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the report of the last hour: critical check with its fix, the CPU profile, the failure, the note', async () => {
  const out = join(dir, 'report.md');
  const r = await cli([
    'report',
    '--history-dir',
    history,
    '--since',
    '1h',
    '--utc',
    '--title',
    'Checkout slow',
    '--note',
    'mem=Memory looked high on the canary',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /wrote .*report\.md \(3 step runs, overall critical\)/);
  const md = readFileSync(out, 'utf8');
  assert.match(md, /^# Checkout slow$/m);
  assert.match(md, /^\*\*Overall: ✖ critical\*\* \(1 critical finding, 1 failed command\)$/m);
  assert.match(md, /^- ✖ \*\*critical\*\*: host memory used [\d.]+% > 1% \(critical\)/m);
  const line = RUNBOOK.split('\n').findIndex((l) => l.startsWith('- High memory')) + 1;
  const fix = `(*Common Causes and Fixes*, [drill.md:${line}](drill.md#L${line}))`;
  assert.ok(
    md.includes(
      `  - Cause and fix: High memory usage from a leak → restart the service and capture a heap dump ${fix}`,
    ),
    md,
  );
  // Timeline in the order the steps ran.
  const rows = md.split('\n').filter((l) => /^\| \[\d\]/.test(l));
  assert.deepEqual(
    rows.map((l) => l.split(' | ').slice(2, 4).join(' | ')),
    [
      'Checkout drill › Free memory | ✖ critical',
      'Checkout drill › CPU profile of a hot loop | ✓ ok',
      'Checkout drill › Log in \\| as the app | ✗ failed',
    ],
  );
  assert.match(md, /\*\*Status:\*\* ✖ critical \(command ok\) in [\d.]+ m?s/);
  assert.match(md, /\*\*Status:\*\* ✗ failed \(exit 2\) in [\d.]+ m?s: exited with code 2/);
  // The profile Node wrote, linked with its real path and size.
  const profiles = readdirSync(join(dir, 'prof')).filter((f) => f.endsWith('.cpuprofile'));
  assert.equal(profiles.length, 1);
  const profile = join(dir, 'prof', profiles[0]!);
  assert.ok(
    md.includes(`**Captured CPU profile:** [${profiles[0]}](prof/${profiles[0]}) \`${profile}\``),
    md,
  );
  // The failed command: why, from its output, and the note on the memory step.
  assert.match(
    md,
    /\*\*Error output:\*\*\n\n```text\nFATAL: password authentication failed for user app\n```/,
  );
  assert.match(md, /^> \*\*Note:\*\* Memory looked high on the canary$/m);
  assert.match(md, /\*\*Key figures:\*\* host memory used [\d.]+%; host memory [\d.]+ [GM]iB/);
  assert.ok(!md.includes(SECRET));
  // Every output link points at a file that exists.
  const outputs = [...md.matchAll(/\*\*Full output:\*\* \[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.equal(outputs.length, 3);
  for (const rel of outputs) assert.ok(existsSync(join(dir, decodeURIComponent(rel))), rel);
});

test('a secret that reached history unmasked is masked in the report (Markdown and JSON)', async () => {
  const store = new HistoryStore(history);
  const [last] = await store.list({ limit: 1 });
  await store.append({
    ...last!,
    id: 'raw-secret',
    runId: 'zz-raw-run',
    startedAt: new Date().toISOString(),
    command: `psql "postgresql://app:${SECRET}@db/app" -c 'select 1'`,
    message: `failed with ${SECRET}`,
    outputFile: undefined,
  });
  for (const extra of [[], ['--json']]) {
    const r = await cli(['report', '--history-dir', history, '--run', 'zz-raw', ...extra]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!r.out.includes(SECRET), r.out);
    assert.match(r.out, /postgresql:\/\/app:\*\*\*\*@db\/app/);
  }
  const json = JSON.parse((await cli(['report', '--history-dir', history, '--run', 'zz-raw', '--json'])).out);
  assert.equal(json.counts.steps, 1);
  assert.equal(json.entries[0].commands[0].status, 'failed');
});

test('--json over everything since a time; an empty selection is a report that says so', async () => {
  const r = await cli(['report', '--history-dir', history, '--since', '2h', '--json']);
  assert.equal(r.code, 0, r.err);
  const model = JSON.parse(r.out);
  assert.equal(model.status, 'critical');
  assert.deepEqual(
    model.entries.slice(0, 3).map((e: { stepId: string; status: string }) => [e.stepId, e.status]),
    [
      ['mem', 'critical'],
      ['cpu-profile', 'ok'],
      ['login', 'failed'],
    ],
  );
  const later = new Date(Date.now() + 3 * 3_600_000);
  const none = await cli(['report', '--history-dir', history, '--since', '1h'], { now: () => later });
  assert.equal(none.code, 0);
  assert.match(none.out, /No runs were selected\./);
  assert.match(none.err, /no runs since .*; try --since 7d/);
});

test('bad arguments exit 2 with a clear message (bundled CLI)', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bundle, 'report', '--history-dir', history, ...args], { encoding: 'utf8' });
  for (const [args, msg] of [
    [['--since', 'yesterday'], /--since: cannot read "yesterday" as a time; use an ISO date/],
    [['--since'], /--since needs a value/],
    [['--run', 'no-such-run'], /no run "no-such-run" in .* Recent runs:\n {2}zz-raw-run/],
    [['--bogus'], /unknown option --bogus/],
    [['extra'], /unexpected argument "extra"/],
    [['--note', 'nothing'], /--note expects STEP=TEXT/],
    [['--since', '1h', '--note', 'nope=x'], /--note: no step "nope" among the selected runs/],
    [['--since', '1h', '--out', join(dir, 'missing', 'r.md')], /cannot write .*: its folder does not exist/],
  ] as const) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
  const help = spawnSync(process.execPath, [bundle, 'report', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--since TIME/);
  const md = run('--since', '1h');
  assert.equal(md.status, 0, md.stderr);
  assert.match(md.stdout, /^# Incident report: Checkout drill/);
});
