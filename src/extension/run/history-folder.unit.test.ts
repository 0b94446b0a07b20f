import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type HistoryRecord } from '../../core/run/history';
import { historyFolder, historyKey, migrateHistory } from './history-folder';

function temp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-history-folder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function record(id: string, startedAt: string, more: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    v: 1,
    id,
    runId: `run-${id}`,
    runbook: '/srv/runbooks/latency.md',
    stepId: 'free',
    stepTitle: 'Free memory',
    commandIndex: 0,
    kind: 'command',
    command: 'free -m',
    status: 'ok',
    exitCode: 0,
    startedAt,
    durationMs: 12,
    findings: null,
    ...more,
  };
}

/** A history the way the runner leaves it: records appended through HistoryStore, output files beside. */
async function writeHistory(dir: string, records: HistoryRecord[]): Promise<HistoryStore> {
  const store = new HistoryStore(dir);
  for (const r of records) {
    if (r.outputFile) {
      mkdirSync(join(dir, 'output'), { recursive: true });
      writeFileSync(join(dir, r.outputFile), `output of ${r.id}\n`);
    }
    await store.append(r);
  }
  return store;
}

test('the key: the same folders in any order give one key; other folders, a file, or nothing give others', () => {
  const a = historyKey({ folders: ['file:///srv/app', 'file:///srv/ops'] });
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.equal(historyKey({ folders: ['file:///srv/ops', 'file:///srv/app'] }), a);
  const others = [
    historyKey({ folders: ['file:///srv/app'] }),
    historyKey({ folders: ['file:///srv/app', 'file:///srv/ops2'] }),
    historyKey({ file: 'file:///srv/app' }),
    historyKey({ none: true }),
  ];
  assert.equal(new Set([a, ...others]).size, 5);
  assert.equal(
    historyFolder('/g', { file: 'file:///tmp/x.md' }),
    join('/g', 'history', historyKey({ file: 'file:///tmp/x.md' })),
  );
});

test('a history in the old folder moves to an empty new one: records, output files, once', async (t) => {
  const root = temp(t);
  const from = join(root, 'workspaceStorage', 'abc', 'history');
  const to = join(root, 'globalStorage', 'history', 'k1');
  const old = [
    record('a', '2026-11-01T10:00:00.000Z', { outputFile: 'output/a.log' }),
    record('b', '2026-11-01T10:05:00.000Z', { outputFile: 'output/b.log', status: 'failed', exitCode: 1 }),
    record('c', '2026-11-01T10:06:00.000Z'),
  ];
  await writeHistory(from, old);
  // The per-window process registry lives in the old folder and must stay there.
  mkdirSync(join(from, 'running'));
  writeFileSync(join(from, 'running', '4242.json'), '{}');

  assert.equal(await migrateHistory(from, to), 3);
  const moved = new HistoryStore(to);
  assert.deepEqual(
    (await moved.list()).map((r) => r.id),
    ['c', 'b', 'a'],
  );
  assert.equal(await moved.readOutput((await moved.get('b'))!), 'output of b\n');
  assert.equal(existsSync(join(from, 'index.jsonl')), false);
  assert.equal(existsSync(join(from, 'output')), false);
  assert.deepEqual(readdirSync(join(from, 'running')), ['4242.json']);
  // Once: nothing left to move, nothing changes.
  assert.equal(await migrateHistory(from, to), 0);
  assert.equal((await moved.list()).length, 3);
});

test('into a folder that already has history: merged by id, oldest first, nothing lost or doubled', async (t) => {
  const root = temp(t);
  const from = join(root, 'old');
  const to = join(root, 'new');
  await writeHistory(from, [
    record('a', '2026-11-01T10:00:00.000Z', { outputFile: 'output/a.log' }),
    record('shared', '2026-11-01T11:00:00.000Z', { outputFile: 'output/shared.log' }),
    record('c', '2026-11-02T09:00:00.000Z', { outputFile: 'output/c.log' }),
  ]);
  await writeHistory(to, [
    record('shared', '2026-11-01T11:00:00.000Z', { outputFile: 'output/shared.log' }),
    record('z', '2026-11-01T12:00:00.000Z', { outputFile: 'output/z.log' }),
  ]);
  // A line torn by a crash in the old index is skipped, not fatal.
  await appendFile(join(from, 'index.jsonl'), '{"v":1,"id":"torn","runI');

  assert.equal(await migrateHistory(from, to), 2);
  const store = new HistoryStore(to);
  assert.deepEqual(
    (await store.list()).map((r) => r.id),
    ['c', 'z', 'shared', 'a'],
  );
  for (const id of ['a', 'shared', 'c', 'z'])
    assert.equal(await store.readOutput((await store.get(id))!), `output of ${id}\n`, id);
  assert.equal(existsSync(join(from, 'index.jsonl')), false);
  assert.equal(existsSync(join(from, 'output')), false, 'the duplicate output file was left behind');
  // The merged index is still appendable by the runner.
  await store.append(record('d', '2026-11-03T00:00:00.000Z'));
  assert.equal((await store.list())[0]?.id, 'd');
});

test('an output path in a record that leads outside the folder is neither moved nor touched', async (t) => {
  const root = temp(t);
  const from = join(root, 'a', 'b', 'old');
  const to = join(root, 'new');
  const outside = join(root, 'a', 'precious.txt');
  mkdirSync(join(root, 'a'));
  writeFileSync(outside, 'not history\n');
  await writeHistory(from, [record('x', '2026-11-01T10:00:00.000Z')]);
  await appendFile(
    join(from, 'index.jsonl'),
    JSON.stringify(record('evil', '2026-11-01T10:01:00.000Z', { outputFile: '../../precious.txt' })) + '\n',
  );
  assert.equal(await migrateHistory(from, to), 2);
  assert.equal(readFileSync(outside, 'utf8'), 'not history\n');
  const store = new HistoryStore(to);
  assert.equal(await store.readOutput((await store.get('evil'))!), '');
});

test('two windows migrating the same old folder at once: every record lands once', async (t) => {
  const root = temp(t);
  const from = join(root, 'old');
  const to = join(root, 'new');
  const records = Array.from({ length: 40 }, (_, i) =>
    record(`r${String(i).padStart(2, '0')}`, new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(), {
      outputFile: `output/r${i}.log`,
    }),
  );
  await writeHistory(from, records);
  const [one, two] = await Promise.all([migrateHistory(from, to), migrateHistory(from, to)]);
  assert.equal(one + two, 40);
  const ids = (await new HistoryStore(to).list()).map((r) => r.id);
  assert.equal(ids.length, 40);
  assert.equal(new Set(ids).size, 40);
});

test('a runner appending to the new folder while the old history moves in loses nothing', async (t) => {
  const root = temp(t);
  const from = join(root, 'old');
  const to = join(root, 'new');
  await writeHistory(
    from,
    Array.from({ length: 30 }, (_, i) =>
      record(`old${i}`, new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString()),
    ),
  );
  const live = new HistoryStore(to);
  const appends = Array.from({ length: 30 }, (_, i) =>
    live.append(record(`new${i}`, new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString())),
  );
  await Promise.all([migrateHistory(from, to), ...appends]);
  const ids = new Set((await live.list()).map((r) => r.id));
  assert.equal(ids.size, 60);
});
