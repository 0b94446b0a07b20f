import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flatten, parseExplain, type ExplainPlan } from '../../src/core/recognize/explain-plan';
import { factorText, findNode, heatOf, misestimateOf, nodeDetails, planFacts, planRows } from './plan-model';

const PEV2 = resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'fixtures',
  'public',
  'dalibo-pev2',
  'src',
  'services',
  '__tests__',
  'cte-exclusive-time',
);
const plan = (name: string): ExplainPlan => {
  const p = parseExplain(readFileSync(join(PEV2, name), 'utf8'));
  assert.ok(p, `${name} parses`);
  return p;
};

test('every node is a row in preorder, depth from the tree; collapsing hides a sub-tree only', () => {
  const p = plan('03.plan');
  const all = planRows(p, new Set());
  assert.equal(all.length, p.nodeCount);
  assert.deepEqual(
    all.map((r) => r.id),
    flatten(p.root).map((n) => n.id),
  );
  assert.equal(all[0]!.depth, 0);
  for (let i = 1; i < all.length; i++) assert.ok(all[i]!.depth <= all[i - 1]!.depth + 1);
  assert.deepEqual(
    planRows(p, new Set([p.root.id])).map((r) => [r.id, r.expanded]),
    [[p.root.id, false]],
  );
  const child = p.root.children[0]!;
  const hidden = flatten(child).length - 1;
  assert.equal(planRows(p, new Set([child.id])).length, p.nodeCount - hidden);
});

test('the slowest nodes are ranked, exclusive shares add up, misestimates are marked', () => {
  const p = plan('03.plan');
  const rows = planRows(p, new Set());
  const ranked = rows.filter((r) => r.slowRank).sort((a, b) => a.slowRank! - b.slowRank!);
  assert.deepEqual(
    ranked.map((r) => r.id),
    p.slowest.slice(0, 3),
  );
  const total = rows.reduce((s, r) => s + (r.exclusivePct ?? 0), 0);
  assert.ok(Math.abs(total - 100) < 1, `exclusive shares sum to ${total}`);
  const worst = rows.find((r) => r.id === p.worstEstimate?.nodeId)!;
  assert.equal(worst.misestimate, 'critical');
  assert.equal(p.worstEstimate?.factor, 38114);
  assert.equal(worst.estimateText, '×38,114 under');
  for (const r of rows) {
    const n = findNode(p, r.id)!;
    assert.equal(r.misestimate, misestimateOf(n.estimateFactor));
    assert.equal(r.heat, heatOf(n.exclusivePct));
    assert.equal(r.loops, n.loops);
  }
});

test('thresholds: heat at 10% and 50% of the time; estimates off by 10x warn, 100x critical', () => {
  assert.deepEqual([null, 9.9, 10, 49.9, 50].map(heatOf), ['none', 'none', 'warm', 'warm', 'hot']);
  assert.deepEqual([null, 9.99, 10, 99, 100, Infinity].map(misestimateOf), [
    undefined,
    undefined,
    'warning',
    'warning',
    'critical',
    undefined,
  ]);
});

test('rows read as a person says them; details list every field of the node but its children', () => {
  const p = plan('01.plan');
  const rows = planRows(p, new Set());
  const root = rows[0]!;
  assert.equal(root.title, p.root.title);
  assert.match(root.timeText, /^\d+(\.\d+)? ms · \d+(\.\d+)?%$/);
  assert.match(root.rowsText, /^[\d,]+ rows? \(planned [\d,]+\)$/);
  const cte = rows.find((r) => r.role?.startsWith('CTE'));
  assert.ok(cte, 'the CTE sub-plan is named');
  const details = nodeDetails(p.root);
  assert.ok(details.some(([k]) => k === 'Node Type'));
  assert.ok(!details.some(([k]) => k === 'Plans'));
  assert.ok(details.some(([k]) => k === 'Time in this node (all loops)'));
  const facts = Object.fromEntries(planFacts(p));
  assert.match(facts['Execution time'] ?? '', / ms$/);
  assert.match(facts['Slowest node'] ?? '', /^#\d+ /);
  assert.match(facts['Worst estimate'] ?? '', /: ×167 over$/);
  assert.deepEqual([factorText(1.54), factorText(166.67), factorText(12446.8)], ['×1.5', '×167', '×12,447']);
});

test('a deep plan (2,000 nested nodes) is walked without recursion', () => {
  const p = plan('02.plan');
  let node = p.root;
  const deep = { ...p.root, children: [] as typeof p.root.children };
  let tip = deep;
  for (let i = 0; i < 2000; i++) {
    const next = { ...node, id: 10_000 + i, children: [] as typeof node.children };
    tip.children.push(next);
    tip = next;
    node = next;
  }
  const rows = planRows({ ...p, root: deep }, new Set());
  assert.equal(rows.length, 2001);
  assert.equal(rows[2000]!.depth, 2000);
});
