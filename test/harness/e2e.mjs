// e2e tier: a real VS Code (code-server) with our .vsix installed, driven through Debian's Chromium
// by test/e2e/*.e2e.test.ts (node:test + playwright-core) the way a person uses it. One code-server
// for the tier, opened on a prepared workspace and trusted (the workspace is ours); each test file
// launches its own browser. Screenshots go to test-results/screenshots/ (git-ignored).
// A second code-server on its own copy of the workspace keeps Workspace Trust on (Restricted Mode,
// the folder not trusted) for tests of what an untrusted window refuses: E2E_RESTRICTED_URL and
// E2E_RESTRICTED_WORKSPACE. Both servers start side by side.
// Writes test-results/e2e.json = { passed, failed, skipped }.
//   node test/harness/e2e.mjs [WORD...]  only the test files whose names contain a WORD
//   --update-readme-screenshot  also copy the Runbooks view screenshot to docs/images/runbooks-view.png
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureCodeServer,
  killOnExit,
  removeOnExit,
  repoRoot,
  startCodeServer,
} from '../../scripts/vscode-server.mjs';
import { formatSize, packageRunbookDebugger } from '../../scripts/package.mjs';
import { prepareWorkspace } from './workspace.mjs';

const resultsDir = join(repoRoot, 'test-results');
const screenshots = join(resultsDir, 'screenshots');
const README_SCREENSHOT = '04-command-revealed.png';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function tapCounts(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const n = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') };
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  rmSync(screenshots, { recursive: true, force: true });
  ensureCodeServer();
  const work = mkdtempSync(join(tmpdir(), 'runbook-e2e-'));
  removeOnExit(work);
  const vsix = packageRunbookDebugger({ outDir: work });
  console.log(`packaged ${vsix.path} (${formatSize(vsix.bytes)}) at ${elapsed()}`);

  const workspace = prepareWorkspace(join(work, 'workspace'));
  const restrictedWorkspace = prepareWorkspace(join(work, 'restricted-workspace'));
  const [server, restricted] = await Promise.all([
    startCodeServer({
      folder: workspace.dir,
      stateDir: join(work, 'vscode'),
      vsix: [vsix.path],
      trusted: true,
    }),
    startCodeServer({
      folder: restrictedWorkspace.dir,
      stateDir: join(work, 'vscode-restricted'),
      vsix: [vsix.path],
      trusted: false,
    }),
  ]);
  console.log(`code-server answered at ${server.url}, Restricted Mode at ${restricted.url} (${elapsed()})`);
  const tap = join(resultsDir, 'e2e.tap');
  rmSync(tap, { force: true });
  const testTemp = join(work, 'tmp');
  mkdirSync(testTemp);
  let status;
  try {
    const words = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    const files = readdirSync(join(repoRoot, 'test', 'e2e'))
      .filter((n) => n.endsWith('.e2e.test.ts'))
      .filter((n) => !words.length || words.some((w) => n.includes(w)))
      .sort()
      .map((n) => join('test', 'e2e', n));
    // Not spawnSync: Ctrl+C must reach our exit hooks (which stop code-server) while the tests run.
    // One node --test run per file, so a file that fails can be retried once on its own. A real
    // browser against a real VS Code has timing flakes no test can rule out; a retry is reported
    // loudly, and a file that fails twice fails the tier.
    const env = {
      ...process.env,
      E2E_URL: server.url,
      E2E_WORKSPACE: workspace.dir,
      E2E_SCREENSHOTS: screenshots,
      E2E_RESTRICTED_URL: restricted.url,
      E2E_RESTRICTED_WORKSPACE: restrictedWorkspace.dir,
      TMPDIR: testTemp,
    };
    const runFile = async (file, fileTap) => {
      rmSync(fileTap, { force: true });
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=tap',
          `--test-reporter-destination=${fileTap}`,
          file,
        ],
        { cwd: repoRoot, stdio: 'inherit', env },
      );
      const guard = killOnExit(child.pid);
      const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
      guard.forget();
      return code;
    };
    status = 0;
    const retried = [];
    const taps = [];
    for (const [i, file] of files.entries()) {
      const fileTap = join(resultsDir, `e2e-${i}.tap`);
      let code = await runFile(file, fileTap);
      if (code !== 0) {
        console.log(`\nRETRY: ${file} failed (exit ${code}); running it once more`);
        code = await runFile(file, fileTap);
        retried.push(`${file}: ${code === 0 ? 'passed on retry' : 'failed again'}`);
      }
      if (code !== 0) status = code ?? 1;
      taps.push(existsSync(fileTap) ? readFileSync(fileTap, 'utf8') : '');
      rmSync(fileTap, { force: true });
    }
    const sum = (k) =>
      taps.reduce((n, t) => n + Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(t)?.[1] ?? 0), 0);
    writeFileSync(
      tap,
      `# pass ${sum('pass')}\n# fail ${sum('fail')}\n# cancelled ${sum('cancelled')}\n# skipped ${sum('skipped')}\n`,
    );
    if (retried.length) console.log(`\nRetried e2e files (flaky):\n  ${retried.join('\n  ')}`);
  } finally {
    await Promise.all([server.stop(), restricted.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
  const counts = tapCounts(tap);
  // A crash before any test reported still fails the tier.
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  if (existsSync(screenshots)) console.log(`screenshots: ${screenshots}`);
  if (process.argv.includes('--update-readme-screenshot')) {
    const best = join(screenshots, README_SCREENSHOT);
    if (!existsSync(best))
      throw new Error(`${README_SCREENSHOT} was not taken; README screenshot left as it was`);
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    copyFileSync(best, join(repoRoot, 'docs', 'images', 'runbooks-view.png'));
    console.log('updated docs/images/runbooks-view.png');
  }
  return counts;
}

let counts = { passed: 0, failed: 1, skipped: 0 };
try {
  counts = await main();
} catch (err) {
  console.error(`\ne2e tier could not run: ${err instanceof Error ? err.stack : err}`);
}
writeFileSync(join(resultsDir, 'e2e.json'), JSON.stringify(counts));
console.log(
  `\ne2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${elapsed()})`,
);
process.exit(counts.failed === 0 ? 0 : 1);
