import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { recognize } from '../../src/core/recognize/index';
import { factsFor, formatCell, labelOf, sortOrder, tablesFor, unitOf, type Cell } from './table-model';

const fixtures = resolve(__dirname, '..', '..', 'src', 'core', 'recognize', 'fixtures');
const GPU = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'gpu');
const local = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const gpu = (name: string): string =>
  readFileSync(join(GPU, name), 'utf8')
    .replace(/^\$ .*\n/, '')
    .replace(/\[exit \d+\]\n?$/, '');

test('units and headings come from field names', () => {
  assert.deepEqual(
    [
      'memoryUsedBytes',
      'cpuPct',
      'cpuCores',
      'meanMs',
      'gcSeconds',
      'temperatureC',
      'powerDrawW',
      'smClockMhz',
      'estimateFactor',
      'restarts',
      'name',
    ].map(unitOf),
    ['bytes', 'percent', 'cores', 'ms', 'seconds', 'celsius', 'watts', 'mhz', 'ratio', 'count', 'count'],
  );
  assert.deepEqual(
    ['memoryUsedBytes', 'cpuPct', 'pid', 'netRxBytes', 'temperatureC', 'meanMs', 'className'].map(labelOf),
    ['Memory used', 'CPU %', 'PID', 'Network received', 'Temperature', 'Mean (ms)', 'Class name'],
  );
  assert.deepEqual(formatCell(null, 'bytes'), { value: null, text: '' });
  assert.deepEqual(formatCell(2 ** 30, 'bytes'), { value: 2 ** 30, text: '1 GiB' });
  assert.deepEqual(formatCell(1234567, 'count'), { value: 1234567, text: '1,234,567' });
});

test('kubectl top pods (sample in the recognizer fixtures): one row per pod, units from the fields', () => {
  const r = recognize('kubectl top pods', local('kubectl-top-pods.txt'));
  assert.equal(r?.kind, 'kubectl-top-pods');
  const [t] = tablesFor(r!.kind, r!.data);
  assert.ok(t);
  assert.deepEqual(
    t.columns.map((c) => [c.label, c.unit]),
    [
      ['Pod', 'text'],
      ['CPU', 'cores'],
      ['Memory', 'bytes'],
    ],
  );
  assert.equal(t.rows.length, (r!.data as { rows: unknown[] }).rows.length);
  for (const row of t.rows) assert.match(row[2]!.text, /^\d+(\.\d+)? (B|KiB|MiB|GiB)$/);
});

test('nvidia-smi (real H200 capture): GPUs and processes tables, driver and CUDA versions as facts', () => {
  const r = recognize('nvidia-smi', gpu('nvidia-smi.busy.txt'));
  const tables = tablesFor(r!.kind, r!.data);
  assert.deepEqual(
    tables.map((t) => t.title),
    ['GPUs', 'Processes'],
  );
  const gpus = tables[0]!;
  const used = gpus.columns.findIndex((c) => c.key === 'memoryUsedBytes');
  assert.equal(gpus.rows[0]![used]!.value, 41843 * 2 ** 20);
  const facts = Object.fromEntries(factsFor(r!.kind, r!.data));
  assert.equal(facts['Driver version'], '580.159.04');
  assert.equal(facts['CUDA version'], '13.0');
});

test('free and df from this machine; connection counts; apache-bench percentiles', () => {
  const free = recognize('free -m', execFileSync('free', ['-m'], { encoding: 'utf8' }));
  const [mem] = tablesFor('free', free!.data);
  assert.deepEqual(
    mem!.rows.map((r) => r[0]!.text),
    ['Memory', 'Swap'],
  );
  assert.match(mem!.rows[0]![1]!.text, /GiB|MiB/);
  const df = recognize('df -h', execFileSync('df', ['-h'], { encoding: 'utf8' }));
  const [disks] = tablesFor('df', df!.data);
  assert.ok(disks!.columns.some((c) => c.key === 'usedPct' && c.unit === 'percent'));
  const conn = tablesFor('pg-connections', {
    shape: 'summary',
    used: 19,
    max: 20,
    reserved: null,
    byState: { idle: 17, active: 2 },
    byDatabase: {},
  });
  assert.deepEqual(
    conn.map((t) => t.title),
    ['Connections', 'By state'],
  );
  assert.deepEqual(
    conn[0]!.rows[0]!.map((c) => c.text),
    ['19', '20', '95%'],
  );
  const ab = tablesFor('apache-bench', { percentilesMs: { 50: 12, 95: 340 } });
  assert.deepEqual(
    ab[0]!.rows.map((r) => r.map((c) => c.text)),
    [
      ['50%', '12 ms'],
      ['95%', '340 ms'],
    ],
  );
  assert.deepEqual(tablesFor('explain', { root: {} }), [], 'plans get the plan view');
  assert.deepEqual(tablesFor('x', null), []);
});

const cells = (values: (number | string | null)[]): Cell[][] =>
  values.map((value) => [{ value, text: String(value ?? '') }]);

test('sorting: numbers numerically, text naturally, empty cells last both ways, stable', () => {
  const rows = cells([10, null, 2, 33, 2]);
  assert.deepEqual(sortOrder(rows, 0, 'desc'), [3, 0, 2, 4, 1]);
  assert.deepEqual(sortOrder(rows, 0, 'asc'), [2, 4, 0, 3, 1]);
  const names = cells(['pod-10', 'pod-2', null, 'Pod-1']);
  assert.deepEqual(sortOrder(names, 0, 'asc'), [3, 1, 0, 2]);
});

test('property: a sort is a permutation, ordered, with empty cells at the end', () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null })),
      fc.boolean(),
      (values, asc) => {
        const order = sortOrder(cells(values), 0, asc ? 'asc' : 'desc');
        assert.deepEqual(
          [...order].sort((a, b) => a - b),
          values.map((_, i) => i),
        );
        const sorted: (number | null)[] = order.map((i) => values[i] ?? null);
        const firstNull = sorted.indexOf(null);
        if (firstNull >= 0) assert.ok(sorted.slice(firstNull).every((v) => v === null));
        const nums = sorted.filter((v): v is number => v !== null);
        for (let i = 1; i < nums.length; i++)
          assert.ok(asc ? nums[i - 1]! <= nums[i]! : nums[i - 1]! >= nums[i]!);
      },
    ),
  );
});
