import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryRecord } from '../run/history';
import { ago, describeRun, selectRecords, summarizeRuns } from './select';

function rec(over: Partial<HistoryRecord> & Pick<HistoryRecord, 'id' | 'command'>): HistoryRecord {
  return {
    v: 1,
    runId: 'run-1',
    runbook: '/srv/book.md',
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

test('runs summarized newest first; selection by time and by id prefix', () => {
  const mk = (
    id: string,
    runId: string,
    startedAt: string,
    status: HistoryRecord['status'] = 'ok',
  ): HistoryRecord => rec({ id, runId, startedAt, command: 'true', status, stepTitle: `step ${id}` });
  const records = [
    mk('1', 'mx0a-aaaa', '2024-05-01T10:00:00Z'),
    mk('2', 'mx0a-aaaa', '2024-05-01T10:00:05Z', 'failed'),
    mk('3', 'mx0b-bbbb', '2024-05-01T11:00:00Z'),
    mk('4', 'mx0c-cccc', '2024-05-01T12:00:00Z', 'cancelled'),
  ];
  const runs = summarizeRuns(records);
  assert.deepEqual(
    runs.map((r) => [r.runId, r.status, r.commands, r.steps.join('+')]),
    [
      ['mx0c-cccc', 'cancelled', 1, 'step 4'],
      ['mx0b-bbbb', 'ok', 1, 'step 3'],
      ['mx0a-aaaa', 'failed', 2, 'step 1+step 2'],
    ],
  );
  const since = selectRecords(records, { since: new Date('2024-05-01T10:30:00Z') });
  assert.deepEqual(
    since.records.map((r) => r.id),
    ['3', '4'],
  );
  // A run that began before `since` is left out whole.
  assert.deepEqual(
    selectRecords(records, { since: new Date('2024-05-01T10:00:01Z') }).records.map((r) => r.id),
    ['3', '4'],
  );
  const byId = selectRecords(records, { runIds: ['mx0a', 'mx0c-cccc', 'mx0', 'zzz'] });
  assert.deepEqual(
    byId.records.map((r) => r.id),
    ['1', '2', '4'],
  );
  assert.deepEqual(byId.unknownRuns, ['mx0', 'zzz']);
});

test('a run as the picker shows it: status icon, runbook › first step (+more), how long ago', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const [run] = summarizeRuns([
    rec({
      id: 'p1',
      runId: 'r',
      command: 'free -m',
      startedAt: '2024-05-01T11:48:00Z',
      stepTitle: 'Free memory',
    }),
    rec({
      id: 'p2',
      runId: 'r',
      command: 'df -h',
      startedAt: '2024-05-01T11:48:01Z',
      stepTitle: 'Disk',
      findings: { level: 'warning', findings: [{ level: 'warning', message: 'disk 91%', causes: [] }] },
    }),
  ]);
  const d = describeRun(run!, now);
  assert.equal(d.icon, 'warning');
  assert.equal(d.label, 'Book › Free memory (+1 more)');
  assert.equal(d.description, 'warning · 12 min ago');
  assert.match(d.detail, /· 2 commands · Free memory, Disk$/);
  assert.equal(ago('2024-05-01T11:59:40Z', now), 'just now');
  assert.equal(ago('2024-05-01T09:00:00Z', now), '3 h ago');
  assert.equal(ago('2024-04-28T12:00:00Z', now), '3 days ago');
  assert.equal(ago('garbage', now), '');
});
