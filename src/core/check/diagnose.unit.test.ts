import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  causeItemsFromMarkdown,
  causeItemsFromRunbook,
  diagnose,
  findingTerms,
  stems,
  type CauseItem,
} from './diagnose';
import { parseRunbook } from '../runbook/parse';
import type { Finding } from './evaluate';

const seed = readFileSync(
  resolve(__dirname, '..', '..', '..', '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt'),
  'utf8',
);
const items = causeItemsFromMarkdown(seed);

const finding = (over: Partial<Finding>): Finding => ({
  recognizer: 'test',
  level: 'critical',
  message: 'm',
  source: 'default',
  ...over,
});

test("the seed guide's cause, fix and mitigation lists are found with their problem heading", () => {
  const bySection = new Map<string, number>();
  for (const i of items) bySection.set(i.section, (bySection.get(i.section) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(bySection), {
    'Common Causes and Fixes': 4,
    'Emergency Mitigation': 4,
    'Common Sources': 4,
    Fixes: 4,
    'Common Issues': 4,
    Solutions: 4,
  });
  const first = items[0] as CauseItem;
  assert.equal(first.line, 19);
  assert.equal(first.topic, 'High Latency (>2 seconds response time)');
  assert.equal(items.find((i) => i.section === 'Fixes')?.topic, 'Memory Leaks');
  // Lists inside fences and ordinary steps ("Diagnostic Steps:") are not causes.
  assert.ok(!items.some((i) => /kubectl|Check load balancer/.test(i.text)));
});

test('DB connections > 90% points at "Database connection exhaustion"', () => {
  const [best, second] = diagnose(finding({ metric: 'connections.used_pct' }), items);
  assert.equal(
    best?.item.text,
    'Database connection exhaustion → Increase connection pool size or implement connection pooling',
  );
  assert.equal(best?.by, 'terms');
  assert.ok((best?.score ?? 0) > 3 * (second?.score ?? 0), 'far ahead of the next item');
  assert.ok(best?.terms.includes('connection pool'));
  // The refusal by the server for too many connections is the same cause.
  assert.equal(
    diagnose(finding({ failure: 'too-many-connections', metric: 'failures.kind' }), items)[0]?.item.line,
    19,
  );
});

test('GPU findings: out of memory → fragmentation; corrupt checkpoint → model file corruption', () => {
  assert.equal(diagnose(finding({ failure: 'cuda-oom' }), items)[0]?.item.text, 'GPU memory fragmentation');
  assert.equal(
    diagnose(finding({ metric: 'gpu.memory.used_pct' }), items)[0]?.item.text,
    'GPU memory fragmentation',
  );
  const ckpt = diagnose(finding({ failure: 'checkpoint-corrupt' }), items).map((d) => d.item.text);
  assert.deepEqual(ckpt.slice(0, 2), [
    'Model file corruption or version mismatch',
    'Implement model health checks and automatic reloading',
  ]);
});

test('memory findings prefer the Memory Leaks lists', () => {
  const m = diagnose(finding({ metric: 'nodes.memory_pct', level: 'warning' }), items);
  assert.ok(m.length >= 3);
  assert.ok(
    m.every((d) => d.item.topic === 'Memory Leaks'),
    m.map((d) => d.item.text).join('; '),
  );
  assert.equal(
    diagnose(finding({ failure: 'oom-killed' }), items)[0]?.item.text,
    'Regular restarts as temporary mitigation',
  );
});

test("the author's cause= wins; an unknown cause falls back to terms; ok findings have none", () => {
  const a = diagnose(finding({ metric: 'connections.used_pct' }), items, 'read replicas');
  assert.deepEqual(
    a.map((d) => [d.item.text, d.by]),
    [['Activate read replicas for database queries', 'annotation']],
  );
  const two = diagnose(finding({ metric: 'x.y' }), items, 'circuit breakers | Scale out');
  assert.equal(two.length, 2);
  const fallback = diagnose(finding({ metric: 'connections.used_pct' }), items, 'no such cause');
  assert.equal(fallback[0]?.by, 'terms');
  assert.deepEqual(diagnose(finding({ metric: 'connections.used_pct', level: 'ok' }), items), []);
  assert.deepEqual(diagnose(finding({ metric: 'unrelated.figure' }), items), []);
});

test('terms and stems', () => {
  assert.deepEqual(stems('Connections connection pooling'), ['connect', 'connect', 'pool']);
  assert.ok(findingTerms(finding({ metric: 'failures.kind', value: 'cuda-oom' })).includes('gpu memory'));
  assert.deepEqual(causeItemsFromMarkdown(''), []);
  assert.deepEqual(
    causeItemsFromMarkdown('## Fixes\n\n1. Restart the pod\n2) Raise the limit\n\nSome text\n- not a fix\n'),
    [
      { text: 'Restart the pod', section: 'Fixes', line: 3 },
      { text: 'Raise the limit', section: 'Fixes', line: 4 },
    ],
  );
});

test('the parsed runbook gives the same cause items as the Markdown scan', () => {
  const fromModel = causeItemsFromRunbook(parseRunbook(seed));
  assert.deepEqual(
    fromModel.map((i) => [i.line, i.section, i.text, i.topic]),
    items.map((i) => [i.line, i.section, i.text, i.topic]),
  );
  const [best] = diagnose(finding({ metric: 'connections.used_pct' }), fromModel);
  assert.equal(best?.item.section, 'Common Causes and Fixes');
  assert.equal(best?.item.line, 19);
});
