// A real JVM: a small program leaks 10000 LeakyEntry objects into a static list; we dump it with
// `jmap -dump` and `jcmd GC.heap_dump` and hold our histogram against `jmap -histo` of the same JVM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseHprof } from './hprof';
import { classRetainers } from './retainers';
import type { HeapAnalysis } from './model';

const run = promisify(execFile);

// LeakyBase's long leaves a 4-byte hole after the 12-byte header. JDK 15+ puts LeakyEntry's int in
// it (12 + 4 + 8 + 4 + 2 refs x 4 = 32 bytes); JDK 6-14 would start LeakyEntry's fields after the
// base (40 bytes). The dump cannot say which JVM wrote it; jmap can.
const PROGRAM = `
import java.util.ArrayList;
import java.util.List;

public class LeakyApp {
  static final List<LeakyEntry> LEAK = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    for (int i = 0; i < 10000; i++) LEAK.add(new LeakyEntry(i));
    System.out.println("READY " + ProcessHandle.current().pid());
    System.out.flush();
    // Exit when the test's end of the pipe closes, so the JVM cannot outlive a killed test run.
    while (System.in.read() >= 0) {}
    System.exit(0);
  }
}

class LeakyBase {
  long created = System.nanoTime();
}

class LeakyEntry extends LeakyBase {
  int seq;
  String name;
  int[] payload = new int[8];

  LeakyEntry(int seq) {
    this.seq = seq;
    this.name = "entry-" + seq;
  }
}
`;

async function haveJdk(): Promise<string | null> {
  for (const tool of ['java', 'jmap', 'jcmd']) {
    try {
      await run(tool, [tool === 'java' ? '-version' : '-h']);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return `${tool} is not installed`;
    }
  }
  return null;
}

function waitForReady(proc: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`JVM not ready after 60 s: ${out} ${err}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`JVM exited (${code}) before it was ready: ${err}`));
    });
  });
}

/** `jmap -histo` rows by our readable class names. */
function parseJmapHisto(text: string): Map<string, { count: number; bytes: number }> {
  const rows = new Map<string, { count: number; bytes: number }>();
  for (const line of text.split('\n')) {
    const m = /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const name = readable(m[3]!);
    const prev = rows.get(name);
    rows.set(name, {
      count: Number(m[1]) + (prev?.count ?? 0),
      bytes: Number(m[2]) + (prev?.bytes ?? 0),
    });
  }
  return rows;
}

function readable(jmapName: string): string {
  const prim: Record<string, string> = {
    Z: 'boolean',
    C: 'char',
    F: 'float',
    D: 'double',
    B: 'byte',
    S: 'short',
    I: 'int',
    J: 'long',
  };
  let dims = 0;
  while (jmapName[dims] === '[') dims++;
  let base = jmapName.slice(dims);
  if (dims) base = base.startsWith('L') ? base.slice(1, -1) : (prim[base] ?? base);
  return base + '[]'.repeat(dims);
}

function histogramOf(a: HeapAnalysis): Map<string, { count: number; bytes: number }> {
  const rows = new Map<string, { count: number; bytes: number }>();
  for (const c of a.classes) {
    const prev = rows.get(c.name);
    rows.set(c.name, { count: c.count + (prev?.count ?? 0), bytes: c.shallowBytes + (prev?.bytes ?? 0) });
  }
  return rows;
}

test('a dump of a live JDK 17 matches jmap -histo of the same JVM; the static list retains the leak', async (t) => {
  const missing = await haveJdk();
  if (missing) {
    t.skip(`needs a JDK: ${missing}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hprof-jvm-'));
  const src = join(dir, 'LeakyApp.java');
  writeFileSync(src, PROGRAM);
  const jvm = spawn('java', ['-Xmx256m', src], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const pid = await waitForReady(jvm);
    const histo = parseJmapHisto(
      (await run('jmap', ['-histo:live', String(pid)], { maxBuffer: 64 << 20 })).stdout,
    );
    const jmapDump = join(dir, 'jmap.hprof');
    await run('jmap', [`-dump:live,format=b,file=${jmapDump}`, String(pid)]);
    const jcmdDump = join(dir, 'jcmd.hprof');
    await run('jcmd', [String(pid), 'GC.heap_dump', jcmdDump]);
    jvm.kill('SIGKILL');

    const expected = histo.get('LeakyEntry');
    assert.deepEqual(expected, { count: 10000, bytes: 320000 }, 'jmap: 10000 entries of 32 bytes');
    for (const file of [jmapDump, jcmdDump]) {
      const a = await parseHprof(file);
      assert.equal(a.details.layout, '64-bit, compressed oops, JDK 15+ field layout', file);
      const ours = histogramOf(a);
      assert.deepEqual(ours.get('LeakyEntry'), expected, file);
      assert.equal(ours.get('LeakyBase'), undefined, 'no instance of the base class itself');

      // The rest of the heap: jmap ran just before the dump, so nearly every class is the same.
      let same = 0;
      let compared = 0;
      const diffs: string[] = [];
      for (const [name, e] of histo) {
        if (name === 'java.lang.Class') continue; // mirrors carry fields the dump does not list
        compared++;
        const o = ours.get(name);
        if (o && o.count === e.count && o.bytes === e.bytes) same++;
        else diffs.push(`${name}: ours ${o?.count}/${o?.bytes} jmap ${e.count}/${e.bytes}`);
      }
      // Fields HotSpot injects (MemberName.vmindex, Module.module_entry) are not in the dump; the
      // address gaps between instances correct them. Single-instance classes (class loaders:
      // loader_data; Thread subclasses: @Contended padding) keep the computed size, and cleaner
      // objects change between jmap's GC and the dump's.
      for (const name of [
        'java.lang.invoke.MemberName',
        'java.lang.Module',
        'java.lang.invoke.ResolvedMethodName',
      ])
        assert.deepEqual(ours.get(name), histo.get(name), name);
      assert.ok(
        same >= compared * 0.97,
        `${same}/${compared} classes agree; ${diffs.slice(0, 60).join('\n')}`,
      );

      // Who keeps the entries alive: the ArrayList in LeakyApp.LEAK, through its Object[].
      const d = a.dominators!;
      const leaky = a.classes.findIndex((c) => c.name === 'LeakyEntry');
      const row = a.classes[leaky]!;
      // Each entry retains itself, its String + byte[] and its int[8] (48 bytes).
      assert.ok(row.retainedBytes! > row.shallowBytes + 10000 * 48, 'entries retain their payloads');
      const [top] = classRetainers(a, leaky, 3);
      assert.ok(top, 'a retainer');
      assert.equal(top.className, 'java.lang.Object[]');
      assert.equal(top.count, 10000);
      assert.equal(top.retainedBytes, row.retainedBytes, 'one owner holds them all');
      const names = top.path.map((s) => s.className);
      const list = top.path.find((s) => s.className === 'java.util.ArrayList');
      assert.ok(list, `path from the GC roots passes through the ArrayList: ${names.join(' > ')}`);
      assert.equal(
        list.retainedBytes,
        row.retainedBytes! + d.shallow[top.object]! + d.shallow[list.object]!,
        'the list retains its entries, its array and itself, nothing else',
      );
      assert.ok(d.reachableBytes > list.retainedBytes);
    }
  } finally {
    if (jvm.exitCode === null && jvm.signalCode === null) {
      jvm.kill('SIGKILL');
      await new Promise((r) => jvm.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
