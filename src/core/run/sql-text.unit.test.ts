import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySql, rewriteSqlPlaceholders, statements } from './sql-text';
import { parseConnectionString } from './pg-connection';
import { placeholdersOf } from './test-support';

test('EXPLAIN ANALYZE of data-changing statements is recognised, in every spelling', () => {
  for (const s of [
    'EXPLAIN ANALYZE UPDATE t SET a = 1',
    'explain (analyze, buffers) delete from t where id = 3;',
    'EXPLAIN (FORMAT JSON, ANALYSE) INSERT INTO t VALUES (1)',
    'explain analyze verbose with x as (delete from t returning *) select * from x',
  ])
    assert.deepEqual(classifySql(s), { explainAnalyzeWrite: true, write: false, statementCount: 1 }, s);
});

test('plain EXPLAIN and reads are reads; writes are writes', () => {
  assert.equal(classifySql('EXPLAIN UPDATE t SET a = 1').write, false);
  assert.equal(classifySql('explain (analyze false) delete from t').explainAnalyzeWrite, false);
  assert.equal(classifySql('select * from pg_stat_activity').write, false);
  assert.equal(classifySql("select 'update t set x = 1' as s -- delete").write, false);
  for (const s of [
    'UPDATE t SET a = 1',
    'select pg_terminate_backend(123)',
    'VACUUM ANALYZE t',
    'create index concurrently i on t(a)',
    'select 1; drop table t',
    'SET statement_timeout = 0',
    'EXPLAIN ANALYZE UPDATE t SET a = 1; UPDATE t SET a = 2',
  ])
    assert.equal(classifySql(s).write, true, s);
  assert.equal(
    classifySql('EXPLAIN ANALYZE UPDATE t SET a = 1; UPDATE t SET a = 2').explainAnalyzeWrite,
    false,
  );
});

test('statements split outside strings, identifiers, comments and dollar quotes', () => {
  assert.equal(statements(`select ';' as "a;b"; /* ; */ select $x$ ; $x$ -- ;\n`).length, 2);
});

test('placeholders in comments are ignored; in identifiers or multi-statement text refused', () => {
  const c = 'select 1 -- for <pid>';
  assert.deepEqual(rewriteSqlPlaceholders(c, placeholdersOf(c), new Map()), { text: c, params: [] });
  const i = 'select * from "<table>"';
  assert.throws(
    () => rewriteSqlPlaceholders(i, placeholdersOf(i), new Map([['table', 't']])),
    /quoted identifier/,
  );
  const m = 'select <pid>; select 2';
  assert.throws(
    () => rewriteSqlPlaceholders(m, placeholdersOf(m), new Map([['pid', '1']])),
    /single statement/,
  );
  const same = 'select <pid>, <pid>';
  assert.deepEqual(rewriteSqlPlaceholders(same, placeholdersOf(same), new Map([['pid', '7']])), {
    text: 'select $1, $1',
    params: ['7'],
  });
});

test('connection strings: URL and key=value forms, no password in the description', () => {
  const u = parseConnectionString('postgresql://app:p%40ss@db.example:6543/orders?sslmode=require');
  assert.equal(u.password, 'p@ss');
  assert.equal(u.describe, 'app@db.example:6543/orders');
  assert.deepEqual(u.ssl, { rejectUnauthorized: false });
  const k = parseConnectionString("host=/var/run/postgresql port=5433 dbname=x user=me password='a b\\'c'");
  assert.equal(k.host, '/var/run/postgresql');
  assert.equal(k.port, 5433);
  assert.equal(k.password, "a b'c");
  assert.throws(() => parseConnectionString('mysql://x'), /postgres:\/\/ URL or key=value/);
  assert.throws(() => parseConnectionString('postgres://h:99999/d'), /not valid|port/);
});
