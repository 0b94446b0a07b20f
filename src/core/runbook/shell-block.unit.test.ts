import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitConsoleBlock, splitShellBlock, looksLikeTranscript, commentTitle } from './shell-block';
import { lexShell, assignedNames } from './shell-lex';
import { splitSql } from './sql-block';

const outline = (content: string) =>
  splitShellBlock(content).groups.map((g) => ({
    title: g.title,
    line: g.line,
    commands: g.commands.map((c) => [c.line, c.text] as const),
  }));

test('a comment line starts a step titled by it; a blank line does not', () => {
  assert.deepEqual(
    outline(
      '# Monitor memory usage\nkubectl top pods\n\ndocker stats\n# Heap dump:\njcmd 1 GC.heap_dump x\n',
    ),
    [
      {
        title: 'Monitor memory usage',
        line: 0,
        commands: [
          [1, 'kubectl top pods'],
          [3, 'docker stats'],
        ],
      },
      { title: 'Heap dump', line: 4, commands: [[5, 'jcmd 1 GC.heap_dump x']] },
    ],
  );
});

test('commands before any comment form an untitled group; shebangs and empty comments are not titles', () => {
  assert.deepEqual(outline('#!/bin/bash\n#\nuptime\n# Disk\ndf -h'), [
    { title: undefined, line: 2, commands: [[2, 'uptime']] },
    { title: 'Disk', line: 3, commands: [[4, 'df -h']] },
  ]);
});

test('consecutive comment lines: the first titles, the rest are notes; a title without commands is dropped', () => {
  assert.deepEqual(
    outline('# Old header\n\n# Check pods\n# (needs cluster access)\nkubectl get pods\n# trailing note\n'),
    [{ title: 'Check pods', line: 2, commands: [[4, 'kubectl get pods']] }],
  );
});

test('backslash continuations make one command, kept as written', () => {
  const text =
    'curl -X POST https://api.example.com/predict \\\n  -H "Content-Type: application/json" \\\n  -d \'{"text": "x"}\'';
  assert.deepEqual(outline(text), [{ title: undefined, line: 0, commands: [[0, text]] }]);
});

test('heredocs stay inside their command, quoted or not, with <<- tab stripping', () => {
  const a = 'psql "$DB" <<\'SQL\'\nSELECT 1;\nSELECT 2;\nSQL';
  const b = 'cat <<-EOF | grep x\n\tline $HOME\n\tEOF';
  assert.deepEqual(outline(`${a}\necho after\n${b}\n`), [
    {
      title: undefined,
      line: 0,
      commands: [
        [0, a],
        [4, 'echo after'],
        [5, b],
      ],
    },
  ]);
});

test('compound commands, open quotes, subshells and trailing operators continue onto the next line', () => {
  const loop = 'for p in $(kubectl get pods -o name); do\n  kubectl logs "$p" | tail -5\ndone';
  const ifs = 'if ! pg_isready; then\n  echo down\nfi';
  const quote = "psql -c '\nSELECT 1\n'";
  const pipe = 'kubectl get pods |\n  grep Crash &&\n  echo found';
  const group = '{\n  date\n  uptime\n} > report.txt';
  const sub = 'x=$(\n  kubectl get ns\n)';
  for (const c of [loop, ifs, quote, pipe, group, sub])
    assert.deepEqual(
      outline(c).flatMap((g) => g.commands.map((x) => x[1])),
      [c],
    );
});

test('`;` keeps one logical line one command; trailing comments are not part of the text', () => {
  assert.deepEqual(outline('cd /tmp; ls -la   # list it\nuptime'), [
    {
      title: undefined,
      line: 0,
      commands: [
        [0, 'cd /tmp; ls -la'],
        [1, 'uptime'],
      ],
    },
  ]);
});

test('`# runbook:` comments annotate the group below instead of titling it', () => {
  const g = splitShellBlock('# runbook: id=mem timeout=5s\n# Memory\nfree -m\n').groups;
  assert.equal(g.length, 1);
  assert.equal(g[0]!.title, 'Memory');
  assert.deepEqual(g[0]!.annotation, { text: 'id=mem timeout=5s', line: 0 });
});

test('an unclosed quote is reported and the rest of the block is one command', () => {
  const r = splitShellBlock("echo 'oops\nkubectl get pods\n");
  assert.equal(r.groups.flatMap((g) => g.commands).length, 1);
  assert.match(r.problems[0]!.message, /single quote is not closed/);
});

test('console transcripts keep prompt lines and continuations, not output', () => {
  const r = splitConsoleBlock(
    [
      '$ kubectl get pods',
      'NAME    READY   STATUS    RESTARTS   AGE',
      'web-0   1/1     Running   0          3d',
      'user@host:~/app$ curl -s http://localhost:8080/health \\',
      '> -H "Accept: application/json"',
      '{"status":"UP"}',
      '# systemctl restart nginx',
      '[root@db1 ~]# cat <<EOF',
      '> hello',
      '> EOF',
      'hello',
    ].join('\n'),
    true,
  );
  assert.deepEqual(
    r.groups.flatMap((g) => g.commands.map((c) => [c.line, c.text])),
    [
      [0, 'kubectl get pods'],
      [3, 'curl -s http://localhost:8080/health \\\n-H "Accept: application/json"'],
      [6, 'systemctl restart nginx'],
      [7, 'cat <<EOF\nhello\nEOF'],
    ],
  );
});

test('a bash block written with $ prompts is a transcript whose # lines are titles', () => {
  const content = '# Pods\n$ kubectl get pods\nNAME READY\n# Nodes\n$ kubectl get nodes\nn1 Ready\n';
  assert.equal(looksLikeTranscript(content), true);
  assert.equal(looksLikeTranscript('kubectl get pods\n'), false);
  const r = splitConsoleBlock(content, false);
  assert.deepEqual(
    r.groups.map((g) => [g.title, g.commands.map((c) => c.text)]),
    [
      ['Pods', ['kubectl get pods']],
      ['Nodes', ['kubectl get nodes']],
    ],
  );
});

test('comment titles lose their markers and trailing colon', () => {
  assert.equal(commentTitle('# Check GPU memory usage:'), 'Check GPU memory usage');
  assert.equal(commentTitle('### Step 2 ###'), 'Step 2');
  assert.equal(commentTitle('-- Composite index'), 'Composite index');
});

test('lexer: expansions only where the shell expands them', () => {
  const names = (s: string): string[] => {
    const out: string[] = [];
    const visit = (ts: ReturnType<typeof lexShell>['tokens']): void => {
      for (const t of ts)
        if (t.kind === 'word' || t.kind === 'heredoc') {
          out.push(...t.vars.map((v) => v.name));
          t.subs.forEach(visit);
        }
    };
    visit(lexShell(s).tokens);
    return out;
  };
  assert.deepEqual(names('echo "$A ${B:-x}" \'$C\' $D $1 $? $$ \\$E'), ['A', 'B', 'D']);
  assert.deepEqual(names("cat <<'X'\n$NO\nX\ncat <<Y\n$YES $(echo $SUB)\nY"), ['YES', 'SUB']);
  assert.deepEqual(names("awk '{print $1, $NF}' f"), []);
});

test('lexer: names a block assigns are known (loops, assignments, read, export)', () => {
  const out = new Set<string>();
  assignedNames(
    lexShell('PID=$(pgrep java)\nfor pod in a b; do echo $pod; done\nread -r -p "ns? " NS\nexport REGION=eu')
      .tokens,
    out,
  );
  assert.deepEqual([...out].sort(), ['NS', 'PID', 'REGION', 'pod']);
});

test('lexer: deep nesting and long input do not overflow the stack', () => {
  const deep = '$('.repeat(5000) + 'ls' + ')'.repeat(5000);
  assert.equal(lexShell(deep).complete, true);
  const long = 'echo ' + '"a" '.repeat(200_000);
  assert.equal(lexShell(long).tokens.length, 200_001);
});

test('console: an unclosed quote does not swallow the output that follows; indented lines continue', () => {
  const r = splitConsoleBlock(
    ['$ echo "oops', 'output line', '$ for i in 1 2; do', '    echo $i', '  done', '1', '2'].join('\n'),
    true,
  );
  assert.deepEqual(
    r.groups.flatMap((g) => g.commands.map((c) => c.text)),
    ['echo "oops', 'for i in 1 2; do\n    echo $i\n  done'],
  );
  assert.match(r.problems[0]!.message, /double quote is not closed/);
});

test('pathological blocks stay linear: long output after an open quote, many blank lines in SQL', () => {
  const output = Array.from({ length: 100_000 }, (_, i) => `  row ${i}`).join('\n');
  assert.equal(splitConsoleBlock(`$ echo "open\n${output}`, true).groups[0]!.commands.length, 1);
  const sql = `SELECT 1${'\n'.repeat(200_000)}FROM t;`;
  assert.equal(splitSql(sql).groups[0]!.commands.length, 1);
});
