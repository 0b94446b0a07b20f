// The Results page itself in Chromium, fed the messages its host sends: an EXPLAIN ANALYZE plan from
// PEV2's tests (shared/fixtures/public/dalibo-pev2) as the plan tree, driven from the keyboard and the
// mouse, and the messages the page sends back (ready, openSource, showOutput). The page is what
// page.ts builds (page-files.ts + page-html.ts) from the built bundle (dist/webview/results.js, which
// the e2e tier's packaging builds); no VS Code needed, so this covers what the code-server test
// cannot reach without a database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../harness/browser.mjs';
import { assess } from '../../src/core/check/assess';
import { flatten, type ExplainPlan } from '../../src/core/recognize/explain-plan';
import { pageData, resultCommand } from '../../src/extension/results/results-model';
import { pageHtml } from '../../src/extension/webview/page-html';
import { readPageFiles } from '../../src/extension/webview/page-files';
import type { HostMessage, ResultRun } from '../../webview/results/protocol';
import { e2eEnvironment, screenshot } from './workbench';

const repo = resolve(__dirname, '..', '..');
const bundle = join(repo, 'dist', 'webview', 'results.js');
const ORIGIN = 'https://webview.test';
const PLAN = resolve(
  repo,
  '..',
  'shared',
  'fixtures',
  'public',
  'dalibo-pev2',
  'src',
  'services',
  '__tests__',
  'cte-exclusive-time',
  '03.plan',
);
/** The page's window, typed structurally: these tests' TypeScript has no DOM library. */
interface Poster {
  postMessage(message: unknown, targetOrigin: string): void;
}

const why = existsSync(bundle) ? false : `${bundle} is not built: run npm run build (the e2e tier builds it)`;

describe('Results page: EXPLAIN plan tree in Chromium', { skip: why }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  const errors: string[] = [];
  const a = assess('EXPLAIN (ANALYZE, BUFFERS) SELECT ...', readFileSync(PLAN, 'utf8'), {
    causes: [
      {
        text: 'Stale statistics after a bulk load → run ANALYZE, add the missing index',
        section: 'Fixes',
        line: 42,
      },
    ],
    expect: ['plan.max_estimate_factor > 100: warning'],
  });
  const plan = a.data as ExplainPlan;

  const sent = (): Promise<{ type: string; [k: string]: unknown }[]> =>
    page.evaluate('window.sent ?? []') as Promise<{ type: string; [k: string]: unknown }[]>;
  const post = (m: HostMessage): Promise<void> =>
    page.evaluate((msg) => (globalThis as unknown as Poster).postMessage(msg, '*'), m);

  before(async () => {
    // The page as page.ts builds it, served from a made-up origin, with a recording VS Code API.
    const files = readPageFiles(repo, 'results');
    assert.ok(files.ok, files.ok ? '' : files.error);
    const html = pageHtml({
      title: 'Runbook Results',
      nonce: 'cmVzdWx0cy1wYWdlLXRlc3Q=',
      cspSource: ORIGIN,
      code: files.files.code,
      styles: files.files.styles,
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.addInitScript(
      'window.acquireVsCodeApi = () => ({ postMessage: (m) => { (window.sent ||= []).push(m); } });',
    );
    await page.route(`${ORIGIN}/index.html`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: html }),
    );
    await page.goto(`${ORIGIN}/index.html`);
  });

  after(async () => {
    await browser?.close();
  });

  test(
    'the page says ready, then draws a run: plan facts, one row per node, marks',
    { timeout: 60_000 },
    async () => {
      assert.deepEqual(await sent(), [{ type: 'ready' }]);
      assert.equal(a.recognizer, 'explain');
      const command = resultCommand({
        index: 0,
        kind: 'query',
        text: 'EXPLAIN (ANALYZE, BUFFERS) SELECT ...',
        status: 'ok',
        exitCode: null,
        startedAt: new Date().toISOString(),
        durationMs: 1200,
        output: '',
        assessment: a,
      });
      assert.deepEqual(command.data, pageData(a));
      const run: ResultRun = {
        id: 'run-1',
        title: 'Slow query',
        runbook: 'Database',
        outcome: 'warning',
        startedAt: Date.now(),
        durationMs: 1200,
        steps: [
          { stepId: 'explain', title: 'Explain the slow query', outcome: 'warning', commands: [command] },
        ],
      };
      await post({
        type: 'runs',
        runs: [{ id: 'run-1', title: 'Slow query', outcome: 'warning', startedAt: run.startedAt }],
        selected: 'run-1',
      });
      await post({ type: 'run', run });
      await page.locator('.plan-row').first().waitFor();
      assert.equal(await page.locator('.plan-row').count(), plan.nodeCount);
      const slowest = page.locator(`.plan-row[data-id="${plan.slowest[0]}"]`);
      assert.match((await slowest.textContent()) ?? '', /slowest #1/);
      const marked = flatten(plan.root).filter((n) => (n.estimateFactor ?? 0) >= 10).length;
      assert.equal(
        await page
          .locator('.plan-row .badge.status-warning, .plan-row .badge.status-critical')
          .filter({ hasText: /^×/ })
          .count(),
        marked,
      );
      const facts = (await page.locator('.plan > dl.facts').textContent()) ?? '';
      assert.match(facts, /Worst estimate#35 CTE Scan on nested_level nl2: ×38,114 under/);
      // The slowest node's details show first.
      assert.match(
        (await page.locator('.plan-details h4').textContent()) ?? '',
        new RegExp(`^#${plan.slowest[0]} `),
      );
      assert.deepEqual(errors, []);
    },
  );

  test(
    'keyboard: Left closes the root, Right opens it, Down and Enter show a node',
    { timeout: 30_000 },
    async () => {
      const root = page.locator('.plan-row').first();
      await root.focus();
      await page.keyboard.press('ArrowLeft');
      assert.equal(await page.locator('.plan-row').count(), 1);
      assert.equal(await page.locator('.plan-row').first().getAttribute('aria-expanded'), 'false');
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.locator('.plan-row').count(), plan.nodeCount);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const second = flatten(plan.root)[1]!;
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("data-id")'), String(second.id));
      assert.equal(
        (await page.locator('.plan-details h4').textContent()) ?? '',
        `#${second.id} ${second.title}`,
      );
      await page.keyboard.press('End');
      const last = flatten(plan.root).at(-1)!;
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("data-id")'), String(last.id));
      // A click shows a node too.
      await page.locator(`.plan-row[data-id="${plan.worstEstimate!.nodeId}"] .plan-title`).click();
      assert.match(
        (await page.locator('.plan-details').textContent()) ?? '',
        /Row estimateoff by ×38,114 \(more rows than planned\)/,
      );
    },
  );

  test(
    'a diagnosis link and "Show raw output" send validated-shape messages to the host',
    { timeout: 30_000 },
    async () => {
      await page.locator('.causes button.link', { hasText: 'Stale statistics' }).first().click();
      await page.locator('.results-toolbar button', { hasText: 'Show raw output' }).click();
      const messages = await sent();
      assert.deepEqual(messages.slice(-2), [
        { type: 'openSource', runId: 'run-1', line: 42 },
        { type: 'showOutput', runId: 'run-1' },
      ]);
      const env = e2eEnvironment();
      if (env) await screenshot(page, env, 'results-05-plan-page');
      assert.deepEqual(errors, []);
    },
  );
});
