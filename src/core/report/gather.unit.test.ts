import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HistoryStore, type HistoryRecord } from '../run/history';
import { gatherReportInputs } from './gather';

let dir: string;
let store: HistoryStore;
const GPU = resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'gpu');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-report-gather-'));
  store = new HistoryStore(join(dir, 'history'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function rec(over: Partial<HistoryRecord> & Pick<HistoryRecord, 'id' | 'command'>): HistoryRecord {
  return {
    v: 1,
    runId: 'run-1',
    runbook: join(dir, 'book.md'),
    runbookTitle: 'Book',
    stepId: 's',
    stepTitle: 'S',
    commandIndex: 0,
    kind: 'command',
    status: 'ok',
    exitCode: 0,
    startedAt: new Date().toISOString(),
    durationMs: 1000,
    findings: null,
    ...over,
  };
}

test('files the command named are linked when they exist and were written for this run', async () => {
  const started = Date.now();
  mkdirSync(join(dir, 'dumps'), { recursive: true });
  writeFileSync(join(dir, 'dumps', 'heap.hprof'), 'JAVA PROFILE 1.0.2\0');
  writeFileSync(join(dir, 'old.hprof'), 'JAVA PROFILE 1.0.2\0');
  const old = (started - 3_600_000) / 1000;
  utimesSync(join(dir, 'old.hprof'), old, old);
  // --cpu-prof writes generated names: only those written while the command ran count.
  mkdirSync(join(dir, 'prof'));
  writeFileSync(join(dir, 'prof', 'CPU.20240501.1.cpuprofile'), '{}');
  writeFileSync(join(dir, 'prof', 'CPU.20200101.2.cpuprofile'), '{}');
  utimesSync(join(dir, 'prof', 'CPU.20200101.2.cpuprofile'), old, old);
  const r = rec({
    id: 'r1',
    command:
      'jmap -dump:format=b,file=dumps/heap.hprof 1 && jcmd 1 GC.heap_dump old.hprof && jmap -dump:file=missing.hprof 1 && node --cpu-prof --cpu-prof-dir=prof x.js',
    startedAt: new Date(started).toISOString(),
  });
  const g = await gatherReportInputs(store.dir, [r]);
  assert.deepEqual(
    g.profileLinks.r1?.map((c) => [c.path, c.kind, c.bytes]),
    [
      [join(dir, 'dumps', 'heap.hprof'), 'heap dump', 19],
      [join(dir, 'prof', 'CPU.20240501.1.cpuprofile'), 'CPU profile', 2],
    ],
  );
  // A runbook without an absolute path (an untitled document) has no folder to look in.
  const g2 = await gatherReportInputs(store.dir, [{ ...r, runbook: 'Untitled-1' }]);
  assert.deepEqual(g2.profileLinks, {});
});

test('figures from the stored output recognized again; error lines of failed commands', async () => {
  const lines = readFileSync(join(GPU, 'nvidia-smi.query-gpu.busy.csv.txt'), 'utf8').split('\n');
  const command = lines[0]!.replace(/^\$ /, '');
  const gpu = rec({ id: 'g1', command, outputFile: 'output/g1.log' });
  mkdirSync(join(store.dir, 'output'), { recursive: true });
  writeFileSync(store.outputPath('g1'), lines.slice(1, -2).join('\n') + '\n');
  const failed = rec({
    id: 'f1',
    command: 'psql -c "select 1"',
    status: 'failed',
    exitCode: 2,
    outputFile: 'output/f1.log',
  });
  writeFileSync(
    store.outputPath('f1'),
    'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory\n',
  );
  const outside = rec({ id: 'o1', command: 'free -m', status: 'failed', outputFile: '../../../etc/passwd' });
  const g = await gatherReportInputs(store.dir, [gpu, failed, outside]);
  assert.equal(g.figures.g1?.[0], 'GPU 0 memory used 40.9 GiB');
  assert.match(
    g.excerpts.f1 ?? '',
    /^psql: error: connection to server .* failed: No such file or directory$/,
  );
  assert.equal(g.excerpts.o1, undefined);
  assert.equal(g.figures.f1, undefined);
});
