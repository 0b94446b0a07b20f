// `npm run package`: a production build, then runbook-debugger-<version>.vsix with @vscode/vsce.
// --no-dependencies: esbuild bundles every dependency into dist/, so node_modules is never shipped;
// .vscodeignore is an allowlist of what the installed extension needs.
// Also imported by the test harnesses and `npm start`, which install the result into code-server.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './vscode-server.mjs';

const vsceBin = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(what, args, cwd) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.error?.message}):\n${r.stdout}${r.stderr}`.trim());
  }
  return r.stdout;
}

/**
 * Packages the extension in `dir` into `out` with vsce. `vscode:prepublish` (the production build)
 * runs inside vsce for the main extension.
 */
export function packageVsix({ dir = repoRoot, out, extraArgs = [] } = {}) {
  run(
    `vsce package in ${dir}`,
    [vsceBin, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out, ...extraArgs],
    dir,
  );
  return { path: out, bytes: statSync(out).size };
}

/**
 * The shipped extension: runbook-debugger-<version>.vsix, in the repository root unless `outDir`
 * says otherwise (the test tiers package into their own temp dirs, so runs side by side do not clash).
 */
export function packageRunbookDebugger({ outDir = repoRoot } = {}) {
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  // Build first on its own, so a compile error reads as one and not as a vsce failure.
  run('production build', [join(repoRoot, 'scripts', 'build.mjs'), '--production'], repoRoot);
  return packageVsix({ out: join(outDir, `${name}-${version}.vsix`) });
}

export function formatSize(bytes) {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { path, bytes } = packageRunbookDebugger();
    console.log(`${path} (${formatSize(bytes)})`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
