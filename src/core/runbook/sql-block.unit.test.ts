import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSql } from './sql-block';

const outline = (sql: string) =>
  splitSql(sql).groups.map((g) => ({
    title: g.title,
    line: g.line,
    statements: g.commands.map((c) => [c.line, c.text] as const),
  }));

test('one command per statement; a comment line titles the statements after it', () => {
  assert.deepEqual(
    outline(
      "-- Composite index\nCREATE INDEX a ON t(x);\n\n-- Partial index\nCREATE INDEX b ON t(y) WHERE s = 'p';\nANALYZE t;\n",
    ),
    [
      { title: 'Composite index', line: 0, statements: [[1, 'CREATE INDEX a ON t(x);']] },
      {
        title: 'Partial index',
        line: 3,
        statements: [
          [4, "CREATE INDEX b ON t(y) WHERE s = 'p';"],
          [5, 'ANALYZE t;'],
        ],
      },
    ],
  );
});

test('semicolons inside strings, quoted identifiers, dollar bodies and comments do not split', () => {
  const stmts = [
    "SELECT 'a;b', E'it\\'s;', \"odd;name\" FROM t;",
    'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;',
    'DO $$ BEGIN PERFORM 1; END $$;',
    'SELECT 1 /* a; /* nested; */ still comment; */ + 1;',
    'SELECT 2 -- trailing; comment\n  + 2;',
  ];
  assert.deepEqual(
    outline(stmts.join('\n')).flatMap((g) => g.statements.map((s) => s[1])),
    stmts,
  );
});

test('$1 parameters are not dollar quotes', () => {
  assert.deepEqual(
    outline('SELECT $1::int; SELECT $2;').flatMap((g) => g.statements.map((s) => s[1])),
    ['SELECT $1::int;', 'SELECT $2;'],
  );
});

test('a comment after a statement on the same line does not title the next one', () => {
  assert.deepEqual(outline('SELECT 1; -- one\nSELECT 2;'), [
    {
      title: undefined,
      line: 0,
      statements: [
        [0, 'SELECT 1;'],
        [1, 'SELECT 2;'],
      ],
    },
  ]);
});

test('psql meta-commands are one command per line; \\gx ends a statement', () => {
  assert.deepEqual(
    outline('\\x on\nSELECT * FROM pg_stat_activity \\gx\n\\dt+ public.*\n').flatMap((g) =>
      g.statements.map((s) => s[1]),
    ),
    ['\\x on', 'SELECT * FROM pg_stat_activity \\gx', '\\dt+ public.*'],
  );
});

test('a statement without ; ends at a blank line before the next statement or comment', () => {
  assert.deepEqual(
    outline(
      '-- Active\nSELECT count(*)\nFROM pg_stat_activity\n\n-- Waiting\nSELECT * FROM pg_locks WHERE NOT granted\n',
    ),
    [
      { title: 'Active', line: 0, statements: [[1, 'SELECT count(*)\nFROM pg_stat_activity']] },
      { title: 'Waiting', line: 4, statements: [[5, 'SELECT * FROM pg_locks WHERE NOT granted']] },
    ],
  );
  // A blank line inside a statement that continues (no keyword after it) does not split.
  assert.equal(outline('SELECT a\n\nFROM t;').flatMap((g) => g.statements).length, 1);
});

test('block comments on their own line title too; `-- runbook:` annotates', () => {
  const g = splitSql('/*\n * Long-running queries\n */\n-- runbook: timeout=10s\nSELECT 1;').groups;
  assert.equal(g[0]!.title, 'Long-running queries');
  assert.deepEqual(g[0]!.annotation, { text: 'timeout=10s', line: 3 });
});

test('unclosed strings and dollar bodies are reported, not thrown', () => {
  const r = splitSql("SELECT 'oops;\nSELECT 2;");
  assert.equal(r.groups[0]!.commands.length, 1);
  assert.match(r.problems[0]!.message, /string is not closed/);
  assert.match(splitSql('DO $$ BEGIN').problems[0]!.message, /\$\$ body is not closed/);
});
