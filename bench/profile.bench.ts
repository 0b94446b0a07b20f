// Profile import: our importers (src/core/profile/flame) vs speedscope 1.25's, on the same files,
// in the same process. Ratio < 1: ours is faster. The goal is 2x faster (ratio <= 0.5).
//
// Baseline: speedscope ships only a browser bundle (dist/release/speedscope-*.js, an IIFE that
// renders into document.body). Its importers are module-private, so the bundle is run in a
// node:vm context with the few browser globals it touches at load time, and one statement is
// added in memory (never on disk) to hand out its import module; rendering then fails on the
// missing `document`, after the importers are defined. The baseline reads the file as text and
// calls importProfileGroupFromText(name, text), which is what speedscope does with a dropped file.
// Subject: importProfile({ path }), which reads the file itself (streamed).
//
// Inputs: the largest fixtures, a generated 100 MB collapsed-stack file and a generated 50 MB
// .cpuprofile (written to the OS temp dir once, deterministic). RUNBOOK_BENCH_HUGE=1 adds a 1 GB
// collapsed file, which speedscope cannot open at all (a JS string that long does not exist):
// that one is measured against merely reading the file in chunks.
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import vm from 'node:vm';
import type { Measure } from './harness';
import { importProfile } from '../src/core/profile/flame/import';
import { totalWeight } from '../src/core/profile/model';

const SS = resolve(
  __dirname,
  '..',
  '..',
  'shared',
  'fixtures',
  'public',
  'jlfwong-speedscope',
  'sample',
  'profiles',
);

interface SpeedscopeImport {
  importProfileGroupFromText(name: string, text: string): Promise<{ profiles: unknown[] } | null>;
}

function loadSpeedscope(): SpeedscopeImport {
  const dir = resolve(__dirname, '..', 'node_modules', 'speedscope', 'dist', 'release');
  const file = readdirSync(dir).find((f) => /^speedscope-.*\.js$/.test(f));
  if (!file) throw new Error(`no speedscope bundle in ${dir}`);
  const src = readFileSync(join(dir, file), 'utf8');
  // The import module is the object whose exports include importProfileGroupFromText; the bundle
  // loads it lazily as Promise.resolve().then(()=>(init(),module)).
  const mod = /\w+\((\w+),\{importFromFileSystemDirectoryEntry:/.exec(src)?.[1];
  const lazy =
    mod && new RegExp(`Promise\\.resolve\\(\\)\\.then\\(\\(\\)=>\\((\\w+)\\(\\),${mod}\\)\\);`).exec(src);
  if (!mod || !lazy)
    throw new Error(`${file}: the import module was not found (speedscope version changed?)`);
  const patched = src.replace(lazy[0], `${lazy[0]}globalThis.__speedscopeImport=()=>(${lazy[1]}(),${mod});`);
  const quiet = { ...console, log() {}, info() {}, warn() {} };
  const ctx: Record<string, unknown> = {
    console: quiet,
    TextDecoder,
    TextEncoder,
    // unref'd: speedscope's UI schedules timers that must not keep the bench process alive
    setTimeout: (fn: () => void, ms?: number) => setTimeout(fn, ms).unref(),
    clearTimeout,
    URL,
    performance,
    atob,
    btoa,
    location: { hash: '', href: 'http://localhost/', protocol: 'http:', search: '' },
    localStorage: { getItem: () => null, setItem() {} },
    addEventListener() {},
    removeEventListener() {},
    devicePixelRatio: 1,
    navigator: { userAgent: 'node', platform: 'linux' },
  };
  ctx.globalThis = ctx;
  ctx.window = ctx;
  ctx.self = ctx;
  vm.createContext(ctx);
  try {
    vm.runInContext(patched, ctx, { filename: file });
  } catch {
    // rendering needs a DOM; the importers are defined before that point
  }
  const get = ctx.__speedscopeImport as (() => SpeedscopeImport) | undefined;
  if (!get) throw new Error(`${file}: the import module did not load`);
  return get();
}

/** Small deterministic PRNG: integers in [0, n). */
function rng(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/**
 * Collapsed stacks shaped like a JVM perf profile: a few thousand functions, stacks 5-60 deep that
 * share their outer frames, lines in no particular order.
 */
async function collapsedFile(mb: number): Promise<string> {
  const path = join(tmpdir(), `runbook-bench-collapsed-${mb}mb.txt`);
  if (existsSync(path) && statSync(path).size >= mb * 1e6) return path;
  const r = rng(42);
  const names = Array.from(
    { length: 3000 },
    (_, i) => `com/example/svc${i % 17}/Component${i % 211}.handle${i % 13}_${i}`,
  );
  const out = createWriteStream(path);
  let written = 0;
  let buf = '';
  while (written < mb * 1e6) {
    const depth = 5 + r(56);
    let f = 0;
    const parts = ['java', 'start_thread', 'JavaMain'];
    for (let d = 0; d < depth; d++) {
      f = (f * 31 + r(d < 8 ? 3 : 4) * 7 + d) % names.length;
      parts.push(names[f] as string);
    }
    const line = `${parts.join(';')} ${1 + r(100)}\n`;
    buf += line;
    written += line.length;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((ok) => out.once('drain', () => ok()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((ok) => out.once('finish', () => ok()));
  return path;
}

/** A .cpuprofile of a large program: 250k nodes, 600k samples (10 minutes at 1 ms), about 50 MB of JSON. */
function cpuprofileFile(): string {
  const path = join(tmpdir(), 'runbook-bench-50mb.cpuprofile');
  if (existsSync(path)) return path;
  const r = rng(7);
  const nodes: Array<{ id: number; callFrame: object; hitCount: number; children: number[] }> = [
    {
      id: 1,
      callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
      hitCount: 0,
      children: [],
    },
  ];
  // stacks up to 64 deep: a parent is a random earlier node that is not that deep yet
  const depth = [0];
  for (let id = 2; id <= 250000; id++) {
    let p = nodes.length - 1 - r(Math.min(nodes.length, 400));
    while ((depth[p] as number) >= 64) p = r(p);
    const parent = nodes[p] as (typeof nodes)[number];
    depth.push((depth[p] as number) + 1);
    const fn = r(4000);
    nodes.push({
      id,
      callFrame: {
        functionName: `fn${fn}`,
        scriptId: String(10 + (fn % 300)),
        url: `file:///app/node_modules/pkg${fn % 300}/lib/module${fn % 40}.js`,
        lineNumber: fn % 2000,
        columnNumber: fn % 80,
      },
      hitCount: 0,
      children: [],
    });
    parent.children.push(id);
  }
  const n = 600_000;
  const samples = new Array<number>(n);
  const timeDeltas = new Array<number>(n);
  // like a real program: mostly the same stack as the sample before, sometimes a nearby call, now
  // and then somewhere else entirely
  let at = 2;
  for (let i = 0; i < n; i++) {
    const k = r(100);
    if (k >= 97) at = 2 + r(nodes.length - 1);
    else if (k >= 80) at = Math.min(nodes.length, Math.max(2, at + r(21) - 10));
    samples[i] = at;
    timeDeltas[i] = 100 + r(900);
  }
  const sum = timeDeltas.reduce((a, b) => a + b, 0);
  writeFileSync(path, JSON.stringify({ nodes, startTime: 1e9, endTime: 1e9 + sum, samples, timeDeltas }));
  return path;
}

async function readChunks(path: string): Promise<number> {
  let n = 0;
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)
    n += c.length;
  return n;
}

function versus(
  name: string,
  path: () => string | Promise<string>,
  ss: () => SpeedscopeImport,
  rounds?: number,
): Measure {
  let file = '';
  return {
    name,
    ...(rounds ? { rounds } : {}),
    goal: 0.5,
    setup: async () => {
      file = await path();
    },
    baseline: {
      name: 'speedscope 1.25 importProfileGroupFromText',
      run: async () => {
        const g = await ss().importProfileGroupFromText(basename(file), readFileSync(file, 'utf8'));
        if (!g || !g.profiles.length) throw new Error(`speedscope imported nothing from ${file}`);
      },
    },
    subject: {
      name: 'importProfile',
      run: async () => {
        const p = await importProfile({ path: file });
        if (!(totalWeight(p) > 0)) throw new Error(`nothing imported from ${file}`);
      },
    },
  };
}

export default async function measures(): Promise<Measure[]> {
  let speedscope: SpeedscopeImport | undefined;
  const ss = (): SpeedscopeImport => (speedscope ??= loadSpeedscope());

  const list: Measure[] = [
    versus('import sucrase.cpuprofile (1 MB)', () => join(SS, 'Chrome/65/sucrase.cpuprofile'), ss),
    versus(
      'import perf-vertx collapsed stacks (260 KB)',
      () => join(SS, 'stackcollapse/perf-vertx-stacks-01-collapsed-all.txt'),
      ss,
    ),
    versus('import Chrome 116 trace (540 KB)', () => join(SS, 'Chrome/116/Trace-20230603T221323.json'), ss),
    versus('import generated 50 MB .cpuprofile', cpuprofileFile, ss, 3),
    versus('import generated 100 MB collapsed stacks', () => collapsedFile(100), ss, 3),
  ];
  if (process.env.RUNBOOK_BENCH_HUGE === '1') {
    let huge = '';
    list.push({
      name: 'import generated 1 GB collapsed stacks (speedscope cannot: no 1 GB string)',
      rounds: 1,
      setup: async () => {
        huge = await collapsedFile(1000);
      },
      baseline: { name: 'read the file in 1 MB chunks', run: () => readChunks(huge) },
      subject: {
        name: 'importProfile',
        run: async () => {
          const before = process.memoryUsage().rss;
          const p = await importProfile({ path: huge });
          const rss = process.memoryUsage().rss;
          console.log(
            `  1 GB collapsed: ${p.tree.length} nodes, rss ${(before / 2 ** 20).toFixed(0)} -> ${(rss / 2 ** 20).toFixed(0)} MB`,
          );
        },
      },
    });
  }
  return list;
}
