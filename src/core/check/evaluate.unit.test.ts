import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recognize } from '../recognize/index';
import type { Metric, Recognition } from '../recognize/types';
import { localFixture } from '../recognize/fixtures/load';
import { convertValue, evaluate } from './evaluate';

const gpu = (usedPct: number[]): Recognition => ({
  kind: 'test-gpu',
  title: 'test GPUs',
  data: null,
  metrics: [
    {
      path: 'gpu.memory.used_pct',
      dimension: 'percent',
      description: 'memory used',
      samples: usedPct.map((v, i) => ({ label: `GPU ${i}`, value: v })),
    },
  ],
  failures: [],
});

test('the message names the figure, the row, the limit and the level', () => {
  const e = evaluate(gpu([41.2, 97.1]), { expect: ['gpu.memory.used_pct > 95%: critical'] });
  assert.equal(e.level, 'critical');
  assert.deepEqual(e.diagnostics, []);
  assert.equal(e.findings[0]?.message, 'GPU 1 memory used 97.1% > 95% (critical)');
  assert.equal(e.findings[0]?.label, 'GPU 1');
  assert.equal(e.findings[0]?.source, 'author');
});

test('two levels: the most severe crossed condition wins; nothing crossed is ok and says so', () => {
  const rule = ['gpu.memory.used_pct > 80%: warning, > 95%: critical'];
  assert.equal(
    evaluate(gpu([85]), { expect: rule }).findings[0]?.message,
    'GPU 0 memory used 85% > 80% (warning)',
  );
  assert.equal(evaluate(gpu([99]), { expect: rule }).level, 'critical');
  const ok = evaluate(gpu([12.5, 30]), { expect: rule });
  assert.equal(ok.level, 'ok');
  assert.equal(ok.findings[0]?.message, 'GPU 1 memory used 30% ≤ 80% (ok)');
});

test('kubectl get pods: default checks flag restarts and failing statuses', () => {
  const r = recognize('kubectl get pods', localFixture('kubectl-get-pods.txt'));
  const e = evaluate(r);
  assert.equal(e.level, 'critical');
  const messages = e.findings.map((f) => f.message);
  assert.ok(
    messages.includes('pod orders-worker-5d9f7c6b8-p7w2m restarts 7 > 0 (warning), and 2 more'),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) =>
      /^pod orders-worker-5d9f7c6b8-p7w2m status CrashLoopBackOff in \(CrashLoopBackOff, OOMKilled, .*\) \(critical\), and 1 more$/.test(
        m,
      ),
    ),
    messages.join('\n'),
  );
  assert.ok(e.findings.every((f) => f.source === 'default' || f.source === 'failure'));
  assert.ok(
    e.findings.some((f) => f.failure === 'oom-killed'),
    'OOMKilled in the output is also a known failure',
  );
});

test('an author check on the same figure replaces the default; off turns defaults off', () => {
  const r = recognize('kubectl get pods', localFixture('kubectl-get-pods.txt'));
  const e = evaluate(r, { expect: ['pods.restarts > 5: critical'] });
  const restarts = e.findings.filter((f) => f.metric === 'pods.restarts');
  assert.equal(restarts.length, 1);
  assert.equal(restarts[0]?.message, 'pod orders-worker-5d9f7c6b8-p7w2m restarts 7 > 5 (critical)');
  const quiet = evaluate(r, { expect: ['defaults: off', 'failures: off'] });
  assert.deepEqual(quiet.findings, []);
  assert.equal(quiet.level, 'ok');
});

test('aggregates: max, sum, avg, count, all', () => {
  const r = recognize('kubectl top pods -A', localFixture('kubectl-top-pods-A.txt'));
  const e = evaluate(r, {
    expect: [
      'max(pods.memory) > 2Gi: warning',
      'sum(pods.cpu) >= 2: critical',
      'avg(pods.cpu) < 100m',
      'count(pods.cpu) == 4: warning',
      'all(pods.memory) > 10Mi: warning',
    ],
  });
  assert.deepEqual(e.diagnostics, []);
  assert.deepEqual(
    e.findings.map((f) => f.message),
    [
      'highest memory (pod shop/checkout-7b8d9c5f6-hh2tz) 2.88 GiB > 2 GiB (warning)',
      'total CPU over 4 pods 2.24 cores >= 2 cores (critical)',
      'average CPU over 4 pods 560m ≥ 100m (ok)',
      'number of CPU figures 4 == 4 (warning)',
      'all 4 pods: pod kube-system/coredns-7db6d8ff4d-4lq8n memory 14 MiB > 10 MiB (warning)',
    ],
  );
});

test("docker stats: the seed's memory > 80% default", () => {
  const e = evaluate(recognize('docker stats --no-stream', localFixture('docker-stats.txt')));
  assert.equal(e.findings[0]?.message, 'container api memory used 85.6% > 80% (warning)');
  assert.equal(e.level, 'warning');
});

test('unit and figure mistakes are diagnostics, not findings', () => {
  const e = evaluate(gpu([50]), {
    expect: [
      'gpu.memory.used_pct > 500Mi',
      'gpu.memory.used > 1Gi',
      'gpu.memory.used_pct ~ high',
      'gpu.memory.used_pct > 5 0',
    ],
  });
  assert.deepEqual(e.findings, []);
  assert.equal(e.diagnostics.length, 4);
  const all = e.diagnostics.join('\n');
  assert.match(all, /'500Mi' is not a percentage/);
  assert.match(all, /no figure 'gpu.memory.used' in test GPUs output \(it has gpu.memory.used_pct\)/);
  assert.match(all, /'~' \(contains\) needs a text figure/);
  assert.match(all, /"gpu.memory.used_pct > 5 0": column 25/);
  const none = evaluate(null, { expect: ['pods.restarts > 0'] });
  assert.match(none.diagnostics[0] as string, /not recognized/);
  assert.equal(none.level, 'ok');
});

test('runner figures can be checked alongside the output (run.duration)', () => {
  const duration: Metric = {
    path: 'run.duration',
    dimension: 'seconds',
    description: 'duration',
    samples: [{ label: 'run', value: 7.5 }],
  };
  const e = evaluate(null, {
    expect: ['run.duration > 2s: warning, > 5s: critical'],
    extraMetrics: [duration],
  });
  assert.equal(e.findings[0]?.message, 'run duration 7.5 s > 5 s (critical)');
});

test("units convert into the figure's dimension", () => {
  assert.deepEqual(convertValue({ kind: 'number', number: 2, unit: 's', text: '2s' }, 'seconds'), {
    ok: true,
    value: 2,
    shown: '2 s',
  });
  assert.deepEqual(convertValue({ kind: 'number', number: 500, unit: 'ms', text: '500ms' }, 'seconds'), {
    ok: true,
    value: 0.5,
    shown: '500 ms',
  });
  assert.deepEqual(convertValue({ kind: 'number', number: 250, unit: 'm', text: '250m' }, 'cores'), {
    ok: true,
    value: 0.25,
    shown: '250m',
  });
  assert.deepEqual(convertValue({ kind: 'number', number: 100, unit: 'x', text: '100x' }, 'ratio'), {
    ok: true,
    value: 100,
    shown: '100x',
  });
  assert.equal(convertValue({ kind: 'number', number: 2, unit: 's', text: '2s' }, 'bytes').ok, false);
  assert.equal(convertValue({ kind: 'text', text: 'Running' }, 'count').ok, false);
});
