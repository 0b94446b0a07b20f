// A person resizes the Runbook Output panel's run list in a real VS Code (code-server in Chromium, our
// .vsix installed): dragging the divider, then the arrow keys on it; the width survives the panel
// being hidden and shown again (VS Code reloads a hidden webview's page; the width is in its state);
// a panel too narrow for two columns shows the list above the output. Screenshots:
// test-results/screenshots/output-split-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../harness/browser.mjs';
import layout from '../integration/workspace-layout.json';
import {
  NOT_UNDER_HARNESS,
  activityBarItem,
  e2eEnvironment,
  editorTab,
  frameWith,
  screenshot,
} from './workbench';

const env = e2eEnvironment();
const RUNNER_FILE = layout.runner.split('/').pop()!;

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

function outputPanel(page: Page): Promise<Frame> {
  return frameWith(page, '#app .splitter', 30_000, 'the Runbook Output panel has no divider', 100);
}

/** What the page draws: the list's width, the divider's state, and where the output starts. */
async function look(frame: Frame): Promise<{
  app: number;
  list: number;
  listTop: number;
  outputTop: number;
  dividerShown: boolean;
  valueNow: string | null;
}> {
  const box = async (selector: string): Promise<{ width: number; y: number }> => {
    const b = await frame.locator(selector).boundingBox();
    assert.ok(b, `${selector} is not drawn`);
    return b;
  };
  const divider = frame.locator('#app .splitter');
  const [app, list, detail] = [
    await box('#app'),
    await box('#app ul.runs'),
    await box('#app section.detail'),
  ];
  return {
    app: app.width,
    list: list.width,
    listTop: list.y,
    outputTop: detail.y,
    dividerShown: await divider.isVisible(),
    valueNow: await divider.getAttribute('aria-valuenow'),
  };
}

describe('Resizing the Runbook Output run list', { skip: env ? false : NOT_UNDER_HARNESS }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  before(async () => {
    if (!env) return;
    browser = await launchChromium();
    page = await openWorkbench(browser.context, env.url);
  });

  after(async () => {
    await browser?.close();
  });

  test(
    'drag and arrow keys resize it; the width survives a hidden panel; narrow panels stack',
    { timeout: 150_000 },
    async () => {
      assert.ok(env);
      // Our commands are in the palette once the extension host has read our manifest.
      await activityBarItem(page, 'Runbooks').waitFor({ timeout: 60_000 });
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Runbook: Show Output');
      let frame = await outputPanel(page);
      const divider = frame.locator('#app .splitter');
      await divider.waitFor({ state: 'visible' });
      assert.equal(await divider.getAttribute('role'), 'separator');
      const start = await look(frame);
      assert.equal(Math.round(start.list), 260, 'the list does not start at its usual width');
      assert.equal(start.valueNow, '260');

      // Drag the divider 120 px to the right, as a person does with the mouse.
      const box = await divider.boundingBox();
      assert.ok(box, 'the divider has no box');
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 120, y, { steps: 8 });
      await page.mouse.up();
      const dragged = await look(frame);
      assert.ok(Math.abs(dragged.list - 380) <= 2, `dragged to ${dragged.list} px, not about 380`);
      assert.equal(dragged.valueNow, String(Math.round(dragged.list)));

      // The keyboard: two steps left, one big step right.
      await divider.focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Shift+ArrowRight');
      const keyed = await look(frame);
      const want = Math.round(dragged.list) - 32 + 64;
      assert.equal(Math.round(keyed.list), want);
      assert.equal(keyed.valueNow, String(want));
      await screenshot(page, env, 'output-split-1-resized');

      // Hide the panel behind a file in the same group, then show it again: a new page, same width.
      await frame.evaluate('window.seen = true');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(RUNNER_FILE);
      await page
        .locator('.quick-input-widget .monaco-list-row')
        .filter({ hasText: RUNNER_FILE })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      await editorTab(page, RUNNER_FILE).waitFor({ timeout: 20_000 });
      await page.locator('.tabs-container .tab', { hasText: 'Runbook Output' }).click();
      frame = await outputPanel(page);
      assert.equal(
        await frame.evaluate('window.seen ?? false'),
        false,
        'the page was not reloaded, so this does not show the width was kept',
      );
      await frame.locator('#app .splitter').waitFor({ state: 'visible' });
      assert.equal(Math.round((await look(frame)).list), want, 'the width was not kept');

      // A narrow window: the list goes above the output, the divider away; wide again, as chosen.
      await page.setViewportSize({ width: 560, height: 860 });
      await frame.locator('#app .splitter').waitFor({ state: 'hidden' });
      const narrow = await look(frame);
      assert.ok(narrow.app < 520, `the panel is still ${narrow.app} px wide`);
      assert.equal(narrow.dividerShown, false);
      assert.ok(narrow.outputTop > narrow.listTop, 'the output is not below the list');
      assert.ok(Math.abs(narrow.list - narrow.app) <= 1, `the list is ${narrow.list} of ${narrow.app} px`);
      await screenshot(page, env, 'output-split-2-narrow');
      await page.setViewportSize({ width: 1400, height: 860 });
      await frame.locator('#app .splitter').waitFor({ state: 'visible' });
      assert.equal(Math.round((await look(frame)).list), want);
    },
  );
});
