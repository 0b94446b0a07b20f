// The rules of docs/authoring.md, one small document each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from './parse';
import { allSteps, type Runbook, type Section } from './model';

const md = (...lines: string[]): string => lines.join('\n');
const tree = (rb: Runbook): unknown[] => {
  const one = (s: Section): unknown[] => [s.title, s.origin, ...s.sections.map(one)];
  return rb.sections.map(one);
};
const steps = (text: string) => allSteps(parseRunbook(text)).map((s) => `${s.kind}:${s.title}`);

test('nesting: === lines sit one level below the real heading they open in', () => {
  const rb = parseRunbook(md('# Guide', '=== Setup ===', '### Detail', '## Next', '=== Inner ==='));
  assert.deepEqual(tree(rb), [
    ['Guide', 'atx', ['Setup', 'equals-line', ['Detail', 'atx']], ['Next', 'atx', ['Inner', 'equals-line']]],
  ]);
});

test('nesting: fewer = is outer; bold closes bold; labels close labels', () => {
  const rb = parseRunbook(
    md(
      '== A ==',
      '',
      '=== B ===',
      '',
      '**C**',
      '',
      'One:',
      '- x',
      '',
      'Two:',
      '- y',
      '',
      '**D**',
      '',
      '== E ==',
    ),
  );
  assert.deepEqual(tree(rb), [
    [
      'A',
      'equals-line',
      ['B', 'equals-line', ['C', 'bold-line', ['One', 'label'], ['Two', 'label']], ['D', 'bold-line']],
    ],
    ['E', 'equals-line'],
  ]);
});

test('a bold line and a label in one paragraph; `**Label:**` before a list is a label', () => {
  const rb = parseRunbook(md('**Memory Leaks**', 'Symptoms:', '- slow', '', '**Fixes:**', '- restart'));
  // A label opens inside the bold section before it, like any other label.
  assert.deepEqual(tree(rb), [['Memory Leaks', 'bold-line', ['Symptoms', 'label'], ['Fixes', 'label']]]);
});

test('labels versus lead-ins: a sentence ending in : titles the block below instead', () => {
  const rb = parseRunbook(
    md(
      '# Pods',
      '',
      'Check the pods with:',
      '```bash',
      'kubectl get pods',
      '```',
      '',
      'Example output:',
      '```',
      'NAME READY',
      '```',
    ),
  );
  assert.deepEqual(tree(rb), [['Pods', 'atx']]);
  assert.deepEqual(
    allSteps(rb).map((s) => [s.title, s.line]),
    [['Check the pods with', 4]],
  );
});

test('a lead-in survives an annotation comment, not a table or list in between', () => {
  const rb = parseRunbook(
    md(
      '# S',
      'Restart the workers:',
      '<!-- runbook: confirm -->',
      '```bash',
      'systemctl restart worker',
      '```',
      '',
      'Then look:',
      '',
      '| a |',
      '|---|',
      '| b |',
      '',
      '```bash',
      'uptime',
      '```',
    ),
  );
  assert.deepEqual(
    allSteps(rb).map((s) => s.title),
    ['Restart the workers', 'S'],
  );
});

test('manual steps: numbered and tasks yes; bullets only in procedure sections; info sections never', () => {
  assert.deepEqual(steps(md('Notes:', '- a', '- b')), []);
  assert.deepEqual(steps(md('Emergency Mitigation:', '- Scale out', '  - detail')), ['manual:Scale out']);
  assert.deepEqual(steps(md('Service Degradation:', '1. Roll back', '2. Scale out')), [
    'manual:Roll back',
    'manual:Scale out',
  ]);
  assert.deepEqual(steps(md('Common Causes and Fixes:', '1. Pool too small → raise it')), []);
  assert.deepEqual(steps(md('Symptoms:', '- [ ] Confirmed with the customer')), [
    'manual:Confirmed with the customer',
  ]);
  assert.deepEqual(steps(md('Steps to fix:', '- Restart')), ['manual:Restart']);
});

test('a list item holding code is one step titled by the item; its blocks of the same kind merge', () => {
  const rb = parseRunbook(
    md(
      'Symptoms:',
      '- See the errors:',
      '  ```bash',
      '  # ignored as a title',
      '  kubectl logs web-0',
      '  ```',
      '  ```bash',
      '  kubectl logs web-1',
      '  ```',
      '  ```sql',
      '  SELECT 1;',
      '  ```',
    ),
  );
  assert.deepEqual(
    allSteps(rb).map((s) => [s.kind, s.title, s.line, s.commands.map((c) => c.text)]),
    [
      ['command', 'See the errors', 2, ['kubectl logs web-0', 'kubectl logs web-1']],
      ['query', 'See the errors', 10, ['SELECT 1;']],
    ],
  );
  assert.equal(new Set(allSteps(rb).map((s) => s.id)).size, 2);
});

test('annotations before a list, at the start of an item, and a skipped item', () => {
  const rb = parseRunbook(
    md(
      'Runbook steps:',
      '<!-- runbook: id=first confirm -->',
      '1. Drain the node',
      '2. <!-- runbook: timeout=5m expect="node Ready" --> Wait for it',
      '3. <!-- runbook: skip --> Not really a step',
    ),
  );
  assert.deepEqual(
    allSteps(rb).map((s) => [s.id, s.title, s.annotations]),
    [
      ['first', 'Drain the node', { id: 'first', confirm: true }],
      ['runbook-steps/wait-for-it', 'Wait for it', { timeoutSeconds: 300, expect: ['node Ready'] }],
    ],
  );
  assert.deepEqual(rb.sections[0]!.items, [{ text: 'Not really a step', line: 5, depth: 0 }]);
});

test('in-block annotations annotate the next comment-titled step', () => {
  const rb = parseRunbook(
    md(
      '```bash',
      '# Look',
      'kubectl get pods',
      '# runbook: confirm id=kill',
      '# Kill it',
      'kubectl delete pod x',
      '```',
    ),
  );
  assert.deepEqual(
    allSteps(rb).map((s) => [s.id, s.title, s.annotations]),
    [
      ['look', 'Look', {}],
      ['kill', 'Kill it', { confirm: true, id: 'kill' }],
    ],
  );
});

test('an annotated block is one step; fence attributes win over the comment', () => {
  const rb = parseRunbook(
    md(
      '# S',
      '<!-- runbook: title="Both" timeout=10 -->',
      '```bash {timeout=20 owner=sre}',
      '# A',
      'uptime',
      '# B',
      'df -h',
      '```',
    ),
  );
  const [s] = allSteps(rb);
  assert.equal(allSteps(rb).length, 1);
  assert.equal(s!.title, 'Both');
  assert.deepEqual(s!.annotations, { title: 'Both', timeoutSeconds: 20, extra: { owner: 'sre' } });
  assert.deepEqual(
    s!.commands.map((c) => c.text),
    ['uptime', 'df -h'],
  );
});

test('effect=write upgrades; effect=read only downgrades defaults and warns on a known write', () => {
  const rb = parseRunbook(
    md(
      '<!-- runbook: effect=write -->',
      '```bash',
      'kubectl get pods',
      '```',
      '<!-- runbook: effect=read -->',
      '```bash',
      './check-health.sh',
      'kubectl delete pod web-0',
      '```',
    ),
  );
  const [a, b] = allSteps(rb);
  assert.deepEqual(
    a!.commands.map((c) => [c.effect, c.effectRule]),
    [['write', 'annotation']],
  );
  assert.deepEqual(
    b!.commands.map((c) => [c.effect, c.effectRule]),
    [
      ['read', 'annotation'],
      ['write', 'kubectl-write'],
    ],
  );
  assert.deepEqual(
    rb.diagnostics.map((d) => [d.line, d.message]),
    [[8, 'effect=read ignored for "kubectl delete pod web-0": kubectl delete: changes cluster state']],
  );
});

test('annotation problems are diagnostics with lines; duplicate ids get a suffix and an error', () => {
  const rb = parseRunbook(
    md(
      '<!-- runbook: id=a timeout=soon -->',
      '```bash',
      'uptime',
      '```',
      '',
      '```bash {id=a}',
      'df -h',
      '```',
    ),
  );
  assert.deepEqual(
    allSteps(rb).map((s) => s.id),
    ['a', 'a-2'],
  );
  assert.deepEqual(
    rb.diagnostics.map((d) => [d.line, d.severity, d.message]),
    [
      [1, 'warning', 'timeout "soon" is not a duration (30, 30s, 500ms, 2m, 1h)'],
      [6, 'error', 'step id "a" is used twice; this one gets a suffix'],
    ],
  );
});

test('generated ids: section path + title, suffix only for duplicates, author ids never taken', () => {
  const rb = parseRunbook(
    md(
      '# Disk',
      '1. Check',
      '2. Check',
      '',
      '## Disk',
      '1. Check',
      '',
      '```bash {id=disk/check-3}',
      'df',
      '```',
    ),
  );
  assert.deepEqual(
    allSteps(rb).map((s) => s.id),
    ['disk/check', 'disk/check-2', 'disk/disk/check', 'disk/check-3'],
  );
});

test('duplicate titles: same-titled steps and sibling sections are numbered, never colliding', () => {
  const rb = parseRunbook(md('Steps:', '1. Check', '2. Check', '3. Check 2', '', 'Steps:', '1. Check'));
  assert.deepEqual(
    allSteps(rb).map((s) => s.id),
    ['steps/check', 'steps/check-2', 'steps/check-2-2', 'steps-2/check'],
  );
});

test('an author id that equals a generated one keeps it; the generated one steps aside', () => {
  const rb = parseRunbook(
    md('Steps:', '1. Check', '', '<!-- runbook: id=steps/check -->', '```bash', 'uptime', '```'),
  );
  assert.deepEqual(
    allSteps(rb).map((s) => [s.title, s.id]),
    [
      ['Check', 'steps/check-2'],
      ['Steps', 'steps/check'],
    ],
  );
});

test('lang= makes an unlabelled or unknown block runnable; bare blocks are read by their first line', () => {
  assert.deepEqual(steps(md('# T', '<!-- runbook: lang=bash -->', '```', 'my-tool --check', '```')), [
    'command:T',
  ]);
  assert.deepEqual(steps(md('# T', '```', '$ my-tool --check', 'ok', '```')), ['command:T']);
  assert.deepEqual(steps(md('# T', '```', 'SELECT 1;', '```')), ['query:T']);
  assert.deepEqual(steps(md('# T', '```', 'INFO server started', '```')), []);
  assert.deepEqual(steps(md('# T', '```go', 'fmt.Println(1)', '```')), []);
});

test('deep nesting and huge lines do not throw or blow up', () => {
  const deep = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
  const quotes = `${'> '.repeat(500)}\`\`\`bash\n${'> '.repeat(500)}uptime`;
  const huge = `# ${'x'.repeat(1_000_000)}\n${'=== '.repeat(100_000)}\n**${'*'.repeat(100_000)}`;
  for (const text of [deep, quotes, huge]) {
    const rb = parseRunbook(text);
    assert.ok(!rb.diagnostics.some((d) => d.message.startsWith('internal')));
  }
  assert.ok(parseRunbook(huge).sections[0]!.title.length <= 200);
});
