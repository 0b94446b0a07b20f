// A person in a real VS Code (code-server in Chromium, our .vsix installed) opens the Getting
// Started walkthrough and its sample profile, runs a step whose check turns critical, and exports an
// incident report: picks the run (preselected: it is recent), types a note, and reads the report in
// an editor and its Markdown preview. Screenshots go to test-results/screenshots/.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../harness/browser.mjs';
import {
  NOT_UNDER_HARNESS,
  activityBarItem,
  e2eEnvironment,
  editorTab,
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
const FOLDER = 'report-drill';
const FILE = 'drill.md';
const NOTE = 'Canary pod restarted at 14:05, memory back to normal';

const RUNBOOK = `# Report Drill

## Memory

<!-- runbook: id=free expect="memory.used_pct > 1%: critical" -->
\`\`\`bash
# Free memory now
free -m
\`\`\`

## Common Causes and Fixes

- Memory leaks in long-running processes → Restart the service and profile its heap
`;

async function palette(page: Page, title: string): Promise<void> {
  await page
    .locator('.monaco-workbench')
    .click({ position: { x: 600, y: 5 } })
    .catch(() => undefined);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

describe(
  'Getting Started and the incident report in a real VS Code',
  { skip: env ? false : NOT_UNDER_HARNESS },
  () => {
    let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
    let page: Page;
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
      'the walkthrough opens with its steps, and its sample profile opens as a flame graph',
      { timeout: 120_000 },
      async () => {
        assert.ok(env);
        shot = 'walkthrough-01-open';
        await palette(page, 'Welcome: Open Walkthrough...');
        const input = page.locator('.quick-input-widget input');
        await input.fill('Runbook Debugger');
        await page
          .locator('.quick-input-widget .monaco-list-row')
          .filter({ hasText: 'Get Started with Runbook Debugger' })
          .first()
          .waitFor();
        await page.keyboard.press('Enter');
        const container = page.locator('.gettingStartedContainer');
        for (const title of [
          'Open a bundled runbook',
          'Run a read-only step',
          'View a profile',
          'Write your own runbook',
          'Export an incident report',
        ])
          await container.locator('.step-title', { hasText: title }).first().waitFor({ timeout: 30_000 });

        shot = 'walkthrough-02-sample-profile';
        await container.locator('.step-title', { hasText: 'View a profile' }).first().click();
        await container.getByRole('button', { name: 'Open Sample Profile' }).click();
        await editorTab(page, 'checkout-service.cpuprofile').first().waitFor({ timeout: 30_000 });
        // The viewer draws the profile: its function table names the hotspot.
        const view = await frameWith(page, 'canvas', 60_000);
        await view.locator('text=applyDiscounts').first().waitFor({ timeout: 30_000 });
      },
    );

    test(
      'a run is exported as an incident report with its finding, fix and the note',
      { timeout: 180_000 },
      async () => {
        assert.ok(env);
        shot = 'report-01-run';
        await activityBarItem(page, 'Runbooks').click();
        await runbooksTree(page).waitFor({ state: 'visible', timeout: 30_000 });
        await widenSideBar(page, 420);
        await focusOnPane(page, 'Runbooks');
        const book = rowDescribed(page, `${FOLDER}/${FILE}`);
        await book.waitFor({ timeout: 30_000 });
        await expand(book);
        await expand(sectionLabelled(page, 'Report Drill'));
        await expand(sectionLabelled(page, 'Memory'));
        const step = rowLabelled(page, 'Free memory now').filter({
          hasNot: page.locator('.codicon-symbol-namespace'),
        });
        await step.waitFor();
        await step.hover();
        await step.locator('.action-label[aria-label="Run Step"]').click();
        await step
          .locator('.label-description')
          .filter({ hasText: /^critical · / })
          .waitFor({ timeout: 60_000 });

        shot = 'report-02-pick-runs';
        await palette(page, 'Runbook: Export Incident Report...');
        const row = page
          .locator('.quick-input-widget .monaco-list-row')
          .filter({ hasText: 'Report Drill › Free memory now' })
          .first();
        await row.waitFor({ timeout: 20_000 });
        // Run in the last hour: already ticked.
        await row
          .locator('input[type="checkbox"]:checked, .monaco-checkbox.checked, [aria-checked="true"]')
          .first()
          .waitFor({ timeout: 10_000 });
        await page.keyboard.press('Enter');

        shot = 'report-03-note';
        const box = page.locator('.quick-input-widget');
        await box
          .locator('.quick-input-title', { hasText: 'Note for step 1 of 1: Free memory now' })
          .waitFor({ timeout: 20_000 });
        await page.locator('.quick-input-widget input').fill(NOTE);
        await page.keyboard.press('Enter');

        shot = 'report-04-editor';
        const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
        await lines.filter({ hasText: '# Incident report: Report Drill' }).waitFor({ timeout: 30_000 });
        const toast = page.locator('.notification-toast', {
          hasText: 'Incident report of 1 step run is open',
        });
        await toast.waitFor({ timeout: 20_000 });
        await toast.getByRole('button', { name: 'Open Preview' }).click();

        shot = 'report-05-preview';
        const preview = await frameWith(page, '.markdown-body h1, body.vscode-body h1', 60_000);
        await preview.locator('h1', { hasText: 'Incident report: Report Drill' }).waitFor();
        await preview.locator('h2', { hasText: 'Summary' }).waitFor();
        const summary = preview.locator('li', { hasText: 'critical' }).first();
        assert.match((await summary.textContent()) ?? '', /host memory used [\d.]+% > 1% \(critical\)/);
        await preview.locator('li', { hasText: 'Memory leaks in long-running processes' }).first().waitFor();
        await preview.locator('blockquote', { hasText: NOTE }).waitFor();
        await preview.locator('table td', { hasText: 'Report Drill › Free memory now' }).first().waitFor();

        // An opened report is a record, not a runbook: the Runbooks view does not list it.
        await page.waitForTimeout(1_500);
        assert.equal(await rowLabelled(page, 'Incident report: Report Drill').count(), 0);

        // The fix links to its line in the runbook: a link relative to the workspace root, where the
        // unsaved report is named, which the preview follows (a Markdown target opens as a preview).
        shot = 'report-06-fix-link';
        const line = RUNBOOK.split('\n').findIndex((l) => l.startsWith('- Memory leaks')) + 1;
        const link = preview.locator('a', { hasText: `drill.md:${line}` }).first();
        assert.match((await link.getAttribute('href')) ?? '', new RegExp(`drill\\.md#L${line}$`));
        await link.click();
        await page
          .locator('.tabs-container .tab', { hasText: `Preview ${FILE}` })
          .first()
          .waitFor({ timeout: 20_000 });
      },
    );
  },
);
