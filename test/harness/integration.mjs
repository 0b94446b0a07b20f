// Integration tier: the suites in test/integration/*.integration.test.ts run inside a real VS Code
// extension host and call the real `vscode` API against our installed .vsix.
//
// Desktop VS Code cannot be downloaded here, so the host is code-server's: this script packages our
// extension and the test-only companion (test/companion), installs both into a fresh code-server,
// opens a prepared workspace, and opens the workbench in Chromium, which is what starts the extension
// host. The companion runs mocha there and writes its results to the file named by RUNBOOK_TEST_RESULTS.
// Two windows: a trusted one for most suites, an untrusted one (Restricted Mode) for
// *.restricted.integration.test.ts. Before that, the .vsix itself is checked (vsix.contents.test.ts).
// Writes test-results/integration.json = { passed, failed, skipped, tests }.
//   node test/harness/integration.mjs [WORD...]  only the suites whose file names contain a WORD
//   (a window with no suite left is not opened).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, removeOnExit, repoRoot, startCodeServer } from '../../scripts/vscode-server.mjs';
import { formatSize, packageRunbookDebugger, packageVsix } from '../../scripts/package.mjs';
import { buildTests, isRestrictedSuite, suiteNames } from './build-tests.mjs';
import { prepareWorkspace } from './workspace.mjs';
import { launchChromium, openWorkbench } from './browser.mjs';

const RESULTS_TIMEOUT_MS = Number(process.env.RUNBOOK_TEST_TIMEOUT_S ?? 180) * 1000;
const resultsDir = join(repoRoot, 'test-results');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const summary = { passed: 0, failed: 0, skipped: 0, tests: [] };
function count(outcome) {
  summary.tests.push(outcome);
  summary[outcome.state] += 1;
  const mark = { passed: '✔', failed: '✖', skipped: '-' }[outcome.state];
  const time = outcome.durationMs !== undefined ? ` (${outcome.durationMs} ms)` : '';
  console.log(`  ${mark} ${outcome.title}${outcome.state === 'skipped' ? ' [skipped]' : time}`);
  if (outcome.error) console.log(outcome.error.replace(/^/gm, '      '));
}

/** The .vsix checks run in plain Node (node:test); their counts join the tier's. */
function checkVsix(vsix) {
  const tap = join(resultsDir, 'vsix-contents.tap');
  rmSync(tap, { force: true });
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      join('test', 'integration', 'vsix.contents.test.ts'),
    ],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, RUNBOOK_VSIX: vsix } },
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const n = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  summary.passed += n('pass');
  summary.failed += n('fail');
  summary.skipped += n('skipped');
  // A crash before any test reported still has to fail the tier.
  if (r.status !== 0 && n('fail') === 0) summary.failed += 1;
}

async function runWindow({ label, trusted, suites, vsixes, browser }) {
  console.log(`\n${label}: ${suites.join(', ')}`);
  const work = mkdtempSync(join(tmpdir(), 'runbook-it-'));
  removeOnExit(work);
  const workspace = prepareWorkspace(join(work, 'workspace'));
  const resultsFile = join(work, 'results.json');
  const progressFile = `${resultsFile}.progress`;
  const server = await startCodeServer({
    folder: workspace.dir,
    stateDir: join(work, 'vscode'),
    vsix: vsixes,
    trusted,
    env: { RUNBOOK_TEST_RESULTS: resultsFile, RUNBOOK_TEST_SUITES: suites.join(',') },
  });
  let page;
  try {
    console.log(`  code-server answered at ${server.url} (${elapsed()}); opening the workbench...`);
    page = await openWorkbench(browser.context, server.url);
    const deadline = Date.now() + RESULTS_TIMEOUT_MS;
    let shown = 0;
    for (;;) {
      if (existsSync(progressFile)) {
        const lines = readFileSync(progressFile, 'utf8').split('\n').filter(Boolean);
        for (const line of lines.slice(shown)) count(JSON.parse(line));
        shown = lines.length;
      }
      if (existsSync(resultsFile)) break;
      if (Date.now() > deadline) {
        summary.failed += 1;
        console.log(
          `  ✖ no results from the companion extension after ${RESULTS_TIMEOUT_MS / 1000} s ` +
            `(${resultsFile}). Extension host logs: ${join(server.userDataDir, 'logs')}\n` +
            `code-server log:\n${server.logTail(30)}`,
        );
        return false;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const result = JSON.parse(readFileSync(resultsFile, 'utf8'));
    // Anything the progress file had not shown yet (it is appended before each summary entry).
    for (const outcome of result.tests.slice(shown)) count(outcome);
    if (result.error) {
      summary.failed += 1;
      console.log(`  ✖ the suites could not run: ${result.error}`);
    }
    return result.failed === 0 && !result.error;
  } finally {
    await page?.close().catch(() => {});
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  rmSync(join(resultsDir, 'integration.json'), { force: true });
  ensureCodeServer();

  const tierDir = mkdtempSync(join(tmpdir(), 'runbook-it-'));
  removeOnExit(tierDir);
  const ours = packageRunbookDebugger({ outDir: tierDir });
  console.log(`packaged ${ours.path} (${formatSize(ours.bytes)}) at ${elapsed()}`);
  checkVsix(ours.path);

  const companionDir = await buildTests(join(tierDir, 'companion'));
  const companion = packageVsix({
    dir: companionDir,
    out: join(tierDir, 'runbook-debugger-tests.vsix'),
    extraArgs: ['--skip-license', '--allow-missing-repository'],
  });
  const vsixes = [ours.path, companion.path];
  const words = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = suiteNames().filter((n) => !words.length || words.some((w) => n.includes(w)));
  if (!names.length) throw new Error(`no integration suite matches ${words.join(', ')}`);

  const browser = await launchChromium();
  try {
    const windows = [
      { label: 'Trusted workspace', trusted: true, suites: names.filter((n) => !isRestrictedSuite(n)) },
      {
        label: 'Restricted Mode (untrusted workspace)',
        trusted: false,
        suites: names.filter(isRestrictedSuite),
      },
    ];
    for (const w of windows) if (w.suites.length) await runWindow({ ...w, vsixes, browser });
  } finally {
    await browser.close();
    rmSync(tierDir, { recursive: true, force: true });
  }
  return summary.failed === 0;
}

let ok = false;
try {
  ok = await main();
} catch (err) {
  summary.failed += 1;
  console.error(`\nintegration tier could not run: ${err instanceof Error ? err.stack : err}`);
}
const { passed, failed, skipped, tests } = summary;
writeFileSync(
  join(resultsDir, 'integration.json'),
  JSON.stringify({ passed, failed, skipped, tests }, null, 2),
);
console.log(`\nintegration: ${passed} passed, ${failed} failed, ${skipped} skipped (${elapsed()})`);
process.exit(ok && failed === 0 ? 0 : 1);
