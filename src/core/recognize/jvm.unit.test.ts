// jcmd GC.class_histogram, jmap -histo and jstat -gcutil on a real JDK: a small Java program holds a
// known number of objects while the tools look at it; it is killed at the end (no orphan JVM).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { recognize } from './index';
import { parseJvmHistogram, readableClassName, type JvmHistogram } from './jvm-histogram';
import { parseJstatGcutil, type JstatGcutil } from './jstat-gcutil';
import { evaluate } from '../check/evaluate';

const run = promisify(execFile);
const LEAKS = 50_000;
const PROGRAM = `
import java.util.*;
public class Holder {
  static final class Leak { long a, b, c; }
  static final List<Leak> KEEP = new ArrayList<>();
  public static void main(String[] args) throws Exception {
    for (int i = 0; i < ${LEAKS}; i++) KEEP.add(new Leak());
    System.out.println("ready");
    Thread.sleep(120_000);
  }
}`;

const why =
  ['java', 'jcmd', 'jmap', 'jstat']
    .map((t) => (spawnSync(t, ['-version'], { stdio: 'ignore' }).error ? `${t} not found` : null))
    .find(Boolean) ?? null;
let dir = '';
let jvm: ChildProcess | null = null;

before(async () => {
  if (why) return;
  dir = mkdtempSync(join(tmpdir(), 'jvm-recognize-'));
  writeFileSync(join(dir, 'Holder.java'), PROGRAM);
  jvm = spawn('java', ['-Xmx128m', '-XX:+UseSerialGC', 'Holder.java'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the JVM did not start within 60 s')), 60_000);
    jvm?.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    jvm?.on('exit', (code) => reject(new Error(`the JVM exited early (${code})`)));
  });
});

after(async () => {
  if (jvm && jvm.exitCode === null) {
    const gone = new Promise((r) => jvm?.once('exit', r));
    jvm.kill('SIGKILL');
    await gone;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pid = (): string => String(jvm?.pid);

test('jcmd GC.class_histogram and jmap -histo:live: the held objects, counted exactly', async (t) => {
  if (why) return t.skip(why);
  for (const cmd of [
    ['jcmd', pid(), 'GC.class_histogram'],
    ['jmap', '-histo:live', pid()],
  ] as const) {
    const { stdout } = await run(cmd[0], cmd.slice(1), { timeout: 60_000, maxBuffer: 64 << 20 });
    const r = recognize(cmd.join(' '), stdout);
    assert.equal(r?.kind, 'jvm-histogram', cmd[0]);
    const h = r?.data as JvmHistogram;
    if (cmd[0] === 'jcmd') assert.equal(h.pid, jvm?.pid);
    const leak = h.rows.find((x) => x.className === 'Holder$Leak');
    assert.equal(leak?.instances, LEAKS, cmd[0]);
    // Three longs after the object header, 8-byte aligned: the same size for every instance.
    assert.equal((leak?.bytes ?? 0) % LEAKS, 0);
    assert.ok((leak?.bytes ?? 0) / LEAKS >= 24);
    assert.equal(
      h.totalBytes,
      h.rows.reduce((s, x) => s + x.bytes, 0),
    );
    assert.equal(
      h.totalInstances,
      h.rows.reduce((s, x) => s + x.instances, 0),
    );
    assert.deepEqual(
      h.rows.map((x) => x.rank),
      h.rows.map((_, i) => i + 1),
    );
    assert.match(h.rows.find((x) => x.className === 'java.lang.String')?.module ?? '', /^java\.base@17/);
    const bytes = r?.metrics.find((m) => m.path === 'heap.classes.bytes');
    assert.ok(bytes?.samples.some((s) => s.label === 'class Holder$Leak'));
    assert.ok((bytes?.samples.length ?? 0) <= 50);
  }
  assert.equal(readableClassName('[B'), 'byte[]');
  assert.equal(readableClassName('[[Ljava.lang.String;'), 'java.lang.String[][]');
});

test('jstat -gcutil (also with -t and several samples)', async (t) => {
  if (why) return t.skip(why);
  const one = await run('jstat', ['-gcutil', pid()], { timeout: 30_000 });
  const r = recognize(`jstat -gcutil ${pid()}`, one.stdout);
  assert.equal(r?.kind, 'jstat-gcutil');
  const d = r?.data as JstatGcutil;
  assert.deepEqual(d.columns, [
    'S0',
    'S1',
    'E',
    'O',
    'M',
    'CCS',
    'YGC',
    'YGCT',
    'FGC',
    'FGCT',
    'CGC',
    'CGCT',
    'GCT',
  ]);
  const s = d.samples[0];
  assert.ok(s && s.oldPct !== null && s.oldPct >= 0 && s.oldPct <= 100);
  assert.ok(s && s.gcSeconds !== null && s.youngGcSeconds !== null && s.fullGcSeconds !== null);
  assert.ok(
    Math.abs(
      (s?.gcSeconds ?? 0) -
        ((s?.youngGcSeconds ?? 0) + (s?.fullGcSeconds ?? 0) + (s?.concurrentGcSeconds ?? 0)),
    ) < 0.003, // each figure is rounded to 3 decimals
  );
  const e = evaluate(r, { expect: ['jvm.old_pct > 99.9%: critical'] });
  assert.match(e.findings[0]?.message ?? '', /^JVM old generation used [\d.]+% ≤ 99.9% \(ok\)$/);

  const many = await run('jstat', ['-gcutil', '-t', pid(), '100', '3'], { timeout: 30_000 });
  const m = parseJstatGcutil(many.stdout);
  assert.equal(m?.samples.length, 3);
  assert.equal(m?.columns[0], 'Timestamp');
  assert.ok((m?.samples[2]?.timestamp ?? 0) >= (m?.samples[0]?.timestamp ?? Infinity));
});

test('a JVM that is gone, and truncated histograms', async (t) => {
  if (why) return t.skip(why);
  assert.equal(
    parseJvmHistogram(
      '12345:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file\n',
    ),
    null,
  );
  const { stdout } = await run('jmap', ['-histo', pid()], { timeout: 60_000, maxBuffer: 64 << 20 });
  const cut = stdout.slice(0, Math.floor(stdout.length / 3));
  const h = parseJvmHistogram(cut);
  assert.ok(h && h.rows.length > 0 && h.totalBytes === null);
  assert.equal(parseJstatGcutil('  S0     S1     E      O\n'), null);
});
