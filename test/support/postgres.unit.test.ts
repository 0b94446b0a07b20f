// The throwaway PostgreSQL really starts, takes password auth over TCP, and leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { postgresUnavailable, startPostgres } from './postgres';

test('starts a real PostgreSQL 15, authenticates, and stop() removes the server and its files', async (t) => {
  const why = postgresUnavailable();
  if (why) return t.skip(why);
  const server = await startPostgres();
  let stopped = false;
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const r = await client.query<{ v: string; u: string; d: string }>(
      'select current_setting($1) as v, current_user as u, current_database() as d',
      ['server_version_num'],
    );
    await client.end();
    assert.match(r.rows[0]!.v, /^15\d{4}$/);
    assert.equal(r.rows[0]!.u, server.user);
    assert.equal(r.rows[0]!.d, server.database);

    const wrong = new pg.Client({
      connectionString: server.url.replace(encodeURIComponent(server.password), 'nope'),
    });
    await assert.rejects(wrong.connect(), /password authentication failed/);

    await server.stop();
    stopped = true;
    assert.equal(existsSync(server.dataDir), false);
    const after = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 3000 });
    await assert.rejects(after.connect(), /ECONNREFUSED/);
  } finally {
    if (!stopped) await server.stop();
  }
});

test('two clusters at once get different ports', async (t) => {
  const why = postgresUnavailable();
  if (why) return t.skip(why);
  const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
  try {
    assert.notEqual(a.port, b.port);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('missing binaries give a reason instead of a crash', async () => {
  const why = postgresUnavailable({ binDir: '/nonexistent/pg/bin' });
  assert.match(why ?? '', /binaries not found/);
  await assert.rejects(startPostgres({ binDir: '/nonexistent/pg/bin' }), /binaries not found/);
});
