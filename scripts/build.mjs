// One esbuild script, three kinds of bundle:
//   dist/extension.js  the VS Code extension (Node, CJS, `vscode` external)
//   dist/cli.js        the `runbook` command (Node, CJS, with a shebang)
//   dist/*-worker.js   worker threads for parsing profiles and heap dumps (Node, CJS)
//   dist/webview/*.js  browser code for each webview (IIFE)
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'pg-native'],
};

/** Every folder under webview/ with a main.ts is one webview page. */
const webviewEntries = readdirSync('webview', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join('webview', d.name, 'main.ts')))
  .map((d) => ({ in: join('webview', d.name, 'main.ts'), out: d.name }));

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  // Worker threads the extension starts for parsing profiles off the extension host's main thread.
  { ...node, entryPoints: ['src/core/profile/worker.ts'], outfile: 'dist/profile-worker.js' },
  { ...node, entryPoints: ['src/core/profile/heap/heapWorker.ts'], outfile: 'dist/heap-worker.js' },
  webviewEntries.length && {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
  },
].filter(Boolean);

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('watching for changes...');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
}
