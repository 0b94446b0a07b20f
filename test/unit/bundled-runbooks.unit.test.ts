// The bundled runbooks are product, not samples: each parses cleanly, its checks parse, every
// diagnostic the seed names is a step with a real command, and the commands that change a system
// are the ones marked write (so they always ask first). `jcmd GC.class_histogram` is write on
// purpose: it forces a full GC of the live JVM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../src/core/runbook/parse';
import { allSteps, type Runbook } from '../../src/core/runbook/model';
import { parseExpect } from '../../src/core/check/expect-syntax';
import { causeItemsFromRunbook } from '../../src/core/check/diagnose';

const dir = join(__dirname, '..', '..', 'runbooks');
const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
const load = (f: string): Runbook => parseRunbook(readFileSync(join(dir, f), 'utf8'), { fileName: f });
const commandsOf = (rb: Runbook) => allSteps(rb).flatMap((s) => s.commands.map((c) => ({ step: s, c })));

test('one runbook per incident type of the seed guide', () => {
  assert.deepEqual(files.sort(), [
    'ai-model-inference.md',
    'database-connections.md',
    'high-latency.md',
    'memory-leaks.md',
    'monitoring-and-alerting.md',
    'performance-optimization.md',
  ]);
});

for (const f of files) {
  test(`${f}: parses without diagnostics, has runnable steps and valid checks`, () => {
    const rb = load(f);
    assert.deepEqual(rb.diagnostics, [], 'no parser diagnostics');
    assert.ok(
      allSteps(rb).some((s) => s.kind !== 'manual'),
      'has runnable steps',
    );
    for (const s of allSteps(rb)) {
      const parsed = parseExpect(s.annotations.expect);
      assert.deepEqual(parsed.diagnostics, [], `${s.id}: expect= parses`);
    }
    const ids = allSteps(rb).map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length, 'step ids are unique');
  });
}

test('every diagnostic the seed names is a step with a real command', () => {
  const all = files.flatMap((f) => commandsOf(load(f)).map(({ c }) => c.text));
  const wanted = [
    /^kubectl top pods .*--sort-by=memory/,
    /^docker stats --no-stream/,
    /^jcmd <pid> GC\.class_histogram$/,
    /^jmap -dump:format=b,file=heapdump\.hprof <pid>$/,
    /^py-spy record --format speedscope -o \S+ -d 60 -p <pid>$/,
    /^python3 -m memory_profiler/,
    /^nvidia-smi --query-gpu=.* --format=csv$/,
    /torch\.load/,
    /pg_stat_activity/,
    /pg_stat_statements/,
    /^EXPLAIN \(ANALYZE, BUFFERS\)/,
    /pg_stat_database/,
    /^redis-cli -h <redis-host> info stats$/,
    /^curl .*-w .*time_total.*<url>$/,
  ];
  for (const re of wanted)
    assert.ok(
      all.some((t) => re.test(t)),
      `a command matches ${re}`,
    );
});

test('mitigations and other system changes are write; diagnostics are read', () => {
  const byText = new Map(
    files.flatMap((f) => commandsOf(load(f)).map(({ c }) => [c.text, c.effect] as const)),
  );
  const writes = [...byText].filter(([, e]) => e === 'write').map(([t]) => t);
  for (const re of [
    /^kubectl scale /,
    /^kubectl rollout restart /,
    /^CREATE INDEX /,
    /pg_terminate_backend/,
    /^DO \$\$/,
    /^jcmd <pid> VM\.gc$/,
  ]) {
    assert.ok(
      writes.some((t) => re.test(t)),
      `write: ${re}`,
    );
  }
  for (const t of ['free -m', 'jstat -gcutil <pid> 1000 5', 'kubectl get pods -n {{namespace}}', 'df -h']) {
    assert.equal(byText.get(t), 'read', `read: ${t}`);
  }
});

test('each runbook has causes and fixes the diagnosis can point at', () => {
  for (const f of [
    'high-latency.md',
    'memory-leaks.md',
    'database-connections.md',
    'ai-model-inference.md',
  ]) {
    assert.ok(causeItemsFromRunbook(load(f)).length >= 3, `${f} has cause/fix items`);
  }
});
