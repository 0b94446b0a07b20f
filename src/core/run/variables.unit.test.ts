import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Variables, parseSetAnnotation, type VariablesChange } from './variables';
import { LineTap } from './line-tap';
import { missingToolFrom, missingToolMessage } from './missing-tool';
import { placeholderType, validateValue } from './placeholder-values';

test('names match across spellings; changes are announced; edit and clear work', () => {
  const v = new Variables();
  const seen: VariablesChange['kind'][] = [];
  const off = v.onDidChange((c) => seen.push(c.kind));
  v.set('POD_NAME', 'web-1', 'step:find');
  assert.equal(v.get('pod-name'), 'web-1');
  v.set('pod-name', 'web-2');
  assert.deepEqual(v.entry('Pod_Name'), {
    ...v.entry('POD_NAME')!,
    name: 'POD_NAME',
    value: 'web-2',
    source: 'user',
  });
  v.set('API_TOKEN', 'tok-123456');
  assert.deepEqual(v.secretValues(), ['tok-123456']);
  assert.equal(v.delete('pod_name'), true);
  v.clear();
  off();
  v.set('x', '1');
  assert.deepEqual(seen, ['set', 'set', 'set', 'delete', 'clear']);
  assert.throws(() => v.set('--', 'x'), /not a usable variable name/);
});

test('set= annotations: names, regexes with commas, clear errors', () => {
  const specs = parseSetAnnotation('POD, PORT=/port (\\d+), ok/, LAST');
  assert.deepEqual(
    specs.map((s) => [s.name, s.regex?.source]),
    [
      ['POD', undefined],
      ['PORT', 'port (\\d+), ok'],
      ['LAST', undefined],
    ],
  );
  assert.throws(() => parseSetAnnotation('X=/(/'), /bad regex for X/);
  assert.throws(() => parseSetAnnotation('1abc'), /expected NAME or NAME=\/regex\//);
});

test('line tap: ::set lines, last line and captures across chunk borders, bounded', () => {
  const t = new LineTap([/ready on :(\d+)/]);
  for (const piece of [
    '::se',
    't A=1\nready on',
    ' :80',
    '80\n\x1b[32m::set B=two words\x1b[0m\nlast',
    ' line\n\n',
  ])
    t.push(piece);
  t.end();
  assert.deepEqual(t.sets, [
    { name: 'A', value: '1' },
    { name: 'B', value: 'two words' },
  ]);
  assert.equal(t.lastLine, 'last line');
  assert.deepEqual(t.captured, ['8080']);
  const big = new LineTap();
  for (let i = 0; i < 100; i++) big.push('x'.repeat(10_000));
  big.push('\n');
  assert.ok(big.lastLine.length <= 64 * 1024);
});

test('missing tools are recognised from bash, dash and zsh messages', () => {
  assert.equal(missingToolFrom(127, 'bash: line 1: py-spy: command not found\n'), 'py-spy');
  assert.equal(missingToolFrom(127, 'sh: 1: kubectl: not found\n'), 'kubectl');
  assert.equal(missingToolFrom(127, 'zsh:1: command not found: gpustat\n'), 'gpustat');
  assert.equal(missingToolFrom(1, 'bash: line 1: py-spy: command not found\n'), null);
  assert.match(missingToolMessage('jcmd'), /jcmd is not installed.*JDK/);
  assert.match(missingToolMessage('redis-cli'), /redis-tools/);
  assert.equal(missingToolMessage('frob'), 'frob is not installed (or not on PATH)');
});

test('placeholder types and validation', () => {
  assert.equal(placeholderType('pid'), 'pid');
  assert.equal(placeholderType('java-pid'), 'pid');
  assert.equal(placeholderType('namespace'), 'namespace');
  assert.equal(placeholderType('pod-name'), 'k8s-name');
  assert.equal(placeholderType('grafana_url'), 'url');
  assert.equal(placeholderType('DATABASE_URL'), 'text');
  assert.equal(validateValue('pid', '1234'), null);
  for (const bad of ['0', '-1', '12a', '1 2'])
    assert.match(validateValue('pid', bad)!, /positive whole number/);
  assert.equal(validateValue('namespace', 'kube-system'), null);
  assert.match(validateValue('namespace', 'Kube_System')!, /DNS label/);
  assert.equal(validateValue('pod', 'web-7f9c.x'), null);
  assert.match(validateValue('pod', '--kubeconfig=x')!, /DNS subdomain/);
  assert.equal(validateValue('url', 'https://grafana.example/d/x'), null);
  assert.match(validateValue('url', 'file:///etc/passwd')!, /only http and https/);
  assert.match(validateValue('url', 'javascript:alert(1)')!, /only http and https/);
  assert.match(validateValue('note', 'a\0b')!, /NUL/);
  assert.equal(validateValue('note', 'anything; goes $(here)'), null);
  assert.match(validateValue('port', '70000')!, /1 to 65535/);
});
