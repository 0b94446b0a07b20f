// e2e tier: a real VS Code (code-server) with our .vsix installed, driven through Debian's Chromium
// by test/e2e/*.e2e.test.ts (node:test + playwright-core) the way a person uses it. One code-server
// for the tier, opened on a prepared workspace and trusted (the workspace is ours); each test file
// launches its own browser. Screenshots go to test-results/screenshots/ (git-ignored).
// Writes test-results/e2e.json = { passed, failed, skipped }.
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
  const server = await startCodeServer({
    folder: workspace.dir,
    stateDir: join(work, 'vscode'),
    vsix: [vsix.path],
    trusted: true,
  });
  console.log(`code-server answered at ${server.url} (${elapsed()})`);
  const tap = join(resultsDir, 'e2e.tap');
  rmSync(tap, { force: true });
  const testTemp = join(work, 'tmp');
  mkdirSync(testTemp);
  let status;
  try {
    const files = readdirSync(join(repoRoot, 'test', 'e2e'))
      .filter((n) => n.endsWith('.e2e.test.ts'))
      .sort()
      .map((n) => join('test', 'e2e', n));
    // Not spawnSync: Ctrl+C must reach our exit hooks (which stop code-server) while the tests run.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...files,
      ],
      {
        cwd: repoRoot,
        stdio: 'inherit',
        env: {
          ...process.env,
          E2E_URL: server.url,
          E2E_WORKSPACE: workspace.dir,
          E2E_SCREENSHOTS: screenshots,
          // Whatever the tests leave in the temp dir (browser profiles) goes with `work`, even when
          // they are killed before cleaning up.
          TMPDIR: testTemp,
        },
      },
    );
    const guard = killOnExit(child.pid);
    status = await new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    guard.forget();
  } finally {
    await server.stop();
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
