// Connections against max_connections on a real PostgreSQL 15: driven above 90%, the step turns
// critical and the diagnosis points at the seed's "Database connection exhaustion".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import {
  DEFAULT_PG_BIN,
  postgresUnavailable,
  startPostgres,
  type TestPostgres,
} from '../../../test/support/postgres';
import { recognize } from './index';
import { parsePgConnections, type PgConnections } from './pg-activity';
import { parsePsqlTable } from './psql-table';
import { evaluate } from '../check/evaluate';
import { causeItemsFromMarkdown, diagnose } from '../check/diagnose';

const why = postgresUnavailable();
const MAX = 20;
let server: TestPostgres | null = null;
const held: pg.Client[] = [];

const seedItems = causeItemsFromMarkdown(
  readFileSync(
    resolve(__dirname, '..', '..', '..', '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt'),
    'utf8',
  ),
);

before(async () => {
  if (why) return;
  server = await startPostgres({ settings: { max_connections: String(MAX) } });
});

after(async () => {
  await Promise.all(held.map((c) => c.end().catch(() => undefined)));
  await server?.stop();
});

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: (server as TestPostgres).url });
  await c.connect();
  held.push(c);
  return c;
}

const SUMMARY = `SELECT count(*) AS used, current_setting('max_connections')::int AS max_connections
                 FROM pg_stat_activity WHERE backend_type = 'client backend'`;

async function rowsOf(c: pg.Client, sql: string): Promise<{ columns: string[]; rows: unknown[][] }> {
  const r = await c.query({ text: sql, rowMode: 'array' });
  return { columns: r.fields.map((f) => f.name), rows: r.rows as unknown[][] };
}

test('connections above 90% of max_connections: critical, diagnosed as connection exhaustion', async (t) => {
  if (why) return t.skip(why);
  const probe = await connect();
  const ok = evaluate(recognize(SUMMARY, await rowsOf(probe, SUMMARY)));
  assert.equal(ok.level, 'ok');
  assert.match(ok.findings[0]?.message ?? '', /^database server connections used 5% ≤ 90% \(ok\)$/);

  // 19 of 20: 95%.
  while (held.length < MAX - 1) await connect();
  const r = recognize(SUMMARY, await rowsOf(probe, SUMMARY));
  assert.equal(r?.kind, 'pg-connections');
  const d = r?.data as PgConnections;
  assert.deepEqual([d.used, d.max], [MAX - 1, MAX]);
  const e = evaluate(r);
  assert.equal(e.level, 'critical');
  const f = e.findings.find((x) => x.metric === 'connections.used_pct');
  assert.equal(f?.message, 'database server connections used 95% > 90% (critical)');
  const [best] = diagnose(f!, seedItems);
  assert.equal(
    best?.item.text,
    'Database connection exhaustion → Increase connection pool size or implement connection pooling',
  );
  assert.equal(best?.item.section, 'Common Causes and Fixes');

  // The raw view and a breakdown by state agree.
  const raw = parsePgConnections(
    await rowsOf(
      probe,
      `SELECT *, current_setting('max_connections')::int AS max_connections FROM pg_stat_activity`,
    ),
  );
  assert.equal(raw?.used, MAX - 1);
  assert.equal(raw?.max, MAX);
  assert.equal(raw?.byState['active'], 1, 'only the probe is running a query');
  const byState = parsePgConnections(
    await rowsOf(
      probe,
      `SELECT state, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY state`,
    ),
  );
  assert.equal(byState?.used, MAX - 1);
  assert.equal(byState?.byState['idle'], MAX - 2);

  // One more is refused by the server: the known failure, critical, same diagnosis.
  await connect();
  let refused = '';
  try {
    await connect();
  } catch (err) {
    refused = (err as Error).message;
  }
  assert.match(refused, /too many clients already|remaining connection slots/);
  const fail = recognize('psql "$DATABASE_URL"', `psql: error: ${refused}\n`);
  assert.equal(fail?.kind, 'failures');
  const fe = evaluate(fail);
  assert.equal(fe.level, 'critical');
  const finding = fe.findings[0];
  assert.equal(finding?.failure, 'too-many-connections');
  assert.equal(diagnose(finding!, seedItems)[0]?.item.line, 19);
  await Promise.all(held.splice(0).map((c) => c.end()));
});

test("psql's printed tables (real psql, aligned and unaligned) are read like query rows", async (t) => {
  if (why) return t.skip(why);
  const s = server as TestPostgres;
  const psql = join(process.env.PG_BIN ?? DEFAULT_PG_BIN, 'psql');
  const run = (...args: string[]): string =>
    execFileSync(psql, ['-X', '-h', s.host, '-p', String(s.port), '-U', s.user, '-d', s.database, ...args], {
      env: { ...process.env, PGPASSWORD: s.password },
      encoding: 'utf8',
      timeout: 20000,
    });
  const aligned = run('-c', SUMMARY);
  assert.match(aligned, /^ *used *\| *max_connections *\n-+\+-+\n/m);
  const table = parsePsqlTable(aligned);
  assert.deepEqual(table?.columns, ['used', 'max_connections']);
  const r = recognize(`psql -c "${SUMMARY}"`, aligned);
  assert.equal(r?.kind, 'pg-connections');
  assert.equal((r?.data as PgConnections).max, MAX);
  const unaligned = run('-A', '-c', SUMMARY);
  assert.deepEqual(parsePsqlTable(unaligned)?.columns, ['used', 'max_connections']);
  // Without pg_stat_activity or max_connections in sight, a bare count is not about connections.
  assert.equal(recognize('psql -c "SELECT count(*) FROM orders"', run('-c', 'SELECT 7 AS count')), null);
});
