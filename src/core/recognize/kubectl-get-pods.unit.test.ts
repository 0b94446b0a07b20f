import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlGetPods, parseGetPods, parseKubeAge, parseRestarts } from './kubectl-get-pods';
import { localFixture, truncations } from './fixtures/load';

test('get pods: ready, status, restarts with "(… ago)"', () => {
  const d = parseGetPods(localFixture('kubectl-get-pods.txt'));
  assert.ok(d);
  assert.deepEqual(
    d.rows.map((r) => [r.name, r.ready, r.total, r.status, r.restarts, r.lastRestartAgoSeconds]),
    [
      ['api-gateway-6f7c9d8b4-x2kqp', 1, 1, 'Running', 0, null],
      ['orders-worker-5d9f7c6b8-p7w2m', 0, 1, 'CrashLoopBackOff', 7, 133],
      ['payments-7c4b9f8d5-k8s2x', 0, 1, 'OOMKilled', 3, 45],
      ['redis-0', 1, 1, 'Running', 1, 6 * 86400],
      ['report-job-28411230-7xk2p', 0, 1, 'Completed', 0, null],
    ],
  );
  const m = kubectlGetPods.metrics(d);
  const notReady = m.find((x) => x.path === 'pods.not_ready');
  assert.equal(notReady?.samples.length, 4, 'completed pods are not counted as not ready');
});

test('get pods -A -o wide: namespace and node; multi-word headers', () => {
  const d = parseGetPods(localFixture('kubectl-get-pods-A-wide.txt'));
  assert.equal(d?.rows.length, 4);
  assert.deepEqual(d?.rows[1], {
    namespace: 'shop',
    name: 'checkout-7b8d9c5f6-hh2tz',
    ready: 2,
    total: 2,
    status: 'Running',
    restarts: 12,
    lastRestartAgoSeconds: 3 * 3600 + 11 * 60,
    age: '2d',
    node: 'ip-10-0-2-41.ec2.internal',
  });
  assert.equal(d?.rows[2]?.node, null);
});

test('restarts and ages as kubectl prints them', () => {
  assert.deepEqual(parseRestarts('5 (3m ago)'), { restarts: 5, ago: 180 });
  assert.deepEqual(parseRestarts('0'), { restarts: 0, ago: null });
  assert.deepEqual(parseRestarts('x'), { restarts: null, ago: null });
  assert.equal(parseKubeAge('2y30d'), (2 * 365 + 30) * 86400);
  assert.equal(parseKubeAge('3d4h'), 3 * 86400 + 4 * 3600);
  assert.equal(parseKubeAge('soon'), null);
});

test('command matching and bad input', () => {
  assert.ok(kubectlGetPods.matchesCommand('kubectl get pods -n shop -o wide'));
  assert.ok(kubectlGetPods.matchesCommand('kubectl -n shop get po/redis-0'));
  assert.ok(!kubectlGetPods.matchesCommand('kubectl get deployments'));
  assert.equal(parseGetPods('No resources found in shop namespace.\n'), null);
  for (const t of truncations(localFixture('kubectl-get-pods.txt'))) {
    const d = parseGetPods(t);
    if (d) assert.ok(d.rows.every((r) => r.name.length > 0));
  }
});
