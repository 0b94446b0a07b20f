import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assess } from '../../src/core/check/assess';
import { recognize } from '../../src/core/recognize/index';
import {
  MAX_BARS,
  barChart,
  chartsFor,
  gaugeChart,
  levelFor,
  type BarChart,
  type GaugeChart,
} from './chart-model';

const fixtures = resolve(__dirname, '..', '..', 'src', 'core', 'recognize', 'fixtures');
const GPU = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'gpu');
const local = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const gpu = (name: string): string =>
  readFileSync(join(GPU, name), 'utf8')
    .replace(/^\$ .*\n/, '')
    .replace(/\[exit \d+\]\n?$/, '');

test('bars: largest first, the first MAX_BARS, the rest counted; gauges clamp to 0–100', () => {
  const rows = Array.from({ length: 20 }, (_, i) => ({ label: `p${i}`, value: i * 10 }));
  const c = barChart('t', [...rows, { label: 'none', value: null }], 'count')!;
  assert.equal(c.bars.length, MAX_BARS);
  assert.equal(c.more, 5);
  assert.equal(c.max, 190);
  assert.deepEqual(
    c.bars.slice(0, 3).map((b) => b.label),
    ['p19', 'p18', 'p17'],
  );
  assert.equal(barChart('t', [{ label: 'zero', value: 0 }], 'count', [], { positive: true }), null);
  const g = gaugeChart(
    'g',
    [
      { label: 'a', used: 50, total: 200 },
      { label: 'over', used: 0, total: 0, pct: 130 },
      { label: 'unknown', used: 5, total: null },
    ],
    'bytes',
  )!;
  assert.deepEqual(
    g.gauges.map((x) => [x.label, x.pct, x.text]),
    [
      ['a', 25, '50 B of 200 B (25%)'],
      ['over', 100, '0 B of 0 B (130%)'],
    ],
  );
});

test('a finding about a row marks its bar with the worst level', () => {
  const findings = [
    { level: 'ok' as const, label: 'a' },
    { level: 'warning' as const, label: 'b' },
    { level: 'critical' as const, label: 'b' },
    { level: 'warning' as const, label: 'c' },
  ];
  assert.deepEqual(
    ['a', 'b', 'c', 'd'].map((k) => levelFor(k, findings)),
    [undefined, 'critical', 'warning', undefined],
  );
});

test('kubectl top pods: memory and CPU bars sorted; an author check marks the pod it names', () => {
  const out = local('kubectl-top-pods-A.txt');
  const a = assess('kubectl top pods -A', out, { expect: ['pods.memory > 100Mi: critical'] });
  assert.equal(a.recognizer, 'kubectl-top-pods');
  const [mem, cpu] = chartsFor(a.recognizer!, a.data, a.findings) as BarChart[];
  assert.equal(mem?.title, 'Memory by pod');
  assert.equal(cpu?.title, 'CPU by pod');
  const values = mem!.bars.map((b) => b.value);
  assert.deepEqual(
    values,
    [...values].sort((x, y) => y - x),
  );
  // The check fires on "any" pod: the finding names the furthest one, and its bar is critical.
  const f = a.findings.find((x) => x.level === 'critical');
  assert.ok(f?.label, 'the finding names a pod');
  const marked = mem!.bars.filter((b) => b.level === 'critical');
  assert.equal(marked.length, 1);
  assert.equal(`pod ${marked[0]!.label}`, f.label);
  assert.equal(marked[0], mem!.bars[0], 'the largest pod crossed the limit');
});

test('nvidia-smi (real H200 capture): GPU memory gauge used/total, utilization, processes by memory', () => {
  const r = recognize('nvidia-smi', gpu('nvidia-smi.busy.txt'));
  const charts = chartsFor(r!.kind, r!.data);
  assert.deepEqual(
    charts.map((c) => c.title),
    ['GPU memory used', 'GPU utilization', 'GPU memory by process'],
  );
  const mem = charts[0] as GaugeChart;
  assert.equal(mem.gauges.length, 1);
  assert.match(mem.gauges[0]!.label, /^GPU 0 · NVIDIA H200/);
  assert.equal(mem.gauges[0]!.pct.toFixed(1), ((100 * 41843) / 143771).toFixed(1));
  assert.match(mem.gauges[0]!.text, /^40\.9 GiB of 140\.4 GiB \(29\.1%\)$/);
  // The same GPU over 25% with an author's check: the gauge turns critical.
  const a = assess('nvidia-smi', gpu('nvidia-smi.busy.txt'), {
    expect: ['gpu.memory.used_pct > 25%: critical'],
  });
  const marked = chartsFor(a.recognizer!, a.data, a.findings)[0] as GaugeChart;
  assert.equal(marked.gauges[0]!.level, 'critical');
});

test('free and df on this machine: memory/swap and disk gauges agree with the checks', () => {
  const free = assess('free -m', execFileSync('free', ['-m'], { encoding: 'utf8' }));
  const [mem] = chartsFor('free', free.data, free.findings) as GaugeChart[];
  const inUse = mem!.gauges.find((g) => g.label === 'Memory in use')!;
  const check = free.findings.find((f) => f.metric === 'memory.used_pct');
  assert.ok(check && typeof check.value === 'number');
  assert.ok(Math.abs(inUse.pct - check.value) < 0.01, `${inUse.pct} vs ${check.value}`);
  assert.equal(inUse.level, check.level === 'ok' ? undefined : check.level);
  const df = recognize('df -h', execFileSync('df', ['-h'], { encoding: 'utf8' }));
  const [disks] = chartsFor('df', df!.data) as GaugeChart[];
  const rows = (df!.data as { rows: { usedPct: number | null }[] }).rows;
  assert.equal(disks!.gauges.length, rows.filter((r) => r.usedPct !== null).length);
});

test('connections against max_connections: one gauge, critical above 90%', () => {
  const rows = { columns: ['used', 'max_connections'], rows: [[19, 20]] };
  const a = assess("SELECT count(*) AS used, current_setting('max_connections')", rows);
  const [g] = chartsFor(a.recognizer!, a.data, a.findings) as GaugeChart[];
  assert.deepEqual(
    [g!.gauges[0]!.pct, g!.gauges[0]!.text, g!.gauges[0]!.level],
    [95, '19 of 20 (95%)', 'critical'],
  );
});

test('kinds read better as tables (dmon samples) and unknown data draw nothing', () => {
  const r = recognize('nvidia-smi dmon -c 5', gpu('nvidia-smi.dmon.busy.txt'));
  assert.equal(r?.kind, 'nvidia-smi-dmon');
  assert.deepEqual(chartsFor(r!.kind, r!.data), []);
  assert.deepEqual(chartsFor('df', null), []);
  assert.deepEqual(chartsFor('kubectl-top-pods', { rows: 'not a list' }), []);
});
