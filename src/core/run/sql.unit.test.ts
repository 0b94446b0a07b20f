// Query steps against a real, throwaway PostgreSQL 15.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../../../test/support/postgres';
import { Masker, MASK } from './mask';
import { executeSql, type SqlOptions } from './sql';
import { rewriteSqlPlaceholders } from './sql-text';
import { placeholdersOf } from './test-support';

const why = postgresUnavailable();
let server: TestPostgres;

const opts = (more: Partial<SqlOptions> = {}): SqlOptions => ({
  connectionString: server.url,
  isTrusted: () => true,
  masker: new Masker(),
  timeoutMs: 30_000,
  ...more,
});

async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

describe('query steps on a real PostgreSQL', { skip: why ?? false }, () => {
  before(async () => {
    server = await startPostgres();
    await admin('create table accounts (id int primary key, owner text, balance int)');
    await admin("insert into accounts values (1, 'ann', 100), (2, 'bob', 50)");
  });
  after(async () => server?.stop());

  test('columns, rows, command tag and row count come back; string cells are masked', async () => {
    const r = await executeSql(
      "select id, owner, balance, now() as at, 'postgres://x:hunter22@h/d' as url from accounts order by id",
      [],
      opts(),
    );
    assert.equal(r.status, 'ok', r.message);
    const [set] = r.results;
    assert.equal(set!.command, 'SELECT');
    assert.equal(set!.rowCount, 2);
    assert.deepEqual(
      set!.columns.map((c) => [c.name, c.type]),
      [
        ['id', 'int4'],
        ['owner', 'text'],
        ['balance', 'int4'],
        ['at', 'timestamptz'],
        ['url', 'text'],
      ],
    );
    assert.deepEqual(set!.rows[0]!.slice(0, 3), [1, 'ann', 100]);
    assert.match(String(set!.rows[0]![3]), /^\d{4}-\d\d-\d\dT/);
    assert.equal(set!.rows[0]![4], `postgres://x:${MASK}@h/d`);
    assert.equal(r.target, `${server.user}@127.0.0.1:${server.port}/${server.database}`);
  });

  test('several statements give several result sets; maxRows bounds what is kept', async () => {
    const r = await executeSql(
      'select 1 as a; select generate_series(1, 50) as n',
      [],
      opts({ maxRows: 10 }),
    );
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.results.length, 2);
    assert.equal(r.results[1]!.rows.length, 10);
    assert.equal(r.results[1]!.rowCount, 50);
    assert.equal(r.results[1]!.truncated, true);
  });

  test('placeholder values are bind parameters, never SQL', async () => {
    const text = "select owner from accounts where id = <id> or owner like '%<name>%' order by id";
    const evil = "x' or 1=1; drop table accounts; --";
    const rw = rewriteSqlPlaceholders(
      text,
      placeholdersOf(text),
      new Map([
        ['id', '2'],
        ['name', evil],
      ]),
    );
    assert.equal(rw.text, 'select owner from accounts where id = $1 or owner like $2 order by id');
    assert.deepEqual(rw.params, ['2', `%${evil}%`]);
    const r = await executeSql(rw.text, rw.params, opts());
    assert.equal(r.status, 'ok', r.message);
    assert.deepEqual(r.results[0]!.rows, [['bob']]);
    assert.equal((await admin('select count(*)::int as n from accounts'))[0]!.n, 2);
  });

  test('EXPLAIN ANALYZE of an UPDATE runs inside BEGIN ... ROLLBACK', async () => {
    const r = await executeSql('EXPLAIN (ANALYZE, FORMAT JSON) update accounts set balance = 0', [], opts());
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.rolledBack, true);
    const plan = r.results[0]!.rows[0]![0] as { Plan: { 'Node Type': string } }[];
    assert.equal(plan[0]!.Plan['Node Type'], 'ModifyTable');
    const rows = await admin<{ balance: number }>('select balance from accounts order by id');
    assert.deepEqual(
      rows.map((x) => x.balance),
      [100, 50],
    );
  });

  test('errors come back with the server message, code and position', async () => {
    const r = await executeSql('select * from no_such_table', [], opts());
    assert.equal(r.status, 'failed');
    assert.equal(r.message, 'ERROR: relation "no_such_table" does not exist');
    assert.equal(r.error?.code, '42P01');
    assert.equal(r.error?.position, 15);
  });

  for (const [what, make] of [
    ['cancel', (ac: AbortController) => ({ signal: ac.signal })],
    ['timeout', () => ({ timeoutMs: 400 })],
  ] as const) {
    test(`${what} sends a real cancel: the query leaves pg_stat_activity`, async () => {
      const ac = new AbortController();
      const marker = `rb_cancel_${what}_${Date.now()}`;
      const run = executeSql(`select pg_sleep(60) as ${marker}`, [], opts(make(ac)));
      const activeNow = async (): Promise<number> =>
        (
          await admin<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where state = 'active' and query like $1",
            [`%${marker}%`],
          )
        )[0]!.n;
      const t0 = Date.now();
      while ((await activeNow()) === 0) {
        assert.ok(Date.now() - t0 < 5000, 'the query never showed up');
        await new Promise((r) => setTimeout(r, 50));
      }
      if (what === 'cancel') ac.abort();
      const r = await run;
      assert.equal(r.status, what === 'cancel' ? 'cancelled' : 'timeout');
      assert.match(r.message ?? '', /cancelled on the server/);
      assert.ok(r.durationMs < 10_000);
      assert.equal(await activeNow(), 0);
    });
  }

  test('password from the secret provider; a wrong one is refused with the password masked', async () => {
    const ok = await executeSql(
      'select 1',
      [],
      opts({
        connectionString: server.urlWithoutPassword,
        password: async () => server.password,
      }),
    );
    assert.equal(ok.status, 'ok', ok.message);
    const wrong = 'wrong-password-123';
    const bad = await executeSql(
      'select 1',
      [],
      opts({
        connectionString: server.urlWithoutPassword,
        password: () => wrong,
      }),
    );
    assert.equal(bad.status, 'error');
    assert.match(bad.message ?? '', /password authentication failed/);
    assert.ok(!JSON.stringify(bad).includes(wrong));
    const none = await executeSql('select 1', [], opts({ connectionString: server.urlWithoutPassword }));
    assert.equal(none.status, 'error');
    assert.match(none.message ?? '', /asks for a password and none was given/);
  });

  test('DATABASE_URL is used when no connection string is given', async () => {
    const r = await executeSql(
      'select current_database() as d',
      [],
      opts({ connectionString: undefined, env: { DATABASE_URL: server.url } }),
    );
    assert.deepEqual(r.results[0]!.rows, [[server.database]]);
  });
});

describe('query steps without a usable server', () => {
  const base = (connectionString: string, more: Partial<SqlOptions> = {}): SqlOptions => ({
    connectionString,
    isTrusted: () => true,
    masker: new Masker(),
    timeoutMs: 30_000,
    ...more,
  });

  async function listen(onConn: (s: Socket) => void): Promise<{ srv: Server; port: number }> {
    const srv = createServer(onConn);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return { srv, port: (srv.address() as { port: number }).port };
  }

  test('connection refused is said plainly, fast', async () => {
    const { srv, port } = await listen(() => undefined);
    await new Promise((r) => srv.close(r));
    const r = await executeSql('select 1', [], base(`postgres://u:pw-secret-9@127.0.0.1:${port}/d`));
    assert.equal(r.status, 'error');
    assert.match(r.message ?? '', /connection refused/);
    assert.ok(r.durationMs < 5000);
  });

  test('a server that never answers gives a timeout message, no hang', async () => {
    const sockets: Socket[] = [];
    const { srv, port } = await listen((s) => sockets.push(s));
    try {
      const r = await executeSql(
        'select 1',
        [],
        base(`postgres://u@127.0.0.1:${port}/d`, { connectTimeoutMs: 500 }),
      );
      assert.equal(r.status, 'error');
      assert.match(r.message ?? '', /no answer within/);
      assert.ok(r.durationMs < 5000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => srv.close(r));
    }
  });

  test('untrusted: no connection is even opened', async () => {
    let connections = 0;
    const { srv, port } = await listen((s) => {
      connections++;
      s.destroy();
    });
    try {
      const r = await executeSql(
        'select 1',
        [],
        base(`postgres://u@127.0.0.1:${port}/d`, { isTrusted: () => false }),
      );
      assert.equal(r.status, 'refused');
      assert.equal(connections, 0);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  test('no connection string at all is a clear message', async () => {
    const r = await executeSql('select 1', [], {
      isTrusted: () => true,
      masker: new Masker(),
      timeoutMs: 0,
      env: {},
    });
    assert.equal(r.status, 'error');
    assert.match(r.message ?? '', /no database to connect to/);
  });
});
