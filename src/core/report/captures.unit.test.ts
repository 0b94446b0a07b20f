import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureCandidates, profileKindOf } from './captures';

const files = (cmd: string): string[] =>
  captureCandidates(cmd).map((c) =>
    c.type === 'file' ? `${c.kind}:${c.path}` : `dir ${c.extension}:${c.path}`,
  );

test("the seed guide's capture commands name their files", () => {
  assert.deepEqual(files('jmap -dump:format=b,file=heapdump.hprof 4242'), ['heap dump:heapdump.hprof']);
  assert.deepEqual(files('jmap -dump:live,format=b,file=/tmp/h.hprof 1'), ['heap dump:/tmp/h.hprof']);
  assert.deepEqual(files('py-spy record --format speedscope -o profile.speedscope.json -d 60 -p 7'), [
    'CPU profile:profile.speedscope.json',
  ]);
  assert.deepEqual(files('jcmd 7 GC.heap_dump /var/tmp/app.hprof'), ['heap dump:/var/tmp/app.hprof']);
  assert.deepEqual(files('jcmd 7 JFR.start duration=60s filename=/tmp/rec.jfr'), [
    'CPU profile:/tmp/rec.jfr',
  ]);
  assert.deepEqual(files('java -XX:HeapDumpPath=/tmp/oom.hprof -jar app.jar'), ['heap dump:/tmp/oom.hprof']);
});

test('output options and redirections are files; formats, devices and descriptors are not', () => {
  assert.deepEqual(files('ps aux --sort=-%mem > /tmp/ps.txt 2>&1'), ['file:/tmp/ps.txt']);
  assert.deepEqual(files('perf record -g -o perf.data -p 1 -- sleep 5 && perf script > out.perf.txt'), [
    'CPU profile:perf.data',
    'CPU profile:out.perf.txt',
  ]);
  assert.deepEqual(files('curl -s -o /dev/null -w "%{time_total}" https://example.com'), []);
  assert.deepEqual(files('kubectl get pods -o wide'), []);
  assert.deepEqual(files('kubectl get pods -o jsonpath={.items[*].metadata.name}'), []);
  assert.deepEqual(files('ps -o pid,rss,cmd -p 1'), []);
  assert.deepEqual(files('curl --output=page.html https://example.com'), ['file:page.html']);
});

test("Node's --cpu-prof writes generated names into a folder (the current one by default)", () => {
  assert.deepEqual(files('node --cpu-prof --cpu-prof-dir=/tmp/prof app.js'), ['dir .cpuprofile:/tmp/prof']);
  assert.deepEqual(files('node --cpu-prof --cpu-prof-dir prof app.js'), ['dir .cpuprofile:prof']);
  assert.deepEqual(files('node --heap-prof app.js'), ['dir .heapprofile:.']);
});

test('names the shell would expand at run time are not guessed', () => {
  assert.deepEqual(files('jcmd 1 GC.heap_dump /tmp/heap-$(date +%s).hprof'), []);
  assert.deepEqual(files('jmap -dump:format=b,file=$OUT 1'), []);
  assert.deepEqual(files('py-spy record -o "$HOME/p.speedscope.json" -p 1'), []);
  assert.deepEqual(files('ls *.hprof'), []);
  assert.deepEqual(files("echo 'a.hprof'"), ['heap dump:a.hprof']);
});

test('profileKindOf by suffix, case-insensitive', () => {
  assert.equal(profileKindOf('X.HPROF'), 'heap dump');
  assert.equal(profileKindOf('a.heapsnapshot'), 'heap dump');
  assert.equal(profileKindOf('trace.pt.trace.json.gz'), 'trace');
  assert.equal(profileKindOf('notes.json'), undefined);
});

test('written captures: the files a command named that exist and were written since it started', async () => {
  const { mkdtempSync, writeFileSync, utimesSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { writtenCaptures } = await import('./captures');
  const dir = mkdtempSync(join(tmpdir(), 'captures-'));
  try {
    const started = Date.now();
    writeFileSync(join(dir, 'profile.speedscope.json'), '{}');
    writeFileSync(join(dir, 'old.hprof'), 'JAVA PROFILE 1.0.2');
    const past = new Date(started - 60_000);
    utimesSync(join(dir, 'old.hprof'), past, past);
    const fresh = await writtenCaptures(
      'py-spy record --format speedscope -o profile.speedscope.json -d 1 -p 1',
      dir,
      started,
      1000,
    );
    assert.deepEqual(
      fresh.map((c) => [c.path, c.kind]),
      [[join(dir, 'profile.speedscope.json'), 'CPU profile']],
    );
    const stale = await writtenCaptures('jmap -dump:format=b,file=old.hprof 42', dir, started, 1000);
    assert.deepEqual(stale, [], 'a file older than the run is not its capture');
    assert.deepEqual(
      await writtenCaptures('jmap -dump:format=b,file=missing.hprof 42', dir, started, 1000),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
