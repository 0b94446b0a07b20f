// The runner end to end on real processes (and a real PostgreSQL for query steps).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runbook, Step } from '../runbook/model';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../../../test/support/postgres';
import { HistoryStore } from './history';
import { MASK } from './mask';
import {
  CANCELLED_ASKING,
  Runner,
  type ConfirmRequest,
  type PlaceholderRequest,
  type RunEvent,
  type RunbookRef,
  type RunnerOptions,
} from './runner';
import { command, step } from './test-support';
import { assessRunCommand } from '../check/run-findings';
import { Variables } from './variables';

let dir: string;
let book: string;
before(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'rb-runner-')));
  mkdirSync(join(dir, 'docs'));
  book = join(dir, 'docs', 'guide.md');
  writeFileSync(book, '# guide\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const ref = (steps: Step[]): RunbookRef => ({
  path: book,
  runbook: { title: 'Guide', sections: [], steps, frontMatter: {}, diagnostics: [] } satisfies Runbook,
});

interface Calls {
  resolve: PlaceholderRequest[];
  confirm: ConfirmRequest[];
}

function runner(
  more: Partial<RunnerOptions> = {},
  answers: Record<string, string> = {},
  confirmWith = true,
): { r: Runner; calls: Calls } {
  const calls: Calls = { resolve: [], confirm: [] };
  const r = new Runner({
    isTrusted: () => true,
    confirm: (req) => {
      calls.confirm.push(req);
      return confirmWith;
    },
    resolve: (req) => {
      calls.resolve.push(req);
      return answers[req.name];
    },
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    graceMs: 300,
    ...more,
  });
  return { r, calls };
}

test('a step streams events in order, records results, history and output files', async () => {
  const history = new HistoryStore(join(dir, 'hist-1'));
  const { r } = runner({ history });
  const s = step('s1', ['echo one', 'echo two >&2; exit 0']);
  const h = r.start({ kind: 'step', runbook: ref([s]), step: s });
  const events: RunEvent['type'][] = [];
  h.onEvent((e) => events.push(e.type));
  assert.equal(h.status, 'running');
  const res = await h.done;
  assert.equal(res.status, 'ok');
  assert.equal(h.status, 'ok');
  assert.deepEqual(events, [
    'step-start',
    'command-start',
    'output',
    'command-end',
    'command-start',
    'output',
    'command-end',
    'step-end',
    'run-end',
  ]);
  const recs = await history.list();
  assert.equal(recs.length, 2);
  assert.equal(recs[0]!.command, 'echo two >&2; exit 0');
  assert.equal(recs[1]!.status, 'ok');
  assert.equal(await history.readOutput(recs[1]!), 'one\n');
  assert.equal(recs[0]!.runId, res.runId);
});

test('the assess hook judges each command before its history record is written', async () => {
  const history = new HistoryStore(join(dir, 'hist-assess'));
  const seen: string[] = [];
  const { r } = runner({
    history,
    assess: (result, s, book) => {
      seen.push(`${s.id}:${result.index}:${result.status}:${book.runbook.title}`);
      return assessRunCommand(result, s, book);
    },
  });
  const s = step('disk', ['df -h /', 'echo plain words'], {
    annotations: { expect: ['disk.used_pct >= 0%: warning'] },
  });
  const res = await r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.deepEqual(seen, ['disk:0:ok:Guide', 'disk:1:ok:Guide']);
  const [df, plain] = res.steps[0]!.commands;
  assert.equal(df?.assessment?.recognizer, 'df');
  assert.equal(df?.assessment?.level, 'warning', 'any disk is at least 0% used');
  assert.ok(Array.isArray((df?.assessment?.data as { rows: unknown[] }).rows));
  assert.equal(plain?.assessment?.recognizer, null);
  const recs = await history.list();
  const stored = recs.find((x) => x.commandIndex === 0)?.findings as Record<string, unknown>;
  assert.equal(stored['recognizer'], 'df');
  assert.equal(stored['level'], 'warning');
  assert.equal('data' in stored, false, 'history keeps findings, not the recognized data');
});

test('a throwing assess hook loses neither the run nor its history', async () => {
  const history = new HistoryStore(join(dir, 'hist-assess-throw'));
  const { r } = runner({
    history,
    assess: () => {
      throw new Error('bug in a recognizer');
    },
  });
  const s = step('s', ['echo fine']);
  const res = await r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(res.status, 'ok');
  assert.equal(res.steps[0]!.commands[0]!.assessment, undefined);
  const recs = await history.list();
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.findings, null);
});

test('the working directory is the runbook folder unless the step says otherwise', async () => {
  const { r } = runner();
  mkdirSync(join(dir, 'docs', 'sub'), { recursive: true });
  const a = step('a', ['pwd']);
  const b = step('b', ['pwd'], { annotations: { cwd: 'sub' } });
  const c = step('c', ['import os; print(os.getcwd())'], { kind: 'script', language: 'python' });
  const res = await r.run({ kind: 'steps', runbook: ref([a, b, c]), steps: [a, b, c] });
  assert.deepEqual(
    res.steps.map((s) => s.commands[0]!.output),
    [`${dir}/docs\n`, `${dir}/docs/sub\n`, `${dir}/docs\n`],
  );
});

test('a run stops at the first failure unless keepGoing', async () => {
  const steps = [step('a', ['true']), step('b', ['exit 4']), step('c', ['echo c'])];
  const { r } = runner();
  const stop = await r.run({ kind: 'runbook', runbook: ref(steps) });
  assert.equal(stop.status, 'failed');
  assert.deepEqual(
    stop.steps.map((s) => s.status),
    ['ok', 'failed', 'skipped'],
  );
  assert.equal(stop.steps[1]!.message, 'exited with code 4');
  const go = await r.run({ kind: 'runbook', runbook: ref(steps) }, { keepGoing: true });
  assert.deepEqual(
    go.steps.map((s) => s.status),
    ['ok', 'failed', 'ok'],
  );
});

test('placeholders: asked once per name, validated, passed as data, shown in place', async () => {
  const { r, calls } = runner({}, { pid: String(process.pid), pattern: "it's; $(id)" });
  const s = step('p', ['echo <pid> "<pattern>"', 'printf "%s|" <pid> <pattern>']);
  const res = await r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(res.status, 'ok', res.steps[0]!.message);
  assert.deepEqual(
    calls.resolve.map((c) => [c.name, c.type]),
    [
      ['pid', 'pid'],
      ['pattern', 'text'],
    ],
  );
  assert.equal(
    calls.resolve[0]!.validate('12x'),
    'pid: a process id is a positive whole number (digits only), got "12x"',
  );
  assert.equal(res.steps[0]!.commands[0]!.output, `${process.pid} it's; $(id)\n`);
  assert.equal(res.steps[0]!.commands[1]!.output, `${process.pid}|it's; $(id)|`);
  assert.equal(res.steps[0]!.commands[1]!.text, `printf "%s|" ${process.pid} 'it'\\''s; $(id)'`);
});

test('a missing or invalid value: nothing runs, the message names it', async () => {
  const marker = join(dir, 'should-not-exist');
  const s = step('m', [`touch ${marker}`, 'kill -0 <pid> <other>']);
  const none = await runner().r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(none.status, 'error');
  assert.deepEqual(none.steps[0]!.missing, ['pid', 'other']);
  assert.match(none.steps[0]!.message!, /no value for <pid>, <other>/);
  const bad = await runner({}, { pid: '1; rm -rf /', other: 'x' }).r.run({
    kind: 'step',
    runbook: ref([s]),
    step: s,
  });
  assert.equal(bad.status, 'error');
  assert.match(bad.steps[0]!.message!, /digits only/);
  assert.equal(existsSync(marker), false);
});

test('variables: ::set lines and set= annotations fill later placeholders without asking', async () => {
  const variables = new Variables();
  const { r, calls } = runner({ variables });
  const steps = [
    step('find', ['echo looking; echo "::set POD_NAME=web-7"']),
    step('count', ['printf "a\\nb\\n42\\n\\n"'], { annotations: { extra: { set: 'COUNT' } } }),
    step('port', ['echo "listening on :8080"'], { annotations: { extra: { set: 'PORT=/on :(\\d+)/' } } }),
    step('use', ['echo <pod-name> {{count}} $PORT']),
  ];
  const seen: string[] = [];
  const h = r.start({ kind: 'runbook', runbook: ref(steps) });
  h.onEvent((e) => e.type === 'variable' && seen.push(`${e.name}=${e.value}`));
  const res = await h.done;
  assert.equal(res.status, 'ok', JSON.stringify(res.steps.map((s) => s.message)));
  assert.deepEqual(seen, ['POD_NAME=web-7', 'COUNT=42', 'PORT=8080']);
  assert.equal(res.steps[3]!.commands[0]!.output, 'web-7 42 8080\n');
  assert.equal(calls.resolve.length, 0);
  assert.deepEqual(
    variables.list().map((v) => [v.name, v.value, v.source]),
    [
      ['COUNT', '42', 'step:count'],
      ['POD_NAME', 'web-7', 'step:find'],
      ['PORT', '8080', 'step:port'],
    ],
  );
  variables.set('pod_name', 'web-9');
  const again = await r.run({ kind: 'step', runbook: ref(steps), step: steps[3]! });
  assert.equal(again.steps[0]!.commands[0]!.output, 'web-9 42 8080\n');
});

test('writes need confirmation showing the exact command; refused ones do not run', async () => {
  const marker = join(dir, 'written');
  const s = step('w', [command(`touch ${marker} # <note>`, 'write'), 'echo after']);
  const no = runner({}, {}, false);
  const res = await no.r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(res.status, 'refused');
  assert.equal(res.steps[0]!.commands.length, 1);
  assert.match(res.steps[0]!.commands[0]!.message!, /not confirmed/);
  assert.equal(no.calls.confirm[0]!.command, `touch ${marker} # <note>`);
  assert.equal(existsSync(marker), false);
  const yes = runner();
  const ok = await yes.r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(ok.status, 'ok');
  assert.equal(existsSync(marker), true);
  const annotated = step('c', ['echo hi'], { annotations: { confirm: true } });
  const asked = runner({}, {}, false);
  assert.equal(
    (await asked.r.run({ kind: 'step', runbook: ref([annotated]), step: annotated })).status,
    'refused',
  );
  assert.match(asked.calls.confirm[0]!.reason, /asks for confirmation/);
});

test('untrusted: nothing is asked, confirmed or spawned', async () => {
  const marker = join(dir, 'untrusted');
  const s = step('u', [command(`touch ${marker} <x>`, 'write')]);
  const { r, calls } = runner({ isTrusted: () => false });
  const res = await r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(res.status, 'refused');
  assert.match(res.steps[0]!.message!, /not trusted/);
  assert.equal(calls.resolve.length + calls.confirm.length, 0);
  assert.equal(existsSync(marker), false);
});

test('cancel stops the running step and marks the rest cancelled; runs are independent', async () => {
  const { r } = runner();
  const steps = [step('long', ['sleep 300']), step('next', ['echo next'])];
  const quick = step('quick', ['echo quick']);
  const h1 = r.start({ kind: 'runbook', runbook: ref(steps) });
  const h2 = r.start({ kind: 'step', runbook: ref([quick]), step: quick });
  assert.equal(r.running().length, 2);
  assert.equal((await h2.done).status, 'ok');
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(h1.steps.get('long'), 'running');
  assert.equal(h1.status, 'running');
  h1.cancel();
  const res = await h1.done;
  assert.deepEqual(
    res.steps.map((s) => s.status),
    ['cancelled', 'cancelled'],
  );
  assert.equal(r.running().length, 0);
});

test('a cancel while a prompt or the confirmation is open ends the step as cancelled, nothing runs', async () => {
  const marker = join(dir, 'cancelled-at-prompt');
  // The extension closes the input box on cancel (resolve gives undefined); the modal cannot be
  // closed, so its later answer, even "Run", must not start anything.
  const asks = step('ask', [`touch ${marker} <name>`]);
  let h!: ReturnType<Runner['start']>;
  const atPrompt = runner({
    resolve: () => {
      h.cancel();
      return undefined;
    },
  });
  h = atPrompt.r.start({ kind: 'step', runbook: ref([asks]), step: asks });
  const a = await h.done;
  assert.equal(a.status, 'cancelled');
  assert.equal(a.steps[0]!.status, 'cancelled');
  assert.equal(a.steps[0]!.message, CANCELLED_ASKING);
  assert.deepEqual(a.steps[0]!.missing, ['name']);

  const writes = step('w2', [command(`touch ${marker}`, 'write')]);
  for (const answer of [true, false]) {
    const atModal = runner({
      confirm: () => {
        h.cancel();
        return answer;
      },
    });
    h = atModal.r.start({ kind: 'step', runbook: ref([writes]), step: writes });
    const b = await h.done;
    assert.equal(b.status, 'cancelled', `answered ${answer}`);
    assert.equal(b.steps[0]!.commands[0]?.status, 'cancelled');
  }
  assert.equal(existsSync(marker), false);
});

test('secrets are masked in output, the command text and history', async () => {
  const history = new HistoryStore(join(dir, 'hist-mask'));
  const token = 'tok-9f8e7d6c5b';
  const { r } = runner(
    { history, env: { PATH: process.env.PATH, API_TOKEN: token } },
    { password: 'pw-very-secret' },
  );
  const s = step('sec', ['echo "$API_TOKEN" <password>']);
  const res = await r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(res.steps[0]!.commands[0]!.output, `${MASK} ${MASK}\n`);
  assert.equal(res.steps[0]!.commands[0]!.text, `echo "${MASK}" ${MASK}`);
  const raw = readFileSync(history.index, 'utf8') + (await history.readOutput((await history.list())[0]!));
  assert.ok(!raw.includes(token) && !raw.includes('pw-very-secret'), raw);
});

test('a script with a placeholder is refused with a way forward', async () => {
  const s = step('py', ['print(<pid>)'], { kind: 'script', language: 'python' });
  const res = await runner({}, { pid: '1' }).r.run({ kind: 'step', runbook: ref([s]), step: s });
  assert.equal(res.status, 'error');
  assert.match(res.steps[0]!.message!, /os\.environ\["RUNBOOK_PID"\]/);
});

const why = postgresUnavailable();
describe('query steps through the runner', { skip: why ?? false }, () => {
  let pg: TestPostgres;
  before(async () => {
    pg = await startPostgres();
  });
  after(async () => pg?.stop());

  test('reads run, EXPLAIN ANALYZE of a write is rolled back without asking, other writes ask', async () => {
    const { r, calls } = runner(
      { connectionString: pg.urlWithoutPassword, databasePassword: () => pg.password },
      { id: '1' },
      false,
    );
    const setup = step(
      'setup',
      [command('create table t (id int, v int); insert into t values (1, 10)', 'write')],
      { kind: 'query', language: 'sql' },
    );
    const yes = runner({ connectionString: pg.url }, { id: '1' });
    assert.equal((await yes.r.run({ kind: 'step', runbook: ref([setup]), step: setup })).status, 'ok');

    const read = step('read', ['select v from t where id = <id>'], { kind: 'query', language: 'sql' });
    const res = await r.run({ kind: 'step', runbook: ref([read]), step: read });
    assert.equal(res.status, 'ok', res.steps[0]!.message);
    assert.deepEqual(res.steps[0]!.commands[0]!.sql!.results[0]!.rows, [[10]]);
    assert.equal(res.steps[0]!.commands[0]!.output, 'v\n--\n10\n(1 row)\n');

    const explain = step('ex', [command('explain analyze update t set v = 0', 'write')], {
      kind: 'query',
      language: 'sql',
    });
    const ex = await r.run({ kind: 'step', runbook: ref([explain]), step: explain });
    assert.equal(ex.status, 'ok', ex.steps[0]!.message);
    assert.equal(ex.steps[0]!.commands[0]!.sql!.rolledBack, true);
    assert.match(ex.steps[0]!.commands[0]!.output, /Update on t/);
    assert.equal(calls.confirm.length, 0);

    const write = step('wr', [command('update t set v = 0', 'read')], { kind: 'query', language: 'sql' });
    const wr = await r.run({ kind: 'step', runbook: ref([write]), step: write });
    assert.equal(wr.status, 'refused');
    assert.equal(calls.confirm.length, 1);
    const after = await yes.r.run({ kind: 'step', runbook: ref([read]), step: read });
    assert.deepEqual(after.steps[0]!.commands[0]!.sql!.results[0]!.rows, [[10]]);
  });
});
