import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptPlaceholders, shellPlaceholders, sqlPlaceholders } from './placeholders';
import { assignedNames, lexShell } from './shell-lex';

function shell(text: string, block = text): string[] {
  const assigned = new Set<string>();
  assignedNames(lexShell(block).tokens, assigned);
  return shellPlaceholders(text, lexShell(text).tokens, 0, assigned).map((p) => `${p.syntax}:${p.name}`);
}

test('shell: angle, mustache and environment placeholders, in order', () => {
  assert.deepEqual(shell('kubectl -n {{namespace}} logs <pod-name> --since=${SINCE:-1h} > $OUT_DIR/log'), [
    'mustache:namespace',
    'angle:pod-name',
    'env:SINCE',
    'env:OUT_DIR',
  ]);
});

test('shell: raw text and offsets point into the command', () => {
  const text = 'jcmd <pid> VM.gc && echo "${TAG}"';
  const ps = shellPlaceholders(text, lexShell(text).tokens, 0, new Set());
  for (const p of ps) assert.equal(text.slice(p.start, p.start + p.raw.length), p.raw);
  assert.deepEqual(
    ps.map((p) => p.raw),
    ['<pid>', '${TAG}'],
  );
});

test('shell: Go templates, redirections, heredoc markers and specials are not placeholders', () => {
  assert.deepEqual(
    shell('docker stats --format "table {{.Container}}\\t{{.CPUPerc}}\\t{{ .MemUsage }}"'),
    [],
  );
  assert.deepEqual(shell("docker inspect -f '{{json .State}}' web"), []);
  assert.deepEqual(shell("psql <<'SQL'\nSELECT 1 WHERE 2 < 3;\nSQL"), []);
  assert.deepEqual(shell('sort < input.txt > out.txt 2>&1'), []);
  assert.deepEqual(shell('echo $1 $? $$ $# $@ $! $0'), []);
  assert.deepEqual(shell("awk '{print $NF}' f"), []);
  assert.deepEqual(shell('echo \\$LITERAL'), []);
  assert.deepEqual(shell('echo $HOME $PWD'), []);
  assert.deepEqual(shell('cat f | grep "<title>"'), []);
});

test('shell: placeholders inside heredocs follow the heredoc quoting', () => {
  assert.deepEqual(
    shell("psql <<'SQL'\nSELECT * FROM pg_stat_activity WHERE pid = <pid> AND a = '$NOT';\nSQL"),
    ['angle:pid'],
  );
  assert.deepEqual(shell('psql <<SQL\nSELECT $LIMIT;\nSQL'), ['env:LIMIT']);
});

test('shell: variables the block sets itself are not asked for', () => {
  const block =
    'PID=$(pgrep -f java)\njcmd $PID Thread.print\nfor pod in $(kubectl get pods -o name); do kubectl logs $pod; done';
  assert.deepEqual(shell('jcmd $PID Thread.print', block), []);
  assert.deepEqual(shell('for pod in $(kubectl get pods -o name); do kubectl logs $pod; done', block), []);
  assert.deepEqual(shell('kubectl logs $POD', block), ['env:POD']);
});

test('shell: comments hold no placeholders', () => {
  assert.deepEqual(shell('uptime # then check <pid> in $LOG'), []);
});

test('SQL: <name>, {{name}} and ${NAME}, but not comparisons, $1, dollar quotes or comments', () => {
  const names = (s: string) => sqlPlaceholders(s).map((p) => `${p.syntax}:${p.name}`);
  assert.deepEqual(
    names("SELECT * FROM pg_stat_activity WHERE pid = <pid> AND usename = '{{user}}' LIMIT ${LIMIT}"),
    ['angle:pid', 'mustache:user', 'env:LIMIT'],
  );
  assert.deepEqual(names('SELECT a FROM t WHERE a<b AND c>d AND x <> y AND $1 > 0'), []);
  assert.deepEqual(names('SELECT $$ a < b $$, $tag$ x $tag$ -- <pid>\n/* {{ns}} */'), []);
  // Like quoted strings, dollar-quoted bodies are text an author may leave a placeholder in.
  assert.deepEqual(names("SELECT $$<region>$$, '<email>'"), ['angle:region', 'angle:email']);
  assert.deepEqual(names('SELECT $VAR'), []);
});

test('scripts: <name> and {{name}} only, not ${x} or generics', () => {
  const names = (s: string) => scriptPlaceholders(s).map((p) => `${p.syntax}:${p.name}`);
  assert.deepEqual(names('const url = `http://${host}/x`; fetch("<endpoint>")'), ['angle:endpoint']);
  assert.deepEqual(names('let xs: Array<string> = []; if (a<b && c>d) {}'), []);
  assert.deepEqual(names('print("{{ region }}")'), ['mustache:region']);
});
