// Real-world runbook styles (test/fixtures/runbooks): setext and mixed heading levels, console blocks
// with output, list items holding code, task lists, tables, CRLF, front matter, tilde fences,
// annotations, a file with nothing to run, and malformed input. Expected outlines are written by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRunbook } from './parse';
import { allSteps, hasRunnableSteps, type Runbook, type Section, type Step } from './model';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'runbooks');
const load = (name: string): Runbook =>
  parseRunbook(readFileSync(path.join(FIXTURES, name), 'utf8'), { fileName: name });

/** One line per section, step and command, indented by depth:
 *  `§ origin Title @line`, `• kind Title @line #id`, `$|! text @line [placeholders]` ($ read, ! write). */
function outline(rb: Runbook): string[] {
  const out: string[] = [];
  const step = (s: Step, ind: string): void => {
    out.push(`${ind}• ${s.kind} ${s.title} @${s.line} #${s.id}`);
    for (const c of s.commands)
      out.push(
        `${ind}  ${c.effect === 'write' ? '!' : '$'} ${c.text.split('\n')[0]} @${c.line}${c.placeholders.length ? ` [${c.placeholders.map((p) => p.name).join(',')}]` : ''}`,
      );
  };
  const section = (s: Section, ind: string): void => {
    out.push(
      `${ind}§ ${s.origin} ${s.title} @${s.line}${s.items?.length ? ` (${s.items.length} items)` : ''}`,
    );
    const children: (Section | Step)[] = [...s.sections, ...s.steps].sort((a, b) => a.line - b.line);
    for (const c of children) {
      if ('origin' in c) section(c, `${ind}  `);
      else step(c, `${ind}  `);
    }
  };
  for (const s of rb.steps) step(s, '');
  for (const s of rb.sections) section(s, '');
  return out;
}

test('setext headings, list items holding fences, console with output, tasks, tables, annotations', () => {
  const rb = load('k8s-pod-crashloop.md');
  assert.equal(rb.title, 'Pod CrashLoopBackOff');
  assert.deepEqual(rb.diagnostics, []);
  assert.deepEqual(outline(rb), [
    '§ setext Pod CrashLoopBackOff @1',
    '  § setext Triage @8 (2 items)',
    '    • command Find the crashing pods @11 #pod-crashloopbackoff/triage/find-the-crashing-pods',
    '      $ kubectl get pods -n {{namespace}} --field-selector=status.phase!=Running @14 [namespace]',
    '    • command Read the last logs of the previous container @17 #pod-crashloopbackoff/triage/read-the-last-logs-of-the-previous-container',
    '      $ kubectl logs <pod-name> -n {{namespace}} --previous --tail=50 @20 [pod-name,namespace]',
    '      $ kubectl describe pod <pod-name> -n {{namespace}} \\ @22 [pod-name,namespace]',
    '    • manual Check whether the node is under memory pressure @28 #pod-crashloopbackoff/triage/check-whether-the-node-is-under-memory-pressure',
    '  § setext Checklist before escalating @37',
    '    • manual Logs attached to the incident @40 #pod-crashloopbackoff/checklist-before-escalating/logs-attached-to-the-incident',
    '    • manual Pager acknowledged @41 #pod-crashloopbackoff/checklist-before-escalating/pager-acknowledged',
    '    • manual Recent deploys checked @42 #pod-crashloopbackoff/checklist-before-escalating/recent-deploys-checked',
    '  § setext Mitigation @44',
    '    • command Mitigation @48 #restart-web',
    '      ! kubectl rollout restart deployment/web -n {{namespace}} @49 [namespace]',
    '      $ kubectl rollout status deployment/web -n {{namespace}} --timeout=120s @50 [namespace]',
    '    • command Raise the memory limit @53 #raise-limit',
    '      ! kubectl set resources deployment/web -n {{namespace}} --limits=memory=2Gi @54 [namespace]',
  ]);
  const steps = allSteps(rb);
  // The console continuation (`> ` prompt) is part of the command; output lines are not commands.
  assert.equal(
    steps[1]!.commands[1]!.text,
    'kubectl describe pod <pod-name> -n {{namespace}} \\\n  | grep -A5 "Last State"',
  );
  assert.equal(steps[1]!.language, 'console');
  assert.deepEqual(steps.find((s) => s.id === 'restart-web')!.annotations, {
    id: 'restart-web',
    confirm: true,
    timeoutSeconds: 120,
  });
  assert.deepEqual(steps.find((s) => s.id === 'raise-limit')!.annotations, {
    id: 'raise-limit',
    title: 'Raise the memory limit',
    expect: ['exit == 0'],
  });
  // Sub-bullets of a numbered step are kept as items, not steps.
  assert.deepEqual(
    rb.sections[0]!.sections[0]!.items?.map((i) => [i.text, i.line, i.depth]),
    [
      ["Look at the node's conditions in the describe output.", 29, 1],
      ['Compare requests with limits.', 30, 1],
    ],
  );
});

test('mixing # headings with === lines, bold lines and labels nests as documented', () => {
  const rb = load('mixed-levels.md');
  assert.deepEqual(rb.diagnostics, []);
  assert.deepEqual(outline(rb), [
    '§ atx Payments Service Runbook @1',
    '  § equals-line Database @5',
    '    § bold-line Connection pool exhausted @7',
    '      § label Symptoms @9 (2 items)',
    '      § label Diagnostic Queries @13',
    '        • query Connections by state @15 #payments-service-runbook/database/connection-pool-exhausted/diagnostic-queries/connections-by-state',
    '          $ SELECT state, count(*) FROM pg_stat_activity GROUP BY state; @16',
    '        • query Oldest transactions @18 #payments-service-runbook/database/connection-pool-exhausted/diagnostic-queries/oldest-transactions',
    '          $ SELECT pid, now() - xact_start AS age, query @19',
    '      § label Fixes @26 (2 items)',
    '    § atx Replication lag @30',
    '      • query Replication lag @34 #payments-service-runbook/database/replication-lag/replication-lag',
    '        $ \\x on @35',
    '        $ SELECT client_addr, replay_lag FROM pg_stat_replication; @36',
    '  § atx Caches @39',
    '    § equals-line Redis @43',
    '      § equals-line Memory @45',
    '        § label Eviction storm @47 (1 items)',
    '          • command Eviction storm @50 #payments-service-runbook/caches/redis/memory/eviction-storm/eviction-storm',
    "            $ redis-cli -h <redis-host> INFO memory | grep -E 'used_memory_human|evicted' @51 [redis-host]",
  ]);
  // Numbered items under "Fixes" are fixes to read, not steps to tick.
  assert.deepEqual(
    rb.sections[0]!.sections[0]!.sections[0]!.sections[2]!.items?.map((i) => i.text),
    ['Raise max_connections only after checking memory.', 'Put PgBouncer in front of the database.'],
  );
});

test('front matter, tilde fences, in-block annotations, effect=read on a script, skip, data blocks', () => {
  const rb = load('jvm-heap.md');
  assert.equal(rb.title, 'JVM heap exhaustion');
  assert.deepEqual(rb.frontMatter, {
    title: 'JVM heap exhaustion',
    owner: 'team-jvm',
    severity: 'high',
    tags: 'java\nmemory',
  });
  assert.deepEqual(rb.diagnostics, []);
  assert.deepEqual(outline(rb), [
    '§ atx Heap exhaustion on the order service @10',
    '  • command Heap exhaustion on the order service @14 #heap-exhaustion-on-the-order-service/heap-exhaustion-on-the-order-service',
    '    $ export NS=orders @15',
    '    $ POD=$(kubectl get pods -n "$NS" -l app=order-service -o jsonpath=\'{.items[0].metadata.name}\') @16',
    '  § atx Look before touching @19',
    '    • command Heap usage right now @23 #heap-info',
    '      $ kubectl exec -n "$NS" "$POD" -- jcmd 1 GC.heap_info @24 [NS,POD]',
    '    • command Threads (look for BLOCKED) @26 #heap-exhaustion-on-the-order-service/look-before-touching/threads-look-for-blocked',
    '      $ kubectl exec -n "$NS" "$POD" -- jcmd 1 Thread.print | grep -c BLOCKED @27 [NS,POD]',
    '  § atx Collect evidence @30',
    '    • command Heap dump (pauses the JVM) @34 #heap-dump',
    '      ! kubectl exec -n "$NS" "$POD" -- jcmd 1 GC.heap_dump /tmp/heap.hprof @35 [NS,POD]',
    '      ! kubectl cp "$NS/$POD:/tmp/heap.hprof" ./heap-${INCIDENT_ID}.hprof @36 [NS,POD,INCIDENT_ID]',
    '    • script Summarize GC log @40 #heap-exhaustion-on-the-order-service/collect-evidence/summarize-gc-log',
    '      $ import re, sys @41',
    '  § atx Not a step @46',
  ]);
  const steps = allSteps(rb);
  assert.deepEqual(steps.find((s) => s.id === 'heap-info')!.annotations, {
    id: 'heap-info',
    timeoutSeconds: 30,
  });
  assert.deepEqual(steps.find((s) => s.id === 'heap-dump')!.annotations, { id: 'heap-dump', confirm: true });
  const script = steps.find((s) => s.kind === 'script')!;
  assert.equal(script.commands[0]!.effectRule, 'annotation');
  assert.match(script.commands[0]!.effectReason, /marks this step as read-only/);
});

test('CRLF line endings parse exactly like LF, with the same lines', () => {
  const crlf = readFileSync(path.join(FIXTURES, 'crlf-disk-full.md'), 'utf8');
  assert.ok(crlf.includes('\r\n'));
  const rb = parseRunbook(crlf);
  assert.deepEqual(parseRunbook(crlf.replace(/\r\n/g, '\n')), rb);
  assert.deepEqual(outline(rb), [
    '§ equals-line Check @3',
    '  § bold-line Free space @5',
    '    § label Diagnostic Commands @7',
    '      • command Space per filesystem @9 #check/free-space/diagnostic-commands/space-per-filesystem',
    '        $ df -h @10',
    '      • command Biggest directories @11 #check/free-space/diagnostic-commands/biggest-directories',
    '        $ sudo du -xh /var/lib/postgresql | sort -h | tail -20 @12',
    '§ equals-line Fix @15',
    '  § label Emergency Mitigation @17',
    '    • manual Remove old WAL archives only if replication is healthy @18 #fix/emergency-mitigation/remove-old-wal-archives-only-if-replication-is',
    '    • manual Rotate logs: sudo logrotate -f /etc/logrotate.d/postgresql @19 #fix/emergency-mitigation/rotate-logs-sudo-logrotate-f-etc-logrotate-d',
    '    • query Oldest replication slot @22 #fix/emergency-mitigation/oldest-replication-slot',
    '      $ SELECT slot_name, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained @23',
  ]);
  assert.ok(!allSteps(rb).some((s) => s.commands.some((c) => c.text.includes('\r'))));
});

test('a document with nothing to run gives sections and items but no steps, and no error', () => {
  const rb = load('not-a-runbook.md');
  assert.equal(rb.title, 'Project notes');
  assert.deepEqual(allSteps(rb), []);
  assert.equal(hasRunnableSteps(rb), false);
  assert.deepEqual(rb.diagnostics, []);
  assert.deepEqual(outline(rb), [
    '§ atx Project notes @1',
    '  § atx Components @5 (3 items)',
    '  § atx Configuration example @11',
  ]);
});

test('malformed input: unclosed fence and quote, stray annotation, tabs, quotes, deep lists, raw HTML', () => {
  const rb = load('edge-cases.md');
  assert.equal(rb.title, 'Edge cases');
  assert.deepEqual(
    rb.diagnostics.map((d) => [d.line, d.severity, d.message]),
    [
      [
        21,
        'warning',
        'runbook annotation is not followed by a code block or list item: it applies to nothing',
      ],
      [25, 'warning', 'code block opened with ``` is not closed: it runs to the end of the file'],
      [26, 'warning', 'a double quote is not closed: the rest of the block is read as one command'],
    ],
  );
  assert.deepEqual(outline(rb), [
    '• command uptime @5 #uptime',
    '  $ uptime @6',
    '• command Numbered deep inside a bullet @12 #numbered-deep-inside-a-bullet',
    '  $ echo deep @14',
    '• command echo "this fence is never closed @25 #echo-this-fence-is-never-closed',
    '  $ echo "this fence is never closed @26',
  ]);
});

test('empty and whitespace-only files give an empty model titled by the file name', () => {
  for (const text of ['', '   \n\n\t\n', '\uFEFF']) {
    const rb = parseRunbook(text, { fileName: 'empty.md' });
    assert.deepEqual(rb, { title: 'empty', sections: [], steps: [], frontMatter: {}, diagnostics: [] });
  }
  assert.equal(parseRunbook('').title, 'Runbook');
});
