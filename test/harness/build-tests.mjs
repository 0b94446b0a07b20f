// Bundles what runs inside the extension host for the integration tier, into the git-ignored
// .vscode-test/companion (a complete extension folder, packaged from there):
//   package.json         test/companion/package.json
//   out/extension.js     the test-only companion extension, mocha bundled in
//   out/suites/*.js      one bundle per test/integration/*.integration.test.ts
// The suites are also what .vscode-test.mjs hands to @vscode/test-cli on a desktop.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheRoot, repoRoot } from '../../scripts/vscode-server.mjs';

export const companionSource = join(repoRoot, 'test', 'companion');
export const companionDir = join(cacheRoot, 'companion');
export const suitesDir = join(companionDir, 'out', 'suites');
const integrationDir = join(repoRoot, 'test', 'integration');

/** Bundle names (.js) of the in-host suites, sorted. */
export function suiteNames() {
  return readdirSync(integrationDir)
    .filter((n) => n.endsWith('.integration.test.ts'))
    .sort()
    .map((n) => n.replace(/\.ts$/, '.js'));
}

/** Suites for an untrusted window end with .restricted.integration.test; the rest need a trusted one. */
export const isRestrictedSuite = (name) => name.includes('.restricted.integration.test.');

/** Builds the companion extension folder into `dir` (default .vscode-test/companion) and returns it. */
export async function buildTests(dir = companionDir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(companionSource, 'package.json'), join(dir, 'package.json'));
  const node = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
    absWorkingDir: repoRoot,
  };
  await Promise.all([
    esbuild.build({
      ...node,
      entryPoints: [join(companionSource, 'src', 'extension.ts')],
      outfile: join(dir, 'out', 'extension.js'),
      logOverride: {
        // mocha loads the suite files with a computed require(): that one stays Node's own.
        'unsupported-require-call': 'silent',
        'unsupported-dynamic-import': 'silent',
        // Only mocha's parallel mode (never used here) resolves those files.
        'require-resolve-not-external': 'silent',
      },
    }),
    esbuild.build({
      ...node,
      entryPoints: suiteNames().map((n) => join(integrationDir, n.replace(/\.js$/, '.ts'))),
      outdir: join(dir, 'out', 'suites'),
    }),
  ]);
  return dir;
}

// `node test/harness/build-tests.mjs` (used by `npm run test:vscode`) just builds.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildTests();
