import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlTopNodes, kubectlTopPods, parseTopNodes, parseTopPods } from './kubectl-top';
import { localFixture, truncations } from './fixtures/load';

const Mi = 2 ** 20;

test('top pods: names, millicores and Mi', () => {
  const d = parseTopPods(localFixture('kubectl-top-pods.txt'), 'kubectl top pods --sort-by=memory');
  assert.ok(d);
  assert.equal(d.containers, false);
  assert.deepEqual(
    d.rows.map((r) => [r.pod, r.cpuCores, r.memoryBytes]),
    [
      ['api-gateway-6f7c9d8b4-x2kqp', 0.412, 1893 * Mi],
      ['orders-worker-5d9f7c6b8-p7w2m', 0.087, 734 * Mi],
      ['redis-0', 0.012, 41 * Mi],
    ],
  );
  const mem = kubectlTopPods.metrics(d).find((m) => m.path === 'pods.memory');
  assert.equal(mem?.samples[0]?.label, 'pod api-gateway-6f7c9d8b4-x2kqp');
});

test('top pods -A keeps namespaces; --containers gives container rows and pod totals', () => {
  const a = parseTopPods(localFixture('kubectl-top-pods-A.txt'), 'kubectl top pods -A');
  assert.deepEqual(
    a?.rows.map((r) => r.namespace),
    ['kube-system', 'kube-system', 'shop', 'shop'],
  );
  assert.equal(a?.rows[2]?.cpuCores, 1.25);

  const c = parseTopPods(
    localFixture('kubectl-top-pods-containers-A.txt'),
    'kubectl top pod -A --containers',
  );
  assert.ok(c?.containers);
  assert.deepEqual(
    c.rows.map((r) => `${r.namespace}/${r.pod}/${r.container}`),
    ['shop/checkout-7b8d9c5f6-hh2tz/app', 'shop/checkout-7b8d9c5f6-hh2tz/envoy', 'shop/orders-db-0/postgres'],
  );
  const pods = kubectlTopPods.metrics(c).find((m) => m.path === 'pods.memory');
  assert.deepEqual(pods?.samples, [
    { label: 'pod shop/checkout-7b8d9c5f6-hh2tz', value: (2702 + 248) * Mi },
    { label: 'pod shop/orders-db-0', value: 1024 * Mi },
  ]);
});

test('top pods --sum: the total row is kept apart from the pods', () => {
  const d = parseTopPods(localFixture('kubectl-top-pods-sum.txt'), 'kubectl top pods --sum');
  assert.equal(d?.rows.length, 2);
  assert.deepEqual(d?.sum, { cpuCores: 0.2, memoryBytes: 590 * Mi });
});

test('top pods --no-headers: columns come from the flags', () => {
  const text = localFixture('kubectl-top-pods-A.txt').split('\n').slice(1).join('\n');
  assert.equal(parseTopPods(text, 'kubectl top pods -A'), null);
  const d = parseTopPods(text, 'kubectl top pods -A --no-headers');
  assert.equal(d?.rows[3]?.pod, 'checkout-7b8d9c5f6-qq9rs');
  assert.equal(d?.rows[3]?.namespace, 'shop');
});

test('top nodes: percentages, both header spellings, <unknown> nodes', () => {
  const d = parseTopNodes(localFixture('kubectl-top-nodes.txt'));
  assert.ok(d);
  assert.deepEqual(d.rows[0], {
    node: 'ip-10-0-1-17.ec2.internal',
    cpuCores: 1.83,
    cpuPct: 46,
    memoryBytes: 13950 * Mi,
    memoryPct: 88,
    unknown: false,
  });
  assert.equal(d.rows[2]?.unknown, true);
  assert.equal(d.rows[2]?.memoryPct, null);
  const pct = kubectlTopNodes.metrics(d).find((m) => m.path === 'nodes.memory_pct');
  assert.equal(pct?.samples.length, 2, 'unknown nodes have no figure');
  assert.equal(parseTopNodes(localFixture('kubectl-top-nodes-old.txt'))?.rows[0]?.memoryPct, 32);
  // Pods and nodes are told apart by their headers.
  assert.equal(parseTopPods(localFixture('kubectl-top-nodes.txt')), null);
  assert.equal(parseTopNodes(localFixture('kubectl-top-pods.txt')), null);
});

test('commands: pods vs nodes, through pipes and sudo', () => {
  assert.ok(kubectlTopPods.matchesCommand('kubectl top pods --sort-by=memory | head -20'));
  assert.ok(kubectlTopPods.matchesCommand('sudo kubectl -n shop top po'));
  assert.ok(kubectlTopNodes.matchesCommand('kubectl top node'));
  assert.ok(!kubectlTopNodes.matchesCommand('kubectl get nodes'));
});

test('truncated and malformed output: never throws, partial rows or null', () => {
  for (const f of ['kubectl-top-pods-A.txt', 'kubectl-top-nodes.txt', 'kubectl-top-pods-containers-A.txt']) {
    for (const t of truncations(localFixture(f))) {
      const p = parseTopPods(t, 'kubectl top pods');
      const n = parseTopNodes(t, 'kubectl top nodes');
      for (const d of [p, n]) if (d) assert.ok(d.rows.length > 0);
    }
  }
  assert.equal(parseTopPods('error: Metrics API not available\n', 'kubectl top pods'), null);
  assert.equal(parseTopPods('NAME   CPU(cores)   MEMORY(bytes)\nfoo    lots         plenty\n'), null);
  assert.equal(parseTopPods({ columns: ['a'], rows: [] }), null);
});
