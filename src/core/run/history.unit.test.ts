import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, newId, type HistoryRecord } from './history';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-history-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function rec(i: number, more: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    v: 1,
    id: `${i.toString().padStart(6, '0')}-${newId()}`,
    runId: 'run',
    runbook: '/x/guide.md',
    stepId: `s${i}`,
    stepTitle: `Step ${i}`,
    commandIndex: 0,
    kind: 'command',
    command: `echo ${i}`,
    status: 'ok',
    exitCode: 0,
    startedAt: new Date(1_700_000_000_000 + i).toISOString(),
    durationMs: i,
    findings: null,
    ...more,
  };
}

test('records read back newest first, filtered, with their output', async () => {
  const h = new HistoryStore(join(dir, 'a'));
  const out = h.outputPath('one');
  mkdirSync(join(dir, 'a', 'output'), { recursive: true });
  writeFileSync(out, 'hello\n');
  await h.append(rec(1, { id: 'one', outputFile: 'output/one.log' }));
  await h.append(rec(2, { runbook: '/y/other.md' }));
  const all = await h.list();
  assert.deepEqual(
    all.map((r) => r.stepId),
    ['s2', 's1'],
  );
  assert.deepEqual(
    (await h.list({ runbook: '/x/guide.md' })).map((r) => r.stepId),
    ['s1'],
  );
  assert.equal(await h.readOutput((await h.get('one'))!), 'hello\n');
  assert.equal(await h.readOutput(rec(3, { outputFile: '../../etc/passwd' })), '');
});

test('a line cut short by a crash is skipped, the rest survives', async () => {
  const h = new HistoryStore(join(dir, 'b'));
  await h.append(rec(1));
  appendFileSync(h.index, '{"v":1,"id":"half');
  await h.append(rec(2));
  await h.append(rec(3));
  assert.equal(readFileSync(h.index, 'utf8').split('\n').length, 5);
  assert.deepEqual(
    (await h.list()).map((r) => r.stepId),
    ['s3', 's2', 's1'],
  );
});

test('bounded: past maxEntries the oldest records and their output files go', async () => {
  const h = new HistoryStore(join(dir, 'c'), { maxEntries: 20 });
  mkdirSync(join(dir, 'c', 'output'), { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < 60; i++) {
    const r = rec(i, { command: `echo ${'x'.repeat(200)} ${i}` });
    const f = h.outputPath(r.id);
    writeFileSync(f, String(i));
    files.push(f);
    await h.append({ ...r, outputFile: `output/${r.id}.log` });
  }
  const left = await h.list();
  assert.ok(left.length <= 20 && left.length >= 15, `${left.length} left`);
  assert.equal(left[0]!.stepId, 's59');
  assert.equal(existsSync(files[0]!), false);
  assert.equal(existsSync(files[59]!), true);
});

test('concurrent appends from this process and two other processes all land, one per line', async () => {
  const d = join(dir, 'd');
  const h = new HistoryStore(d);
  const script = `
    const { HistoryStore } = require(${JSON.stringify(join(__dirname, 'history.ts'))});
    const h = new HistoryStore(${JSON.stringify(d)});
    const tag = process.argv[1];
    Promise.all(Array.from({ length: 40 }, (_, i) => h.append({ v: 1, id: tag + '-' + i, runId: tag, runbook: 'b', stepId: tag, stepTitle: 't',
      commandIndex: 0, kind: 'command', command: 'x'.repeat(3000), status: 'ok', exitCode: 0, startedAt: '', durationMs: 0, findings: null })))
      .catch((e) => { console.error(e); process.exit(1); });
  `;
  const child = (tag: string): Promise<number> =>
    new Promise((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '-e', script, tag], { stdio: 'inherit' });
      c.on('close', (code) => resolve(code ?? -1));
    });
  const mine = Promise.all(
    Array.from({ length: 40 }, (_, i) => h.append(rec(i, { runId: 'here', id: `here-${i}` }))),
  );
  const codes = await Promise.all([child('p1'), child('p2'), mine]);
  assert.deepEqual(codes.slice(0, 2), [0, 0]);
  const lines = readFileSync(h.index, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 120);
  for (const l of lines) JSON.parse(l);
  const all = await h.list();
  for (const tag of ['here', 'p1', 'p2']) assert.equal(all.filter((r) => r.runId === tag).length, 40);
  assert.equal(existsSync(join(d, 'index.lock')), false);
});

test('a stale lock left by a crashed process does not block forever', async () => {
  const h = new HistoryStore(join(dir, 'e'), { staleLockMs: 200 });
  mkdirSync(join(dir, 'e', 'index.lock'), { recursive: true });
  const t0 = Date.now();
  await h.append(rec(1));
  assert.ok(Date.now() - t0 < 5000);
  assert.equal((await h.list()).length, 1);
});
