import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseExpect } from './expect-syntax';

test('the examples from the issue parse', () => {
  const p = parseExpect([
    'connections.used_pct > 90: critical',
    'gpu.memory.used_pct > 95%: critical',
    'pods.restarts > 0: warning',
    'plan.max_estimate_factor >= 100: warning',
  ]);
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(
    p.rules.map((r) => [r.path, r.aggregate, r.conditions.map((c) => [c.op, c.values[0], c.level])]),
    [
      [
        'connections.used_pct',
        'any',
        [['>', { kind: 'number', number: 90, unit: '', text: '90' }, 'critical']],
      ],
      [
        'gpu.memory.used_pct',
        'any',
        [['>', { kind: 'number', number: 95, unit: '%', text: '95%' }, 'critical']],
      ],
      ['pods.restarts', 'any', [['>', { kind: 'number', number: 0, unit: '', text: '0' }, 'warning']]],
      [
        'plan.max_estimate_factor',
        'any',
        [['>=', { kind: 'number', number: 100, unit: '', text: '100' }, 'warning']],
      ],
    ],
  );
});

test('two levels on one figure, aggregates, units, lists, text, several checks per string, off', () => {
  const p = parseExpect([
    'http.latency_p95 > 2s: warning, > 5s: critical',
    'max(pods.memory) > 500Mi; all(gpu.utilization) < 5%: warning',
    'pods.status in (CrashLoopBackOff, OOMKilled): critical',
    'pods.status not in (Running, Completed)',
    'failures.kind ~ "out of memory": crit',
    'disk.used_pct: off',
    'defaults: off',
    'run.duration >= 1.5min',
  ]);
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(p.off, ['disk.used_pct', '*']);
  const [lat, mem, gpu, status, notIn, contains, dur] = p.rules;
  assert.deepEqual(
    lat?.conditions.map((c) => [c.op, c.values[0]?.kind === 'number' && c.values[0].unit, c.level]),
    [
      ['>', 's', 'warning'],
      ['>', 's', 'critical'],
    ],
  );
  assert.equal(mem?.aggregate, 'max');
  assert.equal(mem?.explicitAggregate, true);
  assert.equal(mem?.conditions[0]?.level, 'warning', 'warning is the default level');
  assert.equal(gpu?.aggregate, 'all');
  assert.deepEqual(status?.conditions[0]?.values, [
    { kind: 'text', text: 'CrashLoopBackOff' },
    { kind: 'text', text: 'OOMKilled' },
  ]);
  assert.equal(notIn?.conditions[0]?.op, 'not in');
  assert.deepEqual(contains?.conditions[0], {
    op: '~',
    values: [{ kind: 'text', text: 'out of memory' }],
    level: 'critical',
  });
  assert.equal(dur?.source, 'run.duration >= 1.5min');
  assert.equal(mem?.source, 'max(pods.memory) > 500Mi');
});

test('mistakes get a column and a message that says what to write', () => {
  const cases: [string, number, RegExp][] = [
    ['gpu.memory.used_pct >> 95', 22, /expected a value after '>'/],
    ['pods.restarts > 0: fatal', 20, /expected a level \(warning or critical\)/],
    ['pods.restarts 0', 15, /expected a comparison/],
    ['median(pods.cpu) > 1', 1, /unknown aggregate 'median'/],
    ['pods.status in CrashLoopBackOff', 16, /expected '\(' after 'in'/],
    ['max(pods.cpu > 1', 14, /expected '\)' to close max\(/],
    ['pods.restarts > 0 critical', 19, /separate conditions with ','/],
    ['pods.restarts: 5', 16, /only 'off' is allowed/],
    ['> 5', 1, /expected a figure/],
    ['failures.kind ~ "oops', 17, /unclosed quote/],
    ['pods.restarts > 0 $', 19, /unexpected character '\$'/],
  ];
  for (const [src, column, re] of cases) {
    const p = parseExpect([src]);
    assert.equal(p.diagnostics.length, 1, src);
    assert.equal(p.diagnostics[0]?.column, column, `${src}: ${p.diagnostics[0]?.message}`);
    assert.match(p.diagnostics[0]?.message ?? '', re, src);
  }
  // A bad string does not hide the good ones.
  const p = parseExpect(['pods.restarts > 0', 'nonsense >', 'nodes.memory_pct > 80%']);
  assert.equal(p.rules.length, 2);
  assert.equal(p.diagnostics[0]?.index, 1);
});

test('property: any text gives rules or diagnostics, never an exception', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }), (xs) => {
      const p = parseExpect(xs);
      assert.ok(Array.isArray(p.rules) && Array.isArray(p.diagnostics));
    }),
    { numRuns: 500 },
  );
  const alphabet = fc.constantFrom(
    ...'ab.()<>=!~:;,%"0123456789 in not max any warning critical off'.split(''),
  );
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
      parseExpect([chars.join('')]);
    }),
    { numRuns: 1000 },
  );
});
