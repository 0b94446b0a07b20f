// The profile viewer's costs, as ratios in one process:
//   1. Layout of the whole sucrase.cpuprofile flame graph (every node, no culling) vs iterating the
//      same tree once (reading the columns the layout reads): what laying out costs per node.
//   2. Layout of a 100k-node tree for a 1600 px canvas as drawn (boxes under 0.5 px culled with
//      their subtrees) vs iterating that tree once: culling makes a frame cheaper than one pass.
//   3. The data path to the first paint: the file imported in a worker (the bundled worker the
//      extension runs) and its typed arrays copied once by structured clone (what handing them to
//      the webview costs), vs speedscope 1.25's own importer (importProfileGroupFromText, run in
//      headless Chromium from its release bundle) on the same file. Skipped, saying why, when
//      Chromium or the bundle's importer cannot be reached.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Measure } from './harness';
import { importProfile } from '../src/core/profile/flame/import';
import { importProfileInWorker } from '../src/core/profile/flame/worker-client';
import type { FlameProfile, StackTree } from '../src/core/profile/model';
import { BoxBuffer, layoutTree } from '../webview/profile/layout';

const ROOT = resolve(__dirname, '..');
const SUCRASE = resolve(
  ROOT,
  '..',
  'shared/fixtures/public/jlfwong-speedscope/sample/profiles/Chrome/65/sucrase.cpuprofile',
);
const REPEAT = 200;

/** One pass over the tree reading depth, total and subtreeEnd: the floor for any layout. */
function iterate(tree: StackTree): number {
  let acc = 0;
  for (let i = 0; i < tree.length; i++)
    acc += (tree.depth[i] as number) + (tree.total[i] as number) + (tree.subtreeEnd[i] as number);
  return acc;
}

/** A synthetic preorder tree of `n` nodes: a few hot paths and a long tail of small calls. */
function syntheticTree(n: number): StackTree {
  const parent = new Int32Array(n).fill(-1);
  const depth = new Uint16Array(n);
  const self = new Float64Array(n);
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  // Preorder by construction: each node's parent is one of the open ancestors of the previous node.
  const open: number[] = [0];
  for (let i = 1; i < n; i++) {
    const keep = Math.max(
      1,
      Math.min(open.length, Math.floor(open.length * rnd() ** 0.15) + (rnd() < 0.6 ? 1 : 0)),
    );
    open.length = keep;
    const p = open[open.length - 1] as number;
    parent[i] = p;
    depth[i] = (depth[p] as number) + 1;
    self[i] = rnd() < 0.02 ? 1000 * rnd() : rnd() ** 4 * 10;
    open.push(i);
  }
  const total = Float64Array.from(self);
  const subtreeEnd = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    if (subtreeEnd[i] === 0) subtreeEnd[i] = i + 1;
    const p = parent[i] as number;
    if (p >= 0) {
      (total[p] as number) += total[i] as number;
      if ((subtreeEnd[p] as number) < (subtreeEnd[i] as number)) subtreeEnd[p] = subtreeEnd[i] as number;
    }
  }
  return { length: n, parent, frame: new Int32Array(n), depth, self, total, subtreeEnd };
}

export default async function measures(): Promise<Measure[]> {
  const out: Measure[] = [];
  const sucrase = await importProfile({ path: SUCRASE });
  const buf = new BoxBuffer();
  let sink = 0;
  out.push({
    name: `flame layout, whole sucrase.cpuprofile tree (${sucrase.tree.length} nodes) x${REPEAT}`,
    baseline: {
      name: 'iterating the tree once',
      run: () => {
        for (let k = 0; k < REPEAT; k++) sink += iterate(sucrase.tree);
      },
    },
    subject: {
      name: 'layoutTree (every node)',
      run: () => {
        for (let k = 0; k < REPEAT; k++)
          sink += layoutTree(sucrase.tree, { lo: 0, hi: 1 }, 1600, 0, buf).count;
      },
    },
    rounds: 9,
  });

  const big = syntheticTree(100_000);
  out.push({
    name: 'flame layout, 100k-node tree on a 1600 px canvas x20',
    baseline: {
      name: 'iterating the tree once',
      run: () => {
        for (let k = 0; k < 20; k++) sink += iterate(big);
      },
    },
    subject: {
      name: 'layoutTree (0.5 px culling, as drawn)',
      run: () => {
        for (let k = 0; k < 20; k++) sink += layoutTree(big, { lo: 0, hi: 1 }, 1600, 0.5, buf).count;
      },
    },
    rounds: 9,
  });

  const path = await firstPaintPath();
  if (path) out.push(path);
  if (sink === -1) console.log('unreachable');
  return out;
}

async function firstPaintPath(): Promise<Measure | undefined> {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const releaseDir = resolve(ROOT, 'node_modules/speedscope/dist/release');
  const bundleName = existsSync(releaseDir)
    ? readdirSync(releaseDir).find((n) => /^speedscope-.*\.js$/.test(n))
    : undefined;
  if (!existsSync(chromium) || !bundleName) {
    console.log(
      `profile-view: data-path measure skipped: ${!bundleName ? 'no speedscope release bundle' : `no Chromium at ${chromium}`}`,
    );
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-view-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  // The worker as the extension runs it: bundled by esbuild.
  const esbuild = await import('esbuild');
  const worker = join(dir, 'profile-worker.js');
  await esbuild.build({
    entryPoints: [resolve(ROOT, 'src/core/profile/worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: worker,
    logLevel: 'error',
  });
  // speedscope's bundle keeps its importers in a lazily initialised module; expose that promise.
  const bundle = readFileSync(join(releaseDir, bundleName), 'utf8');
  const hook = /var (\w+)=Promise\.resolve\(\)\.then\(\(\)=>\(\w+\(\),\w+\)\);/.exec(bundle);
  if (!hook) {
    console.log('profile-view: data-path measure skipped: speedscope bundle layout not recognised');
    return undefined;
  }
  const patched = bundle.replace(hook[0], `${hook[0]}globalThis.__speedscopeImport=${hook[1]};`);
  writeFileSync(join(dir, 'speedscope.js'), patched);
  writeFileSync(
    join(dir, 'index.html'),
    '<!DOCTYPE html><html><body><script src="speedscope.js"></script></body></html>',
  );

  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--headless'],
  });
  process.on('exit', () => void browser.close().catch(() => undefined));
  const page = await browser.newPage();
  await page.goto(`file://${join(dir, 'index.html')}`);
  const text = readFileSync(SUCRASE, 'utf8');
  await page.evaluate(`window.__text = ${JSON.stringify(text)}; undefined`);
  const ok = await page.evaluate(
    `globalThis.__speedscopeImport.then((m) => typeof m.importProfileGroupFromText === 'function')`,
  );
  if (!ok) {
    await browser.close();
    console.log('profile-view: data-path measure skipped: speedscope importer not found in its bundle');
    return undefined;
  }
  let last: FlameProfile | undefined;
  return {
    name: 'first-paint data path, sucrase.cpuprofile (1 MB)',
    baseline: {
      name: 'speedscope 1.25 importProfileGroupFromText (Chromium)',
      run: () =>
        page.evaluate(
          `globalThis.__speedscopeImport.then((m) => m.importProfileGroupFromText('sucrase.cpuprofile', window.__text)).then((g) => g.profiles.length)`,
        ),
    },
    subject: {
      name: 'import in a worker + structured clone of the typed arrays',
      run: async () => {
        const p = await importProfileInWorker(worker, SUCRASE);
        last = structuredClone(p);
        return last.tree.length;
      },
    },
    rounds: 7,
  };
}
