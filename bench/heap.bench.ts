// Heap dump import speed, as ratios against the reference tools on the same input:
// - .hprof: our streaming histogram pass over a dump written by a real JDK, vs `jmap -histo` of that
//   same live JVM. Not like for like, stated plainly: jmap walks the heap inside the JVM (plus its
//   own tool JVM start and attach), we read the dump file. It answers "is reading the dump slower than
//   asking the JVM?". Also: the full analysis (histogram + dominator tree) against the same baseline.
// - .heapsnapshot: our streaming summary (histogram + dominators + retained sizes) vs
//   @vscode/v8-heap-parser (whole file in memory, WebAssembly) computing its class groups.
// Sizes: HEAP_BENCH_MB (default 100) for the dump, HEAP_BENCH_SNAPSHOT_MB (default 100) for the snapshot.
// The setup also prints MB/s and our peak memory (max RSS of a child process doing only the parse).
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decode_bytes } from '@vscode/v8-heap-parser';
import type { Measure } from './harness';
import { parseHprof } from '../src/core/profile/heap/hprof';
import { parseHeapSnapshot } from '../src/core/profile/heap/heapsnapshot';

const run = promisify(execFile);
const DUMP_MB = Number(process.env.HEAP_BENCH_MB ?? 100);
const SNAPSHOT_MB = Number(process.env.HEAP_BENCH_SNAPSHOT_MB ?? 100);

// A heap of small objects (the shape that makes dumps slow: many records, not big arrays). The JVM
// exits when its stdin closes, so it cannot outlive the bench.
const JAVA = `
import java.util.*;

public class HeapBench {
  static final Map<String, Item> ITEMS = new HashMap<>();

  static final class Item {
    final long id; final String name; final int[] data; Item next;
    Item(long id, Item next) { this.id = id; this.name = "item-" + id; this.data = new int[4]; this.next = next; }
  }

  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    Item prev = null;
    for (int i = 0; i < n; i++) { prev = new Item(i, i % 100 == 0 ? null : prev); ITEMS.put(prev.name, prev); }
    System.out.println("READY " + ProcessHandle.current().pid());
    System.out.flush();
    while (System.in.read() >= 0) {}
    System.exit(0);
  }
}
`;

const dir = mkdtempSync(join(tmpdir(), 'heap-bench-'));
let jvm: ChildProcess | null = null;
process.on('exit', () => {
  jvm?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Max RSS of a child process that only parses the file (our memory, not the bench's). */
function peakRss(kind: 'hprof' | 'heapsnapshot', file: string, maxObjects: number): number {
  const fn = kind === 'hprof' ? 'parseHprof' : 'parseHeapSnapshot';
  const mod = kind === 'hprof' ? 'hprof' : 'heapsnapshot';
  const script = `
    const { ${fn} } = require(${JSON.stringify(join(__dirname, '../src/core/profile/heap', mod))});
    ${fn}(${JSON.stringify(file)}, { maxObjects: ${maxObjects} }).then(() =>
      console.log(process.resourceUsage().maxRSS * 1024));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

/** Max RSS of the same child process without the parse: Node + tsx + the modules, nothing read. */
let idleRssCache = 0;
function idleRss(): number {
  if (!idleRssCache) {
    const script = `require(${JSON.stringify(join(__dirname, '../src/core/profile/heap/hprof'))});
      console.log(process.resourceUsage().maxRSS * 1024);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    idleRssCache = Number(out.trim().split('\n').pop());
  }
  return idleRssCache;
}

let hprofReady: Promise<{ pid: number; file: string }> | null = null;
function hprofSetup(): Promise<{ pid: number; file: string }> {
  hprofReady ??= (async () => {
    const src = join(dir, 'HeapBench.java');
    writeFileSync(src, JAVA);
    // About 250 bytes of dump per item (5 objects: item, string, byte[], int[], map entry).
    const items = Math.round((DUMP_MB * 1e6) / 250);
    const proc = spawn('java', ['-Xmx4g', src, String(items)], { stdio: ['pipe', 'pipe', 'inherit'] });
    jvm = proc;
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      proc.on('exit', (code) => reject(new Error(`bench JVM exited with ${code}`)));
    });
    const file = join(dir, 'bench.hprof');
    await run('jmap', [`-dump:live,format=b,file=${file}`, String(pid)]);
    const size = statSync(file).size;
    const t0 = performance.now();
    const a = await parseHprof(file, { maxObjects: 0 });
    const s = (performance.now() - t0) / 1000;
    const histRss = peakRss('hprof', file, 0);
    const idle = idleRss();
    console.log(
      `  hprof: ${mb(size)} dump, ${a.objects} objects; histogram pass ${(size / 1e6 / s).toFixed(0)} MB/s; ` +
        `peak RSS ${mb(histRss)} histogram only (${(histRss / size).toFixed(2)}x dump; ` +
        `${mb(histRss - idle)} above an idle Node+tsx at ${mb(idle)}: ${((histRss - idle) / size).toFixed(2)}x), ` +
        `${mb(peakRss('hprof', file, 1e9))} with dominator tree`,
    );
    return { pid, file };
  })();
  return hprofReady;
}

let snapshotReady: Promise<string> | null = null;
function snapshotSetup(): Promise<string> {
  snapshotReady ??= (async () => {
    const file = join(dir, 'bench.heapsnapshot');
    // About 110 bytes of snapshot per object.
    const n = Math.round((SNAPSHOT_MB * 1e6) / 330);
    const program = `
      class Row { constructor(i, next) { this.id = i; this.label = 'row-' + i; this.tags = [i, i + 1]; this.next = next; } }
      globalThis.rows = new Map(); let prev = null;
      for (let i = 0; i < ${n}; i++) { prev = new Row(i, i % 100 ? prev : null); globalThis.rows.set(prev.label, prev); }
      require('v8').writeHeapSnapshot(process.argv[1]);`;
    execFileSync(process.execPath, ['--max-old-space-size=8192', '-e', program, file], { stdio: 'inherit' });
    const size = statSync(file).size;
    const t0 = performance.now();
    const a = await parseHeapSnapshot(file);
    const s = (performance.now() - t0) / 1000;
    console.log(
      `  heapsnapshot: ${mb(size)}, ${a.objects} nodes; full summary ${(size / 1e6 / s).toFixed(0)} MB/s; ` +
        `peak RSS ${mb(peakRss('heapsnapshot', file, 1e9))} (idle Node+tsx ${mb(idleRss())})`,
    );
    return file;
  })();
  return snapshotReady;
}

export default async function measures(): Promise<Measure[]> {
  try {
    await run('jmap', ['-h']);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      console.log('  heap bench: no JDK (jmap) here, the .hprof measures are left out');
      return snapshotMeasures();
    }
  }
  return [
    {
      name: `hprof: histogram of a ${DUMP_MB} MB dump of a live JVM`,
      baseline: {
        name: 'jmap -histo PID (same JVM)',
        run: async () => run('jmap', ['-histo', String((await hprofSetup()).pid)], { maxBuffer: 256 << 20 }),
      },
      subject: {
        name: 'parseHprof histogram pass (maxObjects 0)',
        run: async () => parseHprof((await hprofSetup()).file, { maxObjects: 0 }),
      },
      setup: hprofSetup,
      rounds: 5,
    },
    {
      name: `hprof: histogram + dominator tree of the same dump`,
      baseline: {
        name: 'jmap -histo PID (same JVM)',
        run: async () => run('jmap', ['-histo', String((await hprofSetup()).pid)], { maxBuffer: 256 << 20 }),
      },
      subject: {
        name: 'parseHprof with dominator tree',
        run: async () => parseHprof((await hprofSetup()).file, { maxObjects: 1e9 }),
      },
      setup: hprofSetup,
      rounds: 3,
    },
    ...snapshotMeasures(),
  ];
}

function snapshotMeasures(): Measure[] {
  return [
    {
      name: `heapsnapshot: class summary with retained sizes, ${SNAPSHOT_MB} MB snapshot`,
      baseline: {
        name: '@vscode/v8-heap-parser decode_bytes + get_class_groups',
        run: async () => {
          const g = decode_bytes(readFileSync(await snapshotSetup()));
          const groups = g.get_class_groups(0, 1_000_000, false);
          for (const c of groups) c.free();
          g.free();
        },
      },
      subject: {
        name: 'parseHeapSnapshot (streaming, dominators)',
        run: async () => parseHeapSnapshot(await snapshotSetup(), { maxObjects: 1e9 }),
      },
      setup: snapshotSetup,
      rounds: 3,
    },
  ];
}
