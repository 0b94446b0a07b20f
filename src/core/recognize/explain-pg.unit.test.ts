// EXPLAIN plans produced by a real PostgreSQL 15 here: the text parser must give the same tree as
// PostgreSQL's own FORMAT JSON for the same query, and the time accounting must add up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../../../test/support/postgres';
import { flatten, parseExplain, type ExplainPlan, type PlanNode } from './explain-plan';
import { recognize } from './index';
import { evaluate } from '../check/evaluate';

const why = postgresUnavailable();
let server: TestPostgres | null = null;
let client: pg.Client | null = null;

before(async () => {
  if (why) return;
  server = await startPostgres();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  // x and y are the same numbers: the planner multiplies their selectivities. For x < 30 AND y < 30 it
  // expects 100000 × 0.003 × 0.003 ≈ 1 row (its minimum) and gets 300: a 300x misestimate, far enough
  // from the default 100x check that sampling noise in the statistics cannot move it across.
  await client.query(`
    CREATE TABLE orders (id serial PRIMARY KEY, customer int NOT NULL, x int NOT NULL, y int NOT NULL, amount numeric NOT NULL);
    INSERT INTO orders (customer, x, y, amount)
      SELECT g % 500, g % 10000, g % 10000, (g % 997) * 1.5 FROM generate_series(1, 100000) g;
    CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
    INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(0, 499) g;
    CREATE INDEX orders_customer ON orders (customer);
    ANALYZE orders; ANALYZE customers;`);
});

after(async () => {
  await client?.end();
  await server?.stop();
});

const QUERIES: Record<string, string> = {
  misestimate: 'SELECT count(*) FROM orders WHERE x < 30 AND y < 30',
  join: `SELECT c.name, sum(o.amount) FROM orders o JOIN customers c ON c.id = o.customer
         WHERE o.amount > 100 GROUP BY c.name ORDER BY 2 DESC LIMIT 5`,
  cte: `WITH big AS MATERIALIZED (SELECT customer, sum(amount) AS total FROM orders GROUP BY customer)
        SELECT b1.customer FROM big b1 JOIN big b2 ON b1.customer = b2.customer + 1 WHERE b1.total > (SELECT avg(total) FROM big)`,
  index: 'SELECT * FROM orders WHERE customer = 42 ORDER BY id DESC LIMIT 3',
};

async function explain(
  sql: string,
  format: 'TEXT' | 'JSON',
): Promise<{ text: string; rows: pg.QueryResult }> {
  const r = await (client as pg.Client).query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT ${format}) ${sql}`);
  const text =
    format === 'TEXT'
      ? r.rows.map((row) => (row as Record<string, string>)['QUERY PLAN']).join('\n')
      : JSON.stringify((r.rows[0] as Record<string, unknown>)['QUERY PLAN'], null, 2);
  return { text, rows: r };
}

const shape = (n: PlanNode): unknown => ({
  nodeType: n.nodeType,
  title: n.title,
  relation: n.relation,
  alias: n.alias,
  index: n.index,
  joinType: n.joinType,
  parentRelationship: n.parentRelationship,
  subplanName: n.subplanName,
  planRows: n.planRows,
  startupCost: n.startupCost,
  totalCost: n.totalCost,
  actualRows: n.actualRows,
  loops: n.loops,
  rowsRemovedByFilter: n.rowsRemovedByFilter,
  hasBuffers: n.buffers !== null,
  filter: n.details['Filter'] ?? null,
  sortKey: n.details['Sort Key'] ?? null,
  hashCond: n.details['Hash Cond'] ?? null,
  indexCond: n.details['Index Cond'] ?? null,
});

const sumExclusive = (p: ExplainPlan): number =>
  flatten(p.root).reduce((s, n) => s + (n.exclusiveMs ?? 0), 0);

test('TEXT and FORMAT JSON of the same queries give the same tree', async (t) => {
  if (why) return t.skip(why);
  for (const [name, sql] of Object.entries(QUERIES)) {
    const text = parseExplain((await explain(sql, 'TEXT')).text);
    const json = parseExplain((await explain(sql, 'JSON')).text);
    assert.ok(text && json, name);
    assert.equal(text.format, 'text');
    assert.equal(json.format, 'json');
    assert.deepEqual(flatten(text.root).map(shape), flatten(json.root).map(shape), name);
    for (const p of [text, json]) {
      assert.ok(p.executionMs !== null && p.planningMs !== null, name);
      const root = p.root.inclusiveMs as number;
      assert.ok(
        Math.abs(sumExclusive(p) - root) <= Math.max(root * 0.01, 0.002),
        `${name}: ${sumExclusive(p)} vs ${root}`,
      );
    }
  }
});

test("every field the text parser produces is what PostgreSQL's JSON says for that node", async (t) => {
  if (why) return t.skip(why);
  // Runtime figures differ between two runs; everything else must agree key by key.
  const volatile = /Time$|Blocks$|^Sort Space Used$|^Peak Memory Usage$|^Workers$|^Heap Fetches$/;
  for (const [name, sql] of Object.entries(QUERIES)) {
    const text = flatten(parseExplain((await explain(sql, 'TEXT')).text)!.root);
    const json = flatten(parseExplain((await explain(sql, 'JSON')).text)!.root);
    text.forEach((n, i) => {
      const j = json[i] as PlanNode;
      for (const [k, v] of Object.entries(n.details)) {
        if (volatile.test(k)) continue;
        // Text names the aggregate strategy in the node type; JSON has Node Type "Aggregate" + Strategy.
        if (k === 'Node Type' && j.details['Node Type'] === 'Aggregate') continue;
        assert.deepEqual(v, j.details[k], `${name} node ${n.id} ${n.title}: ${k}`);
      }
    });
  }
});

test('a 300x misestimate is found, named and judged by the default check', async (t) => {
  if (why) return t.skip(why);
  const { text } = await explain(QUERIES['misestimate'] as string, 'TEXT');
  const r = recognize(`psql -c "EXPLAIN (ANALYZE, BUFFERS) ${QUERIES['misestimate']}"`, text);
  assert.equal(r?.kind, 'explain');
  const p = r?.data as ExplainPlan;
  const scan = flatten(p.root).find((n) => n.relation === 'orders');
  assert.equal(scan?.actualRows, 300);
  assert.equal(scan?.estimateDirection, 'under');
  assert.ok((scan?.estimateFactor ?? 0) >= 200, `factor ${scan?.estimateFactor}`);
  assert.equal(scan?.rowsRemovedByFilter, 99700);
  const e = evaluate(r);
  const f = e.findings.find((x) => x.metric === 'plan.nodes.estimate_factor');
  assert.equal(f?.level, 'warning');
  assert.match(
    f?.message ?? '',
    /^node #\d+ (Parallel )?Seq Scan on orders row estimate off \d+x >= 100x \(warning\)/,
  );
  const author = evaluate(r, { expect: ['plan.max_estimate_factor >= 50: critical'] });
  assert.equal(author.level, 'critical');
});

test('a query step\'s rows (one "QUERY PLAN" column, text lines or the JSON value) are recognized', async (t) => {
  if (why) return t.skip(why);
  for (const format of ['TEXT', 'JSON'] as const) {
    const { rows } = await explain(QUERIES['join'] as string, format);
    const input = {
      columns: rows.fields.map((f) => f.name),
      rows: rows.rows.map((r) => rows.fields.map((f) => (r as Record<string, unknown>)[f.name])),
    };
    const r = recognize('EXPLAIN (ANALYZE, BUFFERS) SELECT ...', input);
    assert.equal(r?.kind, 'explain', format);
    assert.equal((r?.data as ExplainPlan).root.nodeType, 'Limit');
  }
});
