// A person opens captured profiles in a real VS Code (code-server in Chromium, our .vsix installed):
// a .cpuprofile opens in the flame graph (drawn on its canvas), search reports the share of a known
// function (checked against the importer's numbers for the same file), a click zooms in; a profile
// that Node writes here of a script in the workspace opens that script at the frame's line; an .hprof
// shows its class histogram and treemap. Screenshots go to test-results/screenshots/.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../harness/browser.mjs';
import { NOT_UNDER_HARNESS, cursorPosition, e2eEnvironment, editorTab, screenshot } from './workbench';
import { importProfile } from '../../src/core/profile/flame/import';
import { matchFrames, matchedShare, parseQuery } from '../../webview/profile/search';
import { formatPercent } from '../../webview/profile/format';

const env = e2eEnvironment();
const FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'public');
const SUCRASE = join(FIXTURES, 'jlfwong-speedscope/sample/profiles/Chrome/65/sucrase.cpuprofile');
const HPROF = join(
  FIXTURES,
  'eclipse-mat-mat/plugins/org.eclipse.mat.tests/dumps/sun_jdk6_30_x64_compressedOops.hprof',
);
const FOLDER = 'profiles';

/** The page inside our latest webview (VS Code nests it in two iframes; the outer one names the extension). */
function webview(page: Page): FrameLocator {
  return page
    .locator('iframe.webview.ready[src*="extensionId=runbook-debugger.runbook-debugger"]')
    .last()
    .contentFrame()
    .locator('iframe#active-frame')
    .contentFrame();
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * Opens a file the way a person does when another extension (VS Code's own JS profile table, for
 * .cpuprofile) is also a default editor for it: Quick Open, then "Runbook: Open as Profile".
 */
async function openAsProfile(page: Page, name: string): Promise<void> {
  await quickOpen(page, name);
  // Keyboard focus may be inside the other editor's webview, which keeps F1 to itself.
  await editorTab(page, name).first().click();
  await runCommand(page, 'Runbook: Open as Profile');
}

/** VS Code's notice that .cpuprofile has two default editors: closed, so screenshots show the view. */
async function closeToasts(page: Page): Promise<void> {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  for (let i = await toasts.count(); i > 0; i--) {
    const toast = toasts.first();
    await toast.hover().catch(() => undefined);
    await toast
      .locator('.codicon-notifications-clear')
      .click({ timeout: 2_000 })
      .catch(() => undefined);
  }
}

async function quickOpen(page: Page, name: string): Promise<void> {
  await page
    .locator('.monaco-workbench')
    .click({ position: { x: 600, y: 5 } })
    .catch(() => undefined);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await editorTab(page, name).waitFor({ timeout: 20_000 });
}

async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page
    .locator('.tabs-container .tab')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

/** Waits for `selector` in the viewer; on timeout the error says what the page shows instead. */
async function waitInView(view: FrameLocator, selector: string, timeout: number): Promise<void> {
  try {
    await view.locator(selector).first().waitFor({ state: 'visible', timeout });
  } catch (err) {
    const text = await view
      .locator('body')
      .innerText({ timeout: 2_000 })
      .catch(() => '(no page)');
    throw new Error(`${selector} did not appear; the viewer shows: ${text.slice(0, 500)}`, { cause: err });
  }
}

/** Distinct colours in the flame canvas: a few hundred when frames are drawn, 1 when blank. */
async function canvasColours(frame: FrameLocator, selector: string): Promise<number> {
  return frame.locator(selector).evaluate((c: unknown) => {
    // Typed structurally: the test's TypeScript has no DOM library; this runs in the page.
    const canvas = c as {
      width: number;
      height: number;
      getContext(
        kind: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7)
      seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

describe('Profile viewer in a real VS Code', { skip: env ? false : NOT_UNDER_HARNESS }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let shot = '';

  before(async () => {
    if (!env) return;
    const dir = join(env.workspace, FOLDER);
    mkdirSync(dir, { recursive: true });
    copyFileSync(SUCRASE, join(dir, 'sucrase.cpuprofile'));
    copyFileSync(HPROF, join(dir, 'app-heap.hprof'));
    // A profile of a script in the workspace, written by Node's own profiler: its frames name the script.
    writeFileSync(
      join(dir, 'busy.js'),
      [
        '// Spends its time in spinHot, so the profile has a frame with this file and a line.',
        'function spinHot(n) {',
        '  let x = 0;',
        '  for (let i = 0; i < n; i++) x += Math.sqrt(i) * Math.sin(i);',
        '  return x;',
        '}',
        'const end = Date.now() + 400;',
        'let total = 0;',
        'while (Date.now() < end) total += spinHot(100000);',
        'console.log(total > 0);',
        '',
      ].join('\n'),
    );
    execFileSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', 'busy.cpuprofile', 'busy.js'],
      {
        cwd: dir,
      },
    );
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

  test('a .cpuprofile opens in the flame graph, drawn on its canvas', { timeout: 120_000 }, async () => {
    assert.ok(env);
    shot = '10-flame-graph';
    await openAsProfile(page, 'sucrase.cpuprofile');
    const view = webview(page);
    await waitInView(view, 'canvas.flame-canvas', 60_000);
    await closeToasts(page);
    await view.locator('.view-header .meta').filter({ hasText: 'V8 CPU profile' }).waitFor();
    // Drawn: many distinct colours, and the function table lists the profile's functions.
    await page.waitForTimeout(300);
    assert.ok((await canvasColours(view, 'canvas.flame-canvas')) > 20, 'the canvas shows frames');
    assert.ok((await view.locator('table.functions tbody tr').count()) > 100);
  });

  test(
    'search finds a known function and reports its share of the profile',
    { timeout: 60_000 },
    async () => {
      assert.ok(env);
      shot = '11-flame-search';
      const p = await importProfile({ path: SUCRASE });
      const query = 'getTokens';
      const share = matchedShare(p.tree, matchFrames(p.strings, p.frames, parseQuery(query).matcher!));
      const expected = formatPercent(share.weight, share.of);
      const view = webview(page);
      await view.locator('input.search').fill(query);
      const result = view.locator('.search-result');
      await result.filter({ hasText: `${expected} of all` }).waitFor({ timeout: 10_000 });
      assert.match(
        (await result.textContent()) ?? '',
        new RegExp(`^1 function · ${expected.replace('.', '\\.')} of all`),
      );
      const rows = view.locator('table.functions tbody tr');
      assert.equal(await rows.count(), 1);
      assert.equal(await rows.first().locator('td.name').textContent(), 'getTokens');
    },
  );

  test('clicking a frame zooms into it; breadcrumbs lead back out', { timeout: 60_000 }, async () => {
    assert.ok(env);
    shot = '12-flame-zoomed';
    const view = webview(page);
    // The table row selects the heaviest getTokens frame; a click on it in the graph zooms in.
    await view.locator('table.functions tbody tr td.name').first().click();
    const details = view.locator('.details strong');
    await details.filter({ hasText: 'getTokens' }).waitFor();
    const canvas = view.locator('canvas.flame-canvas');
    await canvas.focus();
    await canvas.press('Enter');
    const current = view.locator('.breadcrumbs button[aria-current]');
    await current.filter({ hasText: 'getTokens' }).waitFor({ timeout: 10_000 });
    const depth = await view.locator('.breadcrumbs button').count();
    assert.ok(depth > 5, `breadcrumbs from the root to getTokens: ${depth}`);
    // Now a mouse click on the first frame below getTokens zooms one level deeper.
    const box = (await canvas.boundingBox())!;
    const rowY = box.y + depth * 18 + 9;
    await page.mouse.click(box.x + 20, rowY);
    await view.locator('.breadcrumbs button').nth(depth).waitFor({ timeout: 10_000 });
    assert.equal(await view.locator('.breadcrumbs button').count(), depth + 1);
    await view.locator('.breadcrumbs button').first().click();
    await view.locator('.breadcrumbs button').nth(1).waitFor({ state: 'detached' });
  });

  test('a frame of a workspace script opens that script at its line', { timeout: 90_000 }, async () => {
    assert.ok(env);
    shot = '13-flame-open-source';
    await closeAllEditors(page);
    const name = readdirSync(join(env.workspace, FOLDER)).find((n) => n === 'busy.cpuprofile');
    assert.ok(name, 'node --cpu-prof wrote the profile');
    await openAsProfile(page, 'busy.cpuprofile');
    const view = webview(page);
    await waitInView(view, 'canvas.flame-canvas', 60_000);
    await closeToasts(page);
    await view.locator('input.search').fill('spinHot');
    await view.locator('table.functions tbody tr td.name').first().click();
    const open = view.locator('.details button.link');
    await open.filter({ hasText: 'busy.js:2' }).waitFor({ timeout: 10_000 });
    await open.click();
    await editorTab(page, 'busy.js').waitFor({ timeout: 20_000 });
    await cursorPosition(page).filter({ hasText: 'Ln 2,' }).waitFor({ timeout: 20_000 });
    assert.match((await cursorPosition(page).textContent()) ?? '', /Ln 2,/);
  });

  test(
    'an .hprof shows its class histogram, treemap and the retainers of a class',
    { timeout: 120_000 },
    async () => {
      assert.ok(env);
      shot = '14-heap-view';
      await closeAllEditors(page);
      await quickOpen(page, 'app-heap.hprof');
      const view = webview(page);
      const rows = view.locator('table.classes tbody tr');
      await rows.first().waitFor({ timeout: 60_000 });
      // The largest class by shallow size in this dump (Eclipse MAT's test dump): char[] with 842 objects.
      assert.equal(await rows.first().locator('td.name').textContent(), 'char[]');
      assert.match((await rows.first().locator('td').nth(1).textContent()) ?? '', /^842$/);
      await view.locator('.treemap-status').filter({ hasText: 'objects below' }).waitFor({ timeout: 20_000 });
      assert.ok((await canvasColours(view, 'canvas.treemap')) > 5, 'the treemap is drawn');
      await rows.first().click();
      await view.locator('.retainer-list li').first().waitFor({ timeout: 20_000 });
      assert.ok((await view.locator('.retainer-list li').count()) > 0);
    },
  );
});
