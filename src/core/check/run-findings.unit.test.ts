import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRunbook } from '../runbook/parse';
import { allSteps, type Step } from '../runbook/model';
import type { CommandResult } from '../run/runner';
import type { SqlResultSet } from '../run/sql';
import { worst } from './status';
import { gpuCapture } from '../recognize/fixtures/load';
import {
  assessCommand,
  assessRunCommand,
  headline,
  queryInputs,
  runbookCauses,
  stepLevel,
  stepOutcome,
  storedFindings,
} from './run-findings';

const seed = parseRunbook(
  readFileSync(
    resolve(__dirname, '..', '..', '..', '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt'),
    'utf8',
  ),
);
const causes = runbookCauses(seed);
const seedStep = (text: string): Step => {
  const s = allSteps(seed).find((x) => x.commands.some((c) => c.text.includes(text)));
  assert.ok(s, `the seed has a step running ${text}`);
  return s;
};

function result(more: Partial<CommandResult>): CommandResult {
  return {
    index: 0,
    kind: 'command',
    text: 'true',
    status: 'ok',
    exitCode: 0,
    startedAt: new Date(0).toISOString(),
    durationMs: 120,
    output: '',
    ...more,
  };
}

const bare = (id: string, more: Partial<Step> = {}): Step => ({
  id,
  title: id,
  kind: 'command',
  language: 'bash',
  line: 1,
  endLine: 1,
  commands: [],
  annotations: {},
  path: [],
  ...more,
});

test('a failing torch.load on a corrupt checkpoint (real capture): critical, with the seed fix', () => {
  const cap = gpuCapture('torch.load.corrupt.txt');
  const step = seedStep('torch.load');
  const a = assessCommand(
    result({ text: step.commands[0]!.text, output: cap.output, status: 'failed', exitCode: cap.exit }),
    step,
    causes,
  );
  assert.equal(a?.recognizer, 'failures');
  assert.equal(a?.level, 'critical');
  assert.equal(a?.findings[0]?.causes[0]?.text, 'Model file corruption or version mismatch');
  // The step fails and is critical: critical wins (a known failure is worse than "it failed").
  assert.equal(stepOutcome('failed', stepLevel([a])), 'critical');
});

test('refused and cancelled commands are not judged; an unrecognized output is ok with no data', () => {
  assert.equal(assessCommand(result({ status: 'refused' }), bare('s'), causes), null);
  assert.equal(
    assessCommand(result({ status: 'cancelled', output: 'CUDA out of memory' }), bare('s'), causes),
    null,
  );
  const plain = assessCommand(result({ output: 'hello\n' }), bare('s'), causes);
  assert.deepEqual([plain?.recognizer, plain?.data, plain?.level, plain?.findings], [null, null, 'ok', []]);
});

test('runner figures: an author can check run.duration and run.exit_code', () => {
  const s = bare('slow', {
    annotations: { expect: ['run.duration > 2s: warning, > 5s: critical; run.exit_code != 0'] },
  });
  const a = assessCommand(result({ durationMs: 2500, exitCode: 3, status: 'failed' }), s, causes);
  assert.deepEqual(
    a?.findings.map((f) => [f.metric, f.level, f.message]),
    [
      ['run.duration', 'warning', 'run duration 2.5 s > 2 s (warning)'],
      ['run.exit_code', 'warning', 'run exit code 3 != 0 (warning)'],
    ],
  );
  assert.deepEqual(a?.diagnostics, []);
});

const set = (command: string, columns: string[], rows: unknown[][]): SqlResultSet => ({
  command,
  rowCount: rows.length,
  columns: columns.map((name) => ({ name, type: 'int4' })),
  rows,
  truncated: false,
});

test('query steps: result sets without columns are skipped; the first recognized set is judged', () => {
  const sets = [
    set('BEGIN', [], []),
    set('SELECT', ['x'], [[1]]),
    set('SELECT', ['used', 'max_connections'], [[38, 40]]),
  ];
  assert.deepEqual(queryInputs(sets), [
    { columns: ['x'], rows: [[1]] },
    { columns: ['used', 'max_connections'], rows: [[38, 40]] },
  ]);
  const a = assessCommand(
    result({
      kind: 'query',
      text: 'SELECT count(*) AS used ...',
      exitCode: null,
      sql: { results: sets, rolledBack: false },
    }),
    bare('conn'),
    causes,
  );
  assert.equal(a?.recognizer, 'pg-connections');
  assert.equal(a?.level, 'critical');
  const f = headline(a?.findings ?? []);
  assert.equal(f?.message, 'database server connections used 95% > 90% (critical)');
  assert.match(f?.causes[0]?.text ?? '', /^Database connection exhaustion/);
});

test("a query refused by the server (pg's own message) is a known failure, diagnosed", () => {
  const a = assessCommand(
    result({
      kind: 'query',
      text: 'SELECT 1',
      status: 'error',
      exitCode: null,
      message: 'sorry, too many clients already',
      sql: { results: [], rolledBack: false },
    }),
    bare('q'),
    causes,
  );
  assert.equal(a?.recognizer, 'failures');
  assert.equal(a?.level, 'critical');
  assert.match(a?.findings[0]?.causes[0]?.text ?? '', /^Database connection exhaustion/);
});

test('the runner hook uses the runbook of the run; stored findings drop the data and stay JSON', () => {
  const cap = gpuCapture('nvidia-smi.busy.txt');
  const step = seedStep('nvidia-smi');
  const a = assessRunCommand(result({ text: 'nvidia-smi', output: cap.output }), step, {
    path: '/x.md',
    runbook: seed,
  });
  assert.equal(a?.recognizer, 'nvidia-smi');
  const stored = storedFindings(a!);
  assert.equal('data' in stored, false);
  assert.deepEqual(JSON.parse(JSON.stringify(stored)), stored);
  assert.equal(runbookCauses(seed), causes, 'computed once per runbook');
});

test('step levels and outcomes: the worst level, joined with how the step ended', () => {
  assert.equal(stepLevel([]), undefined);
  assert.equal(stepLevel([null, undefined]), undefined);
  assert.equal(stepLevel([{ level: 'ok' }, { level: 'warning' }, null]), 'warning');
  const table: [Parameters<typeof stepOutcome>[0], Parameters<typeof stepOutcome>[1], string][] = [
    ['ok', undefined, 'ok'],
    ['ok', 'ok', 'ok'],
    ['ok', 'warning', 'warning'],
    ['ok', 'critical', 'critical'],
    ['failed', undefined, 'failed'],
    ['failed', 'warning', 'failed'],
    ['timeout', 'critical', 'critical'],
    ['error', undefined, 'failed'],
    ['output-limit', 'ok', 'failed'],
    ['cancelled', 'critical', 'cancelled'],
    ['refused', undefined, 'refused'],
    ['skipped', undefined, 'not-run'],
    ['queued', undefined, 'not-run'],
  ];
  for (const [status, level, want] of table)
    assert.equal(stepOutcome(status, level), want, `${status} + ${level}`);
});

test('a refused step (not confirmed, untrusted) is its own outcome: below cancelled, above ok', () => {
  assert.equal(stepOutcome('refused'), 'refused');
  assert.notEqual(stepOutcome('refused'), stepOutcome('cancelled'));
  // A section with an ok step and a refused one is not all-clear; a cancel elsewhere outranks it.
  assert.equal(worst([stepOutcome('ok'), stepOutcome('refused')]), 'refused');
  assert.equal(worst([stepOutcome('refused'), stepOutcome('cancelled')]), 'cancelled');
  assert.equal(worst([stepOutcome('refused'), stepOutcome('ok', 'warning')]), 'warning');
});

test('headline: the first finding of the worst level; none when all are ok', () => {
  const f = (level: 'ok' | 'warning' | 'critical', message: string) => ({ level, message });
  assert.equal(headline([f('ok', 'a'), f('ok', 'b')]), undefined);
  assert.equal(
    headline([f('warning', 'w1'), f('critical', 'c1'), f('critical', 'c2'), f('warning', 'w2')])?.message,
    'c1',
  );
});
