// Findings through the whole run path on a real PostgreSQL 15: connections are held until they pass
// 90% of max_connections, then a runbook's query step runs through the Runner with the assess hook.
// The step turns critical, the finding says which figure crossed which limit, the diagnosis is the
// runbook's "Database connection exhaustion" fix, and history keeps the findings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../../../test/support/postgres';
import { parseRunbook } from '../runbook/parse';
import { allSteps } from '../runbook/model';
import { HistoryStore } from '../run/history';
import { Runner } from '../run/runner';
import { assessRunCommand, headline, stepLevel, stepOutcome, type StoredFindings } from './run-findings';

const why = postgresUnavailable();
const MAX = 20;
const repo = resolve(__dirname, '..', '..', '..');
const SEED = readFileSync(resolve(repo, '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt'), 'utf8');
const BUNDLED = resolve(repo, 'runbooks', 'database-connections.md');

// The seed guide as its owner would extend it: a query step for "Monitor active connections vs.
// maximum allowed", the check the seed's alert table names (DB connections > 90%: critical).
const SEED_WITH_STEP = `${SEED.replace(/\n*$/, '\n')}
Connection Check
================

<!-- runbook: id=connections -->
\`\`\`sql
SELECT count(*) AS used, current_setting('max_connections')::int AS max_connections
FROM pg_stat_activity WHERE backend_type = 'client backend';
\`\`\`
`;

let server: TestPostgres | null = null;
let dir = '';
const held: pg.Client[] = [];

before(async () => {
  if (why) return;
  server = await startPostgres({ settings: { max_connections: String(MAX) } });
  dir = mkdtempSync(join(tmpdir(), 'rb-findings-pg-'));
  // Hold all but two client slots: with the runner's own connection, 19 of 20 are in use (95%).
  while (held.length < MAX - 2) {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    held.push(c);
  }
});

after(async () => {
  await Promise.all(held.map((c) => c.end().catch(() => undefined)));
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runner(history: HistoryStore): Runner {
  return new Runner({
    isTrusted: () => true,
    confirm: () => false,
    resolve: () => undefined,
    connectionString: (server as TestPostgres).url,
    env: { PATH: process.env.PATH },
    history,
    assess: assessRunCommand,
  });
}

test("the seed guide's connection check turns critical, diagnosed as connection exhaustion", async (t) => {
  if (why) return t.skip(why);
  const file = join(dir, 'seed.md');
  writeFileSync(file, SEED_WITH_STEP);
  const runbook = parseRunbook(SEED_WITH_STEP, { fileName: 'seed.md' });
  const step = allSteps(runbook).find((s) => s.id === 'connections');
  assert.ok(step, 'the added step parses');
  const history = new HistoryStore(join(dir, 'history-seed'));
  const res = await runner(history).run({ kind: 'step', runbook: { path: file, runbook }, step });
  const r = res.steps[0]!;
  assert.equal(r.status, 'ok', r.message);
  const a = r.commands[0]?.assessment;
  assert.equal(a?.recognizer, 'pg-connections');
  assert.equal(stepOutcome(r.status, stepLevel(r.commands.map((c) => c.assessment))), 'critical');
  const f = headline(a?.findings ?? []);
  assert.match(f?.message ?? '', /^database server connections used 95% > 90% \(critical\)$/);
  assert.deepEqual(f?.causes[0], {
    text: 'Database connection exhaustion → Increase connection pool size or implement connection pooling',
    section: 'Common Causes and Fixes',
    line: 19,
    by: 'terms',
  });
  const [rec] = await history.list();
  const stored = rec?.findings as StoredFindings;
  assert.equal(stored.level, 'critical');
  assert.equal(stored.findings.find((x) => x.level === 'critical')?.causes[0]?.line, 19);
});

test('the bundled database runbook: the same step as shipped, critical, with its own fix', async (t) => {
  if (why) return t.skip(why);
  const runbook = parseRunbook(readFileSync(BUNDLED, 'utf8'), { fileName: 'database-connections.md' });
  const step = allSteps(runbook).find((s) => s.title === 'Connections in use against max_connections');
  assert.ok(step, 'the bundled runbook has the connections step');
  const res = await runner(new HistoryStore(join(dir, 'history-bundled'))).run({
    kind: 'step',
    runbook: { path: BUNDLED, runbook },
    step,
  });
  const r = res.steps[0]!;
  assert.equal(r.status, 'ok', r.message);
  const level = stepLevel(r.commands.map((c) => c.assessment));
  assert.equal(stepOutcome(r.status, level), 'critical');
  const critical = r.commands
    .flatMap((c) => c.assessment?.findings ?? [])
    .find((f) => f.level === 'critical');
  assert.equal(critical?.metric, 'connections.used_pct');
  assert.match(critical?.causes[0]?.text ?? '', /^Database connection exhaustion → /);
  const line =
    readFileSync(BUNDLED, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith('- Database connection exhaustion')) + 1;
  assert.equal(critical?.causes[0]?.line, line);
});
