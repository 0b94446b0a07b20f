// Placeholder values reach commands as data only: the rewritten command runs through a real bash
// that prints its argv, for adversarial and random values.
import { after, test } from 'node:test';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import {
  PlaceholderError,
  displayCommand,
  locatePlaceholders,
  placeholdersNeedingValues,
  rewriteShellCommand,
} from './shell-placeholders';
import { placeholdersOf } from './test-support';

const PRINT_ARGS = `printargs() { printf '%s\\0' "$@"; }\n`;

// The shells under test see only the tools the templates use: should a regression ever let a value
// run as a command, `rm`, `id` and friends are not there to run.
const SAFE_BIN = mkdtempSync(join(tmpdir(), 'rb-safe-bin-'));
for (const tool of ['cat', 'tr']) {
  const found = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((f) => existsSync(f));
  if (found) symlinkSync(found, join(SAFE_BIN, tool));
}
after(() => rmSync(SAFE_BIN, { recursive: true, force: true }));
const which = (tool: string): string =>
  ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((f) => existsSync(f)) ?? tool;
const BASH = which('bash');
const SH = which('sh');

function runShell(shell: string, text: string, env: Record<string, string>): string {
  const r = spawnSync(shell === 'bash' ? BASH : SH, ['-c', PRINT_ARGS + text], {
    env: { PATH: SAFE_BIN, ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(r.status, 0, `shell failed: ${r.stderr}\n${text}`);
  return r.stdout;
}

/**
 * Many cases in one shell run (spawning is the slow part): case i has its placeholders renamed
 * `<name>` -> `<name_i>`, runs in a subshell, and its argv list ends with an \x01 separator.
 */
function argvBatch(shell: string, cases: { template: string; values: Record<string, string> }[]): string[][] {
  let script = '';
  const env: Record<string, string> = {};
  cases.forEach(({ template, values }, i) => {
    const t = template.replace(/<([a-z]+)>|\{\{([a-z]+)\}\}/g, (_m, a?: string, b?: string) =>
      a ? `<${a}_${i}>` : `{{${b!}_${i}}}`,
    );
    const vals = new Map(Object.entries(values).map(([k, v]) => [`${k}_${i}`, v]));
    const rw = rewriteShellCommand(t, placeholdersOf(t), vals);
    Object.assign(env, rw.env);
    script += `(${rw.text}\n); printf '\\001'\n`;
  });
  const out = runShell(shell, script, env);
  return out
    .split('\x01')
    .slice(0, -1)
    .map((s) => (s === '' ? [] : s.slice(0, -1).split('\0')));
}

function argvOf(shell: string, template: string, values: Record<string, string>): string[] {
  const { text, env } = rewriteShellCommand(
    template,
    placeholdersOf(template),
    new Map(Object.entries(values)),
  );
  const out = runShell(shell, text, env);
  return out === '' ? [] : out.slice(0, -1).split('\0');
}

const NASTY = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  "'; id; '",
  '"; id; "',
  'a\nid',
  'a b  c',
  '*',
  '~root',
  '$HOME',
  '${PATH}',
  '\\',
  "it's",
  '!!',
  '--kubeconfig=x',
  '>out.txt',
  '|cat',
  '&& id',
  '\t',
  'EOF',
  '$((1+1))',
  'é ☃ 𝄞',
];

test('hostile values stay one argument in every quoting context (bash)', () => {
  // [template, expected argv, whether a leading "-" is refused there]
  const cases: [string, (v: string) => string[], boolean][] = [
    ['printargs <x>', (v) => [v], true],
    ['printargs "<x>"', (v) => [v], true],
    ["printargs '<x>'", (v) => [v], true],
    ['printargs pre-<x>-post', (v) => [`pre-${v}-post`], false],
    ['printargs "a <x> b" c', (v) => [`a ${v} b`, 'c'], false],
    ["printargs 'a <x> b' c", (v) => [`a ${v} b`, 'c'], false],
    ["printargs $'a\\t<x>'", (v) => [`a\t${v}`], false],
    ['printargs --opt=<x> {{x}}', (v) => [`--opt=${v}`, v], true],
    ['printargs "$(printf %s <x>)"', (v) => [v.replace(/\n+$/, '')], true],
  ];
  for (const [template, expected, refusesDash] of cases) {
    const values = NASTY.filter((v) => !(v.startsWith('-') && refusesDash));
    for (const v of NASTY)
      if (v.startsWith('-') && refusesDash)
        assert.throws(() => argvOf('bash', template, { x: v }), /read as an option/);
    const got = argvBatch(
      'bash',
      values.map((v) => ({ template, values: { x: v } })),
    );
    values.forEach((v, i) => assert.deepEqual(got[i], expected(v), `${template} with ${JSON.stringify(v)}`));
  }
});

test('a value in an unquoted heredoc is expanded once, never parsed', () => {
  for (const v of NASTY) {
    const template = 'cat <<EOF\nvalue: <x>\nEOF\nprintargs after';
    const { text, env } = rewriteShellCommand(template, placeholdersOf(template), new Map([['x', v]]));
    assert.equal(runShell('bash', text, env), `value: ${v}\nafter\0`);
  }
});

test('a leading "-" is refused where it would become an option, accepted inside a word', () => {
  const v = new Map([['ns', '--kubeconfig=/tmp/evil']]);
  for (const t of ['kubectl get pods -n <ns>', 'kubectl get pods -n "<ns>"', "x '<ns>'"])
    assert.throws(() => rewriteShellCommand(t, placeholdersOf(t), v), /would be read as an option/);
  assert.deepEqual(argvOf('bash', 'printargs --x=<ns>', { ns: '--kubeconfig=/tmp/evil' }), [
    '--x=--kubeconfig=/tmp/evil',
  ]);
});

test('NUL bytes are refused with a message', () => {
  const t = 'echo <x>';
  assert.throws(() => rewriteShellCommand(t, placeholdersOf(t), new Map([['x', 'a\0b']])), /NUL byte/);
});

test('quoted heredocs, ${...} and unknown positions are refused, comments need no value', () => {
  const q = "python3 - <<'EOF'\nprint(<pid>)\nEOF";
  assert.throws(
    () => rewriteShellCommand(q, placeholdersOf(q), new Map([['pid', '1']])),
    (e: unknown) => {
      assert.ok(e instanceof PlaceholderError);
      assert.match(e.message, /quoted heredoc/);
      return true;
    },
  );
  const p = 'echo ${X:-<pid>}';
  assert.throws(() => rewriteShellCommand(p, placeholdersOf(p), new Map([['pid', '1']])), /\$\{\.\.\.\}/);
  const c = 'echo hi # see <pid>';
  assert.deepEqual(placeholdersNeedingValues(c, placeholdersOf(c)), []);
  assert.equal(rewriteShellCommand(c, placeholdersOf(c), new Map()).text, c);
});

test('arithmetic contexts accept whole numbers only', () => {
  const t = 'echo $(( <n> + 1 )); [[ <n> -gt 2 ]] && echo big';
  assert.equal(runShellRewritten(t, { n: '41' }), '42\nbig\n');
  for (const bad of ['a[$(id)]', '1+1', 'x'])
    assert.throws(() => rewriteShellCommand(t, placeholdersOf(t), new Map([['n', bad]])), /arithmetic/);
  const s = '[[ <ns> == kube-* ]] && echo system';
  assert.equal(runShellRewritten(s, { ns: 'kube-system' }), 'system\n');
});

function runShellRewritten(template: string, values: Record<string, string>): string {
  const { text, env } = rewriteShellCommand(
    template,
    placeholdersOf(template),
    new Map(Object.entries(values)),
  );
  return runShell('bash', text, env);
}

test('$VAR placeholders: quoted where unquoted, untouched in quotes, not needed in single quotes', () => {
  const t = `printargs $TARGET "x $TARGET" '$TARGET'`;
  const ps = placeholdersOf(t);
  assert.deepEqual(
    placeholdersNeedingValues(t, ps).map((p) => p.start),
    [ps[0]!.start, ps[1]!.start],
  );
  assert.deepEqual(argvOf('bash', t, { target: 'a b; id' }), ['a b; id', 'x a b; id', '$TARGET']);
});

test('contexts are recognised', () => {
  const t = `a <p1> "<p2>" '<p3>' $'<p4>' \${x:-<p5>} $((<p6>)) # <p7>\ncat <<E\n<p8>\nE\ncat <<'E'\n<p9>\nE`;
  const ctx = locatePlaceholders(t, placeholdersOf(t)).map((s) => s.context);
  assert.deepEqual(ctx, [
    'plain',
    'double',
    'single',
    'ansi-c',
    'param',
    'arith',
    'comment',
    'heredoc',
    'heredoc-quoted',
  ]);
});

test('display text shows values shell-quoted', () => {
  const t = 'kill -3 <pid> && grep <pattern> log';
  const shown = displayCommand(
    t,
    placeholdersOf(t),
    new Map([
      ['pid', '42'],
      ['pattern', "it's bad"],
    ]),
  );
  assert.equal(shown, `kill -3 42 && grep 'it'\\''s bad' log`);
});

const valueArb = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(...`;|&$\`'"\\ \n\t(){}[]<>*?~#!=-x1é`.split('')),
    maxLength: 30,
  }),
);

test('fuzz: no value adds a command or an argument (bash and sh)', () => {
  const templates: [string, (a: string, b: string) => string[]][] = [
    ['printargs <a> "<b>"', (a, b) => [a, b]],
    ["printargs 'k=<a>' x-<b>", (a, b) => [`k=${a}`, `x-${b}`]],
    ['printargs "<a>:<b>" {{a}}', (a, b) => [`${a}:${b}`, a]],
    ['printargs "$(printargs <a> | tr -d \'\\000\')" z<b>', (a, b) => [a.replace(/\n+$/, ''), `z${b}`]],
  ];
  for (const shell of ['bash', 'sh']) {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(valueArb, valueArb, fc.nat(templates.length - 1)), { minLength: 1, maxLength: 25 }),
        (batch) => {
          const runnable: { template: string; values: Record<string, string>; want: string[] }[] = [];
          for (const [a, b, k] of batch) {
            const [template, expect] = templates[k]!;
            try {
              rewriteShellCommand(
                template,
                placeholdersOf(template),
                new Map([
                  ['a', a],
                  ['b', b],
                ]),
              );
            } catch (e) {
              assert.ok(e instanceof PlaceholderError, String(e));
              // Refusals only for the documented reasons.
              assert.ok(/NUL|option/.test(e.message), e.message);
              continue;
            }
            runnable.push({ template, values: { a, b }, want: expect(a, b) });
          }
          if (!runnable.length) return;
          const got = argvBatch(shell, runnable);
          runnable.forEach((r, i) =>
            assert.deepEqual(got[i], r.want, `${r.template} ${JSON.stringify(r.values)}`),
          );
        },
      ),
      { numRuns: 25 },
    );
  }
});
