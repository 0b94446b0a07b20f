import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryRecord } from '../run/history';
import { Masker } from '../run/mask';
import { buildIncidentReport } from './incident-report';
import { buildReportModel, stepKey } from './model';
import { allSteps } from '../runbook/model';
import { parseRunbook } from '../runbook/parse';

const DB = '/srv/runbooks/database-connections.md';
const MEM = '/srv/runbooks/memory-leaks.md';

function rec(
  over: Partial<HistoryRecord> & Pick<HistoryRecord, 'id' | 'runId' | 'startedAt'>,
): HistoryRecord {
  return {
    v: 1,
    runbook: MEM,
    runbookTitle: 'Memory Leaks',
    stepId: 'memory-leaks/this-host/free-memory',
    stepTitle: 'Free memory',
    commandIndex: 0,
    kind: 'command',
    command: 'free -m',
    status: 'ok',
    exitCode: 0,
    durationMs: 220,
    findings: null,
    ...over,
  };
}

const okFree = rec({
  id: 'a1',
  runId: 'run-a',
  startedAt: '2024-05-01T14:00:00.000Z',
  outputFile: 'output/a1.log',
  findings: {
    recognizer: 'free',
    title: 'free',
    level: 'ok',
    findings: [{ level: 'ok', message: 'host memory used 14.4% ≤ 80% (ok)', causes: [] }],
    diagnostics: [],
  },
});

const exhausted = (id: string, runId: string, startedAt: string): HistoryRecord =>
  rec({
    id,
    runId,
    startedAt,
    runbook: DB,
    runbookTitle: 'Database Connections',
    stepId: 'db/connections',
    stepTitle: 'Connections in use | by state',
    kind: 'query',
    command: "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'",
    durationMs: 35,
    findings: {
      recognizer: 'pg-activity',
      title: 'pg_stat_activity',
      level: 'critical',
      findings: [
        {
          level: 'critical',
          message: 'connections in use 96 of max_connections 100 (96%) > 90% (critical)',
          causes: [
            {
              text: 'Database connection exhaustion → Increase connection pool size or kill idle sessions',
              section: 'Common Causes and Fixes',
              line: 42,
              by: 'terms',
            },
          ],
        },
      ],
      diagnostics: [],
    },
  });

const SECRET = 'hunter2-very-secret';
const failedWithSecrets = [
  rec({
    id: 'c1',
    runId: 'run-c',
    startedAt: '2024-05-01T14:05:00.000Z',
    stepId: 'memory-leaks/java/histogram',
    stepTitle: 'Classes holding the most heap',
    command: `PGPASSWORD=${SECRET} psql -h db -c 'select 1'`,
    variables: { pid: '4242', db_password: SECRET },
  }),
  rec({
    id: 'c2',
    runId: 'run-c',
    startedAt: '2024-05-01T14:05:01.000Z',
    commandIndex: 1,
    stepId: 'memory-leaks/java/histogram',
    stepTitle: 'Classes holding the most heap',
    command: 'jcmd 4242 GC.class_histogram\necho ```done```',
    status: 'failed',
    exitCode: 1,
    durationMs: 11_591,
    message: `exited with code 1 (api_key=${SECRET})`,
  }),
];

test('structure: title, span, summary, timeline in time order, one section per step run', () => {
  const records = [
    failedWithSecrets[1]!,
    exhausted('b1', 'run-b', '2024-05-01T14:02:00.000Z'),
    okFree,
    failedWithSecrets[0]!,
  ];
  const md = buildIncidentReport(records, { now: new Date('2024-05-01T15:00:00Z') });
  const headings = md.split('\n').filter((l) => l.startsWith('#'));
  assert.deepEqual(headings, [
    '# Incident report: Memory Leaks, Database Connections',
    '## Summary',
    '## Timeline',
    '## Details',
    '### 1. Free memory (✓ ok)',
    '### 2. Connections in use \\| by state (✖ critical)',
    '### 3. Classes holding the most heap (✗ failed)',
    '#### Command 1 of 2 (14:05:00)',
    '#### Command 2 of 2 (14:05:01)',
  ]);
  assert.match(
    md,
    /^Generated 2024-05-01 15:00:00 UTC\. 3 step runs \(4 commands\) from 2 runbooks, 2024-05-01 14:00:00 to 14:05:12 UTC\.$/m,
  );
  assert.match(md, /^\*\*Overall: ✖ critical\*\* \(1 critical finding, 1 failed command\)$/m);
  const rows = md.split('\n').filter((l) => /^\| \[\d\]/.test(l));
  assert.equal(rows.length, 3);
  assert.match(
    rows[0]!,
    /^\| \[1\]\(#step-1\) \| 14:00:00 \| Memory Leaks › Free memory \| ✓ ok \| 220 ms \| host memory used 14\.4% ≤ 80% \(ok\) \|$/,
  );
  // A `|` in a title must not split the table row.
  assert.match(
    rows[1]!,
    /Database Connections › Connections in use \\\| by state \| ✖ critical \| 35 ms \| connections in use 96/,
  );
  assert.match(rows[2]!, /\| ✗ failed \| 12\.6 s \|/);
  // The command with backticks is fenced with a longer fence and kept verbatim.
  assert.ok(md.includes('````sh\njcmd 4242 GC.class_histogram\necho ```done```\n````'));
});

test("summary: worst first, the runbook's causes and fixes linked to their line, repeats counted", () => {
  const records = [
    okFree,
    exhausted('b1', 'run-b', '2024-05-01T14:02:00.000Z'),
    exhausted('b2', 'run-b2', '2024-05-01T14:03:00.000Z'),
    ...failedWithSecrets,
  ];
  const md = buildIncidentReport(records, {
    now: new Date('2024-05-01T15:00:00Z'),
    linkBase: '/srv/reports',
  });
  const summary = md.slice(md.indexOf('## Summary'), md.indexOf('## Timeline'));
  const items = summary.split('\n').filter((l) => l.startsWith('- '));
  assert.equal(items.length, 2);
  assert.match(
    items[0]!,
    /^- ✖ \*\*critical\*\*: connections in use 96 of max_connections 100 \(96%\) > 90% \(critical\) \(Database Connections › Connections in use \\\| by state, 14:02:00, seen in 2 runs; \[#2\]\(#step-2\) \[#3\]\(#step-3\)\)$/,
  );
  assert.match(items[1]!, /^- ✗ \*\*failed\*\*: `jcmd 4242 GC\.class_histogram …` exited with code 1/);
  const link = '../runbooks/database-connections.md#L42';
  assert.ok(
    summary.includes(
      `  - Cause and fix: Database connection exhaustion → Increase connection pool size or kill idle sessions (*Common Causes and Fixes*, [database-connections.md:42](${link}))`,
    ),
    summary,
  );
  const model = buildReportModel(records);
  assert.deepEqual(model.counts, { steps: 4, commands: 5, runbooks: 2, critical: 2, warning: 0, failed: 1 });
  assert.equal(model.problems.length, 2);
  assert.equal(model.status, 'critical');
});

test('no secret from a command, message, value, note, excerpt or figure reaches the report', () => {
  const literal = 'lit3ral-s3cret-from-env';
  const [c1, c2] = failedWithSecrets;
  const records = [c1!, { ...c2!, message: `exited with code 1; token ${literal}` }];
  const opts = {
    notes: { [stepKey(c1!)]: `Rotated it: password=${SECRET}` },
    excerpts: { c2: `FATAL: password authentication failed for user "app" (password: ${SECRET})` },
    figures: { c1: [`client ${literal} connections 3`] },
    masker: new Masker([literal]),
    historyDir: '/var/lib/history',
  };
  const md = buildIncidentReport(records, opts);
  const json = JSON.stringify(buildReportModel(records, opts));
  for (const text of [md, json]) {
    assert.ok(!text.includes(SECRET), 'pattern secret masked');
    assert.ok(!text.includes(literal), 'literal secret masked');
    assert.ok(text.includes('****'));
  }
  assert.match(md, /PGPASSWORD=\*\*\*\* psql/);
  assert.match(md, /`db_password=\*\*\*\*`/);
  assert.match(md, /`pid=4242`/);
  assert.match(md, /> \*\*Note:\*\* Rotated it: password=\*\*\*\*/);
});

test('captured profiles, full output links, error output and key figures per command', () => {
  const heap = '/srv/app/heapdump.hprof';
  const md = buildIncidentReport([okFree, failedWithSecrets[1]!], {
    historyDir: '/var/lib/rb/history/',
    linkBase: '/srv',
    profileLinks: { c2: [{ path: heap, kind: 'heap dump', bytes: 52_428_800 }] },
    figures: { a1: ['host memory used 14.4%', 'host memory 23.5 GiB'] },
    excerpts: { c2: 'AttachNotSupportedException: Unable to open socket file' },
  });
  assert.ok(
    md.includes(`**Captured heap dump:** [heapdump.hprof](app/heapdump.hprof) \`${heap}\`, 52 MB\n`),
    md,
  );
  assert.ok(
    md.includes(
      '**Full output:** [a1.log](../var/lib/rb/history/output/a1.log) `/var/lib/rb/history/output/a1.log`',
    ),
  );
  assert.ok(md.includes('**Key figures:** host memory used 14.4%; host memory 23.5 GiB\\\n'));
  assert.ok(
    md.includes('**Error output:**\n\n```text\nAttachNotSupportedException: Unable to open socket file\n```'),
  );
  // Findings in a table; the cause column only when some finding has causes.
  assert.ok(md.includes('| Finding |\n|---|\n| ✓ host memory used 14.4% ≤ 80% (ok) |\n'), md);
  // Without a folder to be relative to, names stay plain text (file: links open nowhere).
  const plain = buildIncidentReport([okFree], { historyDir: '/h' });
  assert.ok(plain.includes('**Full output:** a1.log `/h/output/a1.log`'));
  assert.ok(!plain.includes('](file:'));
  // A record pointing outside the history folder gets no link.
  const escaped = buildIncidentReport([{ ...okFree, outputFile: '../../etc/passwd' }], { historyDir: '/h' });
  assert.ok(!escaped.includes('Full output'));
});

test('records from another version: unknown findings shapes are ignored, not fatal', () => {
  const odd = [
    rec({ id: 'x1', runId: 'r', startedAt: '2024-05-01T10:00:00Z', findings: 'garbage' }),
    rec({
      id: 'x2',
      runId: 'r2',
      startedAt: 'not a date',
      findings: { findings: [{ level: 'bad', message: 1 }, null] },
    }),
    rec({
      id: 'x3',
      runId: 'r3',
      startedAt: '2024-05-01T10:01:00Z',
      findings: {
        level: 'warning',
        findings: [
          { level: 'warning', message: 'disk 91%', causes: [{ text: 7 }, { text: 'Free space', line: -1 }] },
        ],
      },
    }),
  ];
  const md = buildIncidentReport(odd);
  assert.match(md, /- ⚠ \*\*warning\*\*: disk 91%/);
  assert.match(md, / {2}- Cause and fix: Free space$/m);
  assert.match(md, /^\| ⚠ disk 91% \| Free space \|$/m);
});

test('multi-day spans print dates; local time zone shows its offset; no records says so', () => {
  const md = buildIncidentReport(
    [okFree, { ...okFree, id: 'a2', runId: 'run-z', startedAt: '2024-05-02T01:00:00.000Z' }],
    { timeZone: 'utc' },
  );
  assert.match(md, /\| 2024-05-02 01:00:00 \|/);
  const local = buildIncidentReport([okFree], { timeZone: 'local', now: new Date('2024-05-01T15:00:00Z') });
  assert.match(local, /^Generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\./m);
  const empty = buildIncidentReport([], { title: 'Nothing yet', now: new Date('2024-05-01T15:00:00Z') });
  assert.equal(
    empty,
    '# Nothing yet\n\nGenerated 2024-05-01 15:00:00 UTC. No runs were selected.\n\n## Summary\n\n**Overall: – not-run**\n',
  );
});

test('the report is a record, not a runbook: nothing in it is offered as a step to run', () => {
  const tricky = [
    rec({
      id: 't1',
      runId: 'r1',
      startedAt: '2024-05-01T10:00:00Z',
      stepTitle: 'Rollback procedure',
      command: 'kubectl rollout undo deployment/web',
    }),
    rec({
      id: 't2',
      runId: 'r1',
      startedAt: '2024-05-01T10:00:01Z',
      commandIndex: 1,
      stepTitle: 'Rollback procedure',
      command: 'kubectl get pods',
      status: 'failed',
      exitCode: 1,
    }),
    {
      ...exhausted('t3', 'r2', '2024-05-01T10:01:00Z'),
      stepTitle: 'Triage checklist',
      runbookTitle: 'Troubleshooting procedure',
    },
  ];
  const md = buildIncidentReport(tricky, {
    notes: { [stepKey(tricky[0]!)]: '1. paged the DBA\n2. rolled back' },
    excerpts: { t2: 'error: You must be logged in to the server (Unauthorized)' },
    linkBase: '/srv',
  });
  const book = parseRunbook(md, { fileName: 'incident.md' });
  assert.deepEqual(
    allSteps(book).map((s) => `${s.kind}: ${s.title}`),
    [],
  );
  // Paths with spaces and parentheses still make one link each.
  const odd = buildIncidentReport([{ ...okFree, runbook: '/srv/run books/db (prod).md' }], {
    linkBase: '/srv',
  });
  assert.ok(odd.includes('[Memory Leaks](run%20books/db%20%28prod%29.md)'), odd);
});
