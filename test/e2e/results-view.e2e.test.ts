// A person runs a section of a runbook in a real VS Code (code-server in Chromium, our .vsix
// installed): `free -m` and `df -h` run for real, their output is recognized, the Results view opens
// beside the editor by itself with the findings, a gauge chart and sortable tables; the tree shows
// the section's rolled-up status and the step's finding. Screenshots go to test-results/screenshots/.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../harness/browser.mjs';
import {
  NOT_UNDER_HARNESS,
  activityBarItem,
  cursorPosition,
  e2eEnvironment,
  expand,
  focusOnPane,
  rowDescribed,
  rowLabelled,
  runbooksTree,
  screenshot,
  sectionLabelled,
  widenSideBar,
  frameWith,
} from './workbench';

const env = e2eEnvironment();
const FOLDER = 'checks';
const FILE = 'host-checks.md';

// The check on disks is the author's (a low limit, so that every machine crosses it and the test
// sees a warning with its diagnosis); memory keeps the recognizer's default (> 80%: warning).
const RUNBOOK = `# Host Checks

Quick checks of this machine's memory and disks.

## Memory

<!-- runbook: id=memory -->
\`\`\`bash
free -m
\`\`\`

## Disk space

<!-- runbook: id=disk expect="disk.used_pct > 1%: warning, > 95%: critical" -->
\`\`\`bash
df -h
\`\`\`

## Common Causes and Fixes

- Disk space filled by old logs → Rotate and compress logs, clean up temporary files
- Memory leaks in long-running processes → Restart the service and profile its heap
`;

/** The frame of the Results webview, once it has drawn a run. */
function resultsFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  return frameWith(page, '#app.results-app .run-summary', timeoutMs, 'the Results view did not show a run');
}

function stepRow(page: Page, label: string): Locator {
  return rowLabelled(page, label).filter({ hasNot: page.locator('.codicon-symbol-namespace') });
}

describe('Results view in a real VS Code', { skip: env ? false : NOT_UNDER_HARNESS }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let frame: Frame;
  let shot = '';

  before(async () => {
    if (!env) return;
    mkdirSync(join(env.workspace, FOLDER), { recursive: true });
    writeFileSync(join(env.workspace, FOLDER, FILE), RUNBOOK);
    browser = await launchChromium();
    page = await openWorkbench(browser.context, env.url);
  });

  afterEach(async () => {
    if (env && page && shot) await screenshot(page, env, shot);
    shot = '';
  });

  after(async () => {
    await browser?.close();
  });

  test(
    'running a section opens the Results view beside, with findings, a chart and tables',
    { timeout: 150_000 },
    async () => {
      assert.ok(env);
      shot = 'results-01-run-section';
      await activityBarItem(page, 'Runbooks').click();
      await runbooksTree(page).waitFor({ state: 'visible', timeout: 30_000 });
      await widenSideBar(page, 420);
      await focusOnPane(page, 'Runbooks');
      const book = rowDescribed(page, `${FOLDER}/${FILE}`);
      await book.waitFor({ timeout: 30_000 });
      await expand(book);
      const section = sectionLabelled(page, 'Host Checks');
      await section.waitFor({ timeout: 10_000 });
      await expand(section);
      await section.hover();
      await section.locator('.action-label[aria-label="Run Section"]').click();

      frame = await resultsFrame(page, 90_000);
      shot = 'results-02-view';
      const app = frame.locator('#app.results-app');
      await app.locator('.step').nth(1).waitFor({ timeout: 30_000 });
      // Both commands ran here and were recognized.
      await app.locator('text=recognized as free').waitFor();
      await app.locator('text=recognized as df').waitFor();
      // The author's disk check: a warning whose diagnosis is the runbook's own fix, as a link.
      const warning = app.locator('.finding.level-warning').filter({ hasText: 'disk used' }).first();
      await warning.waitFor();
      assert.match((await warning.textContent()) ?? '', /> 1% \(warning\)/);
      const cause = warning.locator('.causes button.link');
      assert.match((await cause.first().textContent()) ?? '', /^Disk space filled by old logs/);
      // Gauges: memory in use, and one per file system, each a meter with its figures.
      const memory = app
        .locator('figure.chart')
        .filter({ hasText: 'Memory' })
        .locator('[role="meter"]')
        .first();
      assert.match((await memory.getAttribute('aria-valuetext')) ?? '', /i?B of .*i?B \(\d+(\.\d)?%\)/);
      const disks = app.locator('figure.chart').filter({ hasText: 'Disk used' }).locator('.bar-row');
      assert.ok((await disks.count()) >= 1, 'a gauge per file system');
      const fill = await disks
        .first()
        .locator('.bar-fill')
        .evaluate((e) => (e as unknown as { style: { width: string } }).style.width);
      assert.match(fill, /^\d+(\.\d+)?%$/);
      // Tables, sortable from the keyboard.
      const diskTable = app
        .locator('table.data-table')
        .filter({ has: frame.locator('caption', { hasText: 'File systems' }) })
        .first();
      await diskTable.waitFor();
      assert.ok((await diskTable.locator('tbody tr').count()) >= 1);
      const head = diskTable.locator('th').filter({ hasText: 'Used %' });
      await head.locator('button').focus();
      await page.keyboard.press('Enter');
      assert.equal(await head.getAttribute('aria-sort'), 'descending');
      await page.keyboard.press('Enter');
      assert.equal(await head.getAttribute('aria-sort'), 'ascending');
      await head.locator('button').click();
      assert.equal(await head.getAttribute('aria-sort'), 'descending');
      await app.locator('.run-summary').scrollIntoViewIfNeeded();
    },
  );

  test(
    "the tree shows the step's finding and the section's rolled-up status",
    { timeout: 60_000 },
    async () => {
      assert.ok(env && frame);
      shot = 'results-03-tree';
      await expand(sectionLabelled(page, 'Disk space'));
      const disk = stepRow(page, 'Disk space');
      await disk.waitFor();
      const description = disk.locator('.label-description');
      await description.filter({ hasText: /^warning · / }).waitFor({ timeout: 20_000 });
      assert.match((await description.textContent()) ?? '', /disk used \d+(\.\d)?% > 1%$/);
      assert.equal(await disk.locator('.codicon-warning').count(), 1, 'a warning icon on the step');
      const section = sectionLabelled(page, 'Host Checks');
      assert.match((await section.locator('.label-description').textContent()) ?? '', /^(warning|critical)$/);

      // The hover says which figure crossed which limit, with the diagnosis linked to its line.
      await disk.locator('.label-name').hover();
      const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Diagnosis' }).first();
      await hover.waitFor({ timeout: 15_000 });
      assert.match((await hover.textContent()) ?? '', /disk used \d+(\.\d)?% > 1% \(warning\)/);
      await hover.locator('a', { hasText: 'Disk space filled by old logs' }).click();
      const line = RUNBOOK.split('\n').findIndex((l) => l.startsWith('- Disk space filled')) + 1;
      await cursorPosition(page)
        .filter({ hasText: `Ln ${line},` })
        .waitFor({ timeout: 15_000 });
    },
  );

  test(
    '"Runbook: Show Results" reopens the view; "Show raw output" opens the run in the Output panel',
    { timeout: 60_000 },
    async () => {
      assert.ok(env && frame);
      shot = 'results-04-raw-output';
      // The runbook editor took the group: "Runbook: Show Results" brings the view back.
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill('>Runbook: Show Results');
      await page
        .locator('.quick-input-widget .monaco-list-row')
        .filter({ hasText: 'Runbook: Show Results' })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      frame = await resultsFrame(page, 30_000);
      await frame.locator('.results-toolbar button', { hasText: 'Show raw output' }).click();
      await page.locator('.tab', { hasText: 'Runbook Output' }).first().waitFor({ timeout: 20_000 });
      // The Output panel's page shows the run's commands.
      const deadline = Date.now() + 20_000;
      let shown = '';
      while (Date.now() < deadline && !/\$ df -h/.test(shown)) {
        for (const f of page.frames()) {
          const pre = f.locator('pre.output');
          if (await pre.count().catch(() => 0))
            shown =
              (await pre
                .first()
                .textContent()
                .catch(() => '')) ?? shown;
        }
        await page.waitForTimeout(250);
      }
      assert.match(shown, /\$ free -m[\s\S]*\$ df -h/);
    },
  );
});
