// A person in a real VS Code (code-server in Chromium) with Runbook Debugger installed from its .vsix:
// finds the Runbooks view in the activity bar, sees the workspace's runbooks, opens the seed guide,
// finds "Memory Leaks" and its kubectl command, and clicks the command to land on its line.
// Each test leaves a screenshot in test-results/screenshots/.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../harness/browser.mjs';
import layout from '../integration/workspace-layout.json';
import {
  NOT_UNDER_HARNESS,
  activityBarItem,
  cursorPosition,
  e2eEnvironment,
  editorTab,
  expand,
  expandUntilVisible,
  focusOnPane,
  rowDescribed,
  rowLabelled,
  runbooksTree,
  screenshot,
  sectionLabelled,
  widenSideBar,
} from './workbench';

const env = e2eEnvironment();
const SEED_COMMAND = 'kubectl top pods --sort-by=memory';
const seedName = layout.seed.split('/').pop() ?? layout.seed;

describe('Runbooks view in a real VS Code', { skip: env ? false : NOT_UNDER_HARNESS }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  /** Set by each test: the screenshot afterEach takes, passed or failed. */
  let shot = '';

  before(async () => {
    if (!env) return;
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

  test('the Runbooks view container is in the activity bar', { timeout: 60_000 }, async () => {
    assert.ok(env);
    shot = '01-activity-bar';
    const item = activityBarItem(page, 'Runbooks');
    await item.waitFor({ state: 'visible', timeout: 30_000 });
  });

  test(
    'clicking it shows the Runbooks view listing the workspace runbook files',
    { timeout: 60_000 },
    async () => {
      assert.ok(env);
      shot = '02-runbooks-view';
      await activityBarItem(page, 'Runbooks').click();
      await runbooksTree(page).waitFor({ state: 'visible', timeout: 30_000 });
      await widenSideBar(page, 520);
      await focusOnPane(page, 'Runbooks');
      await rowLabelled(page, 'Bundled runbooks').waitFor({ timeout: 30_000 });
      const expected = [
        ...readdirSync(join(env.workspace, layout.runbooksDir))
          .filter((n) => n.endsWith('.md'))
          .map((n) => `${layout.runbooksDir}/${n}`),
        layout.seed,
      ];
      const missing: string[] = [];
      for (const path of expected) {
        // Each workspace runbook shows its path as the row's description.
        const row = rowDescribed(page, path);
        try {
          await row.waitFor({ timeout: missing.length ? 1_000 : 20_000 });
        } catch {
          missing.push(path);
        }
      }
      assert.deepEqual(missing, [], `runbook files not listed in the Runbooks view: ${missing.join(', ')}`);
      assert.equal(
        await rowDescribed(page, layout.notRunbook).count(),
        0,
        `${layout.notRunbook} has no steps`,
      );
    },
  );

  test(
    'the seed guide opens from the tree and shows "Memory Leaks" with its commands',
    { timeout: 90_000 },
    async () => {
      assert.ok(env);
      shot = '03-seed-memory-leaks';
      const seedRow = rowDescribed(page, layout.seed);
      await seedRow.waitFor({ timeout: 20_000 });
      await seedRow.locator('.label-name').click();
      await editorTab(page, seedName).waitFor({ timeout: 20_000 });
      await expand(seedRow);
      const level = Number(await seedRow.getAttribute('aria-level'));
      // A workspace runbook is titled "Memory Leaks" too: look for the section.
      const memoryLeaks = sectionLabelled(page, 'Memory Leaks');
      assert.ok(
        await expandUntilVisible(page, memoryLeaks, level + 1, 2),
        'no "Memory Leaks" row under the seed guide',
      );
      const command = rowLabelled(page, SEED_COMMAND);
      const sectionLevel = Number(await memoryLeaks.getAttribute('aria-level'));
      await expand(memoryLeaks);
      assert.ok(
        await expandUntilVisible(page, command, sectionLevel + 1, 3),
        `no "${SEED_COMMAND}" row under "Memory Leaks"`,
      );
    },
  );

  test('clicking a command reveals its line in the editor', { timeout: 60_000 }, async () => {
    assert.ok(env);
    shot = '04-command-revealed';
    const lines = readFileSync(join(env.workspace, layout.seed), 'utf8').split(/\r?\n/);
    const line = lines.findIndex((l) => l.trim() === SEED_COMMAND) + 1;
    assert.ok(line > 0, `"${SEED_COMMAND}" is not a line of the seed guide`);
    await rowLabelled(page, SEED_COMMAND).locator('.label-name').click();
    await cursorPosition(page)
      .filter({ hasText: `Ln ${line},` })
      .waitFor();
    assert.match((await cursorPosition(page).textContent()) ?? '', new RegExp(`Ln ${line},`));
  });
});
