// The Results view's model fed by a real run: the Runner with the assess hook runs df and echo here,
// its events build the run the page shows (outcomes per step and run, findings, data).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assess } from '../../core/check/assess';
import { assessRunCommand } from '../../core/check/run-findings';
import { parseRunbook } from '../../core/runbook/parse';
import { Runner } from '../../core/run/runner';
import { MAX_RUNS, ResultsModel, pageData } from './results-model';

let dir = '';
before(() => (dir = mkdtempSync(join(tmpdir(), 'rb-results-model-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const BOOK = `# Host

## Disk

<!-- runbook: id=disk expect="disk.used_pct >= 0%: warning" -->
\`\`\`bash
df -h /
\`\`\`

## Hello

<!-- runbook: id=hello -->
\`\`\`bash
echo hello
\`\`\`

## Fixes

- Disk space filled by old logs → Rotate logs and clean up
`;

test('a run of two steps: per-step outcomes, the run rolls up the worst, findings carry causes', async () => {
  const file = join(dir, 'host.md');
  writeFileSync(file, BOOK);
  const runbook = parseRunbook(BOOK, { fileName: 'host.md' });
  const runner = new Runner({
    isTrusted: () => true,
    confirm: () => false,
    resolve: () => undefined,
    env: { PATH: process.env.PATH },
    assess: assessRunCommand,
  });
  const model = new ResultsModel();
  const handle = runner.start({ kind: 'runbook', runbook: { path: file, runbook } });
  model.start(handle.id, 'Host', runbook.title, Date.now());
  handle.onEvent((e) => model.apply(e));
  await handle.done;
  const t = model.get(handle.id)!;
  assert.equal(t.done, true);
  assert.equal(t.recognized, true);
  assert.deepEqual(
    t.run.steps.map((s) => [s.stepId, s.outcome]),
    [
      ['disk', 'warning'],
      ['hello', 'ok'],
    ],
  );
  assert.equal(t.run.outcome, 'warning');
  const df = t.run.steps[0]!.commands[0]!;
  assert.equal(df.recognizer, 'df');
  assert.ok(Array.isArray((df.data as { rows: unknown[] }).rows));
  const w = df.findings.find((f) => f.level === 'warning');
  assert.match(w?.label ?? '', /^\/ \(/, 'the finding names the row, for the chart');
  assert.equal(w?.causes[0]?.line, BOOK.split('\n').findIndex((l) => l.startsWith('- Disk space')) + 1);
  assert.deepEqual(JSON.parse(JSON.stringify(t.run)), t.run, 'plain JSON, as postMessage sends it');
  assert.deepEqual(model.list()[0], {
    id: handle.id,
    title: 'Host',
    outcome: 'warning',
    startedAt: t.run.startedAt,
  });
  assert.equal(model.latest(), t);
});

test('EXPLAIN data goes to the page without its raw JSON document', () => {
  const text = readFileSync(
    resolve(
      __dirname,
      '..',
      '..',
      '..',
      '..',
      'shared',
      'fixtures',
      'public',
      'dalibo-pev2',
      'src',
      'services',
      '__tests__',
      'cte-exclusive-time',
      '01.plan',
    ),
    'utf8',
  );
  const a = assess('EXPLAIN ANALYZE ...', text);
  assert.equal(a.recognizer, 'explain');
  const d = pageData(a) as Record<string, unknown>;
  assert.equal('document' in d, false);
  assert.ok('root' in d && 'slowest' in d);
  assert.equal(pageData(assess('echo', 'hi')), null);
});

test('events of runs it does not know are ignored; old runs fall off past MAX_RUNS', () => {
  const model = new ResultsModel();
  assert.equal(model.apply({ type: 'step-start', runId: 'nope', stepId: 's' }), undefined);
  for (let i = 0; i < MAX_RUNS + 5; i++) model.start(`r${i}`, `run ${i}`, 'book', i);
  assert.equal(model.list().length, MAX_RUNS);
  assert.equal(model.get('r0'), undefined);
  assert.equal(model.list()[0]?.id, `r${MAX_RUNS + 4}`);
  assert.equal(model.latest()?.run.id, `r${MAX_RUNS + 4}`, 'nothing recognized: the newest run');
});
