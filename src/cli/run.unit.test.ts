// `runbook run` through runCli, on real runbook files and real processes. The end-to-end cases need
// the Markdown parser (issue 3) to produce steps; until it does they are skipped with that reason.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { allSteps } from '../core/runbook/model';
import { parseRunbook } from '../core/runbook/parse';
import { runCli } from './cli';
import type { RunCliIO } from './run';

let dir: string;
let book: string;
let marker: string;

const RUNBOOK = (markerPath: string): string => `# Demo runbook

## Checks

<!-- runbook: id=hello -->
\`\`\`bash
echo hello from $(basename "$PWD")
\`\`\`

<!-- runbook: id=proc -->
\`\`\`bash
ps -o pid= -p <pid>
\`\`\`

<!-- runbook: id=fails -->
\`\`\`bash
echo about to fail; exit 3
\`\`\`

## Fixes

<!-- runbook: id=make-marker -->
\`\`\`bash
touch ${markerPath}
\`\`\`
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-cli-run-'));
  book = join(dir, 'demo.md');
  marker = join(dir, 'marker');
  writeFileSync(book, RUNBOOK(marker));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], more: Partial<RunCliIO> = {}): Promise<Captured> {
  let out = '';
  let err = '';
  const io: RunCliIO = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive: false,
    env: { PATH: process.env.PATH, HOME: dir },
    onInterrupt: () => () => undefined,
    ...more,
  };
  const code = await runCli(['run', ...args, '--history-dir', join(dir, 'history')], io);
  return { code, out, err };
}

test('usage errors exit 2 with a message', async () => {
  for (const [args, msg] of [
    [[], /give a FILE/],
    [[book], /choose what to run/],
    [[book, '--step', 'a', '--all'], /choose what to run/],
    [[book, '--all', '--set', 'novalue'], /--set expects NAME=VALUE/],
    [[book, '--all', '--timeout', 'soon'], /--timeout expects a number/],
    [[book, '--all', '--frobnicate'], /unknown option --frobnicate/],
    [[join(dir, 'missing.md'), '--all'], /cannot read .*no such file/],
  ] as const) {
    const r = await cli([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, msg);
  }
});

test('an unknown step exits 2 naming the steps there are', async () => {
  const r = await cli([book, '--step', 'nope']);
  assert.equal(r.code, 2);
  assert.match(r.err, /no step "nope"/);
});

const parserReady = allSteps(parseRunbook(RUNBOOK('/tmp/x'), { fileName: 'demo.md' })).length >= 4;
const WAITING = 'the Markdown parser (issue 3) does not produce steps yet';

describe('runbook run end to end', { skip: parserReady ? false : WAITING }, () => {
  test('--step runs it in the runbook folder; --json has the documented shape', async () => {
    const r = await cli([book, '--step', 'hello', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as {
      step: string;
      status: string;
      commands: { text: string; status: string; exitCode: number; durationMs: number; output: string }[];
    };
    assert.equal(j.step, 'hello');
    assert.equal(j.status, 'ok');
    assert.equal(j.commands[0]!.text, 'echo hello from $(basename "$PWD")');
    assert.equal(j.commands[0]!.exitCode, 0);
    assert.equal(j.commands[0]!.output, `hello from ${dir.split('/').pop()}\n`);
    assert.equal(typeof j.commands[0]!.durationMs, 'number');
  });

  test('a missing placeholder exits 2 naming it, and nothing runs', async () => {
    const r = await cli([book, '--all']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no value for <pid>; give --set pid=VALUE/);
    assert.equal(existsSync(marker), false);
  });

  test('--set fills it; an invalid value is refused', async () => {
    const ok = await cli([book, '--step', 'proc', '--set', `pid=${process.pid}`, '--json']);
    assert.equal(ok.code, 0, ok.err);
    assert.match(JSON.parse(ok.out).commands[0].output, new RegExp(`${process.pid}`));
    const bad = await cli([book, '--step', 'proc', '--set', 'pid=1;id']);
    assert.equal(bad.code, 1);
    assert.match(bad.out + bad.err, /digits only/);
  });

  test('a failing step exits 1 and stops the run unless --keep-going', async () => {
    const r = await cli([book, '--section', 'Checks', '--set', `pid=${process.pid}`]);
    assert.equal(r.code, 1);
    assert.match(r.out, /✗ failed .*exited with code 3/);
    assert.equal(existsSync(marker), false);
    const all = await cli([book, '--all', '--set', `pid=${process.pid}`, '--yes', '--json']);
    assert.equal(all.code, 1);
    assert.deepEqual(
      (JSON.parse(all.out) as { status: string }[]).map((s) => s.status),
      ['ok', 'ok', 'failed', 'skipped'],
    );
    const going = await cli([book, '--all', '--set', `pid=${process.pid}`, '--yes', '--keep-going']);
    assert.equal(going.code, 1);
    assert.equal(existsSync(marker), true);
    rmSync(marker);
  });

  test('a write without --yes is refused with exit 3; with --yes it runs', async () => {
    const no = await cli([book, '--step', 'make-marker', '--json']);
    assert.equal(no.code, 3);
    assert.equal(JSON.parse(no.out).status, 'refused');
    assert.match(no.err, /without --yes/);
    assert.equal(existsSync(marker), false);
    const yes = await cli([book, '--step', 'make-marker', '--yes']);
    assert.equal(yes.code, 0, yes.err);
    assert.equal(existsSync(marker), true);
    rmSync(marker);
  });

  test('interactive: placeholders and confirmation are asked on the terminal', async () => {
    const stdin = new PassThrough();
    stdin.end(`abc\n${process.pid}\n`);
    const r = await cli([book, '--step', 'proc'], { interactive: true, stdin });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Value for <pid> \(pid\)/);
    assert.match(r.err, /digits only/);
    const no = new PassThrough();
    no.end('n\n');
    const refused = await cli([book, '--step', 'make-marker'], { interactive: true, stdin: no });
    assert.equal(refused.code, 3);
    assert.match(refused.err, /Run it\? \[y\/N\]/);
  });

  test('Ctrl+C cancels cleanly', async () => {
    const slow = join(dir, 'slow.md');
    writeFileSync(slow, '# Slow\n\n<!-- runbook: id=wait -->\n```bash\nsleep 300\n```\n');
    let cancel: () => void = () => undefined;
    const run = cli([slow, '--step', 'wait'], { onInterrupt: (c) => ((cancel = c), () => undefined) });
    await new Promise((r) => setTimeout(r, 500));
    cancel();
    const r = await run;
    assert.equal(r.code, 130);
    assert.match(r.out, /cancelled/);
  });

  test('history records each run with the command', async () => {
    await cli([book, '--step', 'hello']);
    const index = readFileSync(join(dir, 'history', 'index.jsonl'), 'utf8');
    assert.match(index, /"stepId":"hello"/);
  });
});
