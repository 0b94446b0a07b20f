// A person runs steps of a runbook in a real VS Code (code-server in Chromium, our .vsix installed):
// the Run button on a read step streams its output into the Runbook Output panel and the step turns
// ok; a write step asks first and Cancel runs nothing; Run History reopens a finished run; in an
// untrusted window (Restricted Mode) a run says why it does not run and runs nothing.
// The runbook is test/fixtures/workspace/runbooks/runner-checks.md. Screenshots: test-results/screenshots/.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../harness/browser.mjs';
import layout from '../integration/workspace-layout.json';
import {
  NOT_UNDER_HARNESS,
  activityBarItem,
  e2eEnvironment,
  expand,
  focusOnPane,
  rowLabelled,
  runbooksTree,
  screenshot,
  sectionLabelled,
  widenSideBar,
  frameWith,
} from './workbench';

const env = e2eEnvironment();
const restrictedUrl = process.env.E2E_RESTRICTED_URL;
const restrictedWorkspace = process.env.E2E_RESTRICTED_WORKSPACE;
const MARKER = 'runner-marker.tmp';
const REMOVE_COMMAND = `rm -f "$(pwd)/${MARKER}"`;
const LONG_SLEEP = 'sleep 317';
const TICKS = 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n';
/** Typed for the printf step's placeholder: shell syntax that must come out as text. */
const VALUE = '$(id); echo pwned';

/** The step row (not the section of the same title) labelled `label`. */
function stepRow(page: Page, label: string): Locator {
  return rowLabelled(page, label).filter({
    hasNot: page.locator('.codicon-symbol-namespace, .codicon-symbol-field'),
  });
}

/** The runner runbook's row: its path, then " · <status>" once something ran. */
function runnerRow(page: Page): Locator {
  const path = layout.runner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return runbooksTree(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-description', { hasText: new RegExp(`^${path}( · \\S+)?$`) }) });
}

/** Opens the Runbooks view on the runner runbook and returns its row. */
async function openRunnerRunbook(page: Page): Promise<Locator> {
  await activityBarItem(page, 'Runbooks').click();
  await runbooksTree(page).waitFor({ state: 'visible', timeout: 30_000 });
  await widenSideBar(page, 460);
  await focusOnPane(page, 'Runbooks');
  // Other tests may have left runbooks open (the tree remembers): start from a short list.
  await page.locator('.part.sidebar .pane-header').filter({ hasText: 'Runbooks' }).first().hover();
  await page.locator('.part.sidebar .pane-header .action-label[aria-label="Collapse All"]').first().click();
  const book = runnerRow(page);
  await book.waitFor({ timeout: 30_000 });
  await expand(book);
  const top = sectionLabelled(page, 'Runner Checks');
  await top.waitFor({ timeout: 10_000 });
  await expand(top);
  return book;
}

/** Shows the step under its section and clicks its inline Run button, as a person does (hover first). */
async function clickRunStep(page: Page, title: string): Promise<Locator> {
  const section = sectionLabelled(page, title);
  await section.waitFor();
  await expand(section);
  const row = stepRow(page, title);
  await row.waitFor();
  await row.hover();
  const run = row.locator('.action-label[aria-label="Run Step"]');
  await run.waitFor({ state: 'visible' });
  await run.click();
  return row;
}

/** The editor of the active group (other tests may leave editors open in other groups). */
function activeEditor(page: Page): Locator {
  return page.locator('.part.editor .editor-group-container.active .editor-instance .monaco-editor').first();
}

/** The Runbook Output panel's page (the frame that holds its output). */
function outputFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  return frameWith(page, '#app pre.output', timeoutMs, 'the Runbook Output panel did not open', 100);
}

async function outputText(frame: Frame): Promise<string> {
  return (
    (await frame
      .locator('#app pre.output')
      .textContent()
      .catch(() => '')) ?? ''
  );
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Live `sleep 317` processes (pids), from a real `ps`; zombies are dead and left out. */
function longSleeps(): number[] {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && !m[2]!.startsWith('Z') && m[3] === LONG_SLEEP)
    .map((m) => Number(m[1]));
}

/** Whatever a failed test left running. */
function stopLongSleeps(): void {
  for (const pid of longSleeps()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

describe('Running steps in a real VS Code', { skip: env ? false : NOT_UNDER_HARNESS }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let marker = '';
  let shot = '';

  before(async () => {
    if (!env) return;
    marker = join(dirname(join(env.workspace, layout.runner)), MARKER);
    writeFileSync(marker, 'the write step must not delete this unless confirmed\n');
    browser = await launchChromium();
    page = await openWorkbench(browser.context, env.url);
  });

  afterEach(async () => {
    if (env && page && shot) await screenshot(page, env, shot);
    shot = '';
  });

  after(async () => {
    await browser?.close();
    if (marker) rmSync(marker, { force: true });
  });

  test(
    'the Run button on a read step opens the Runbook Output panel with its output; the step turns ok',
    { timeout: 120_000 },
    async () => {
      assert.ok(env);
      shot = 'runner-01-output';
      await openRunnerRunbook(page);
      const row = await clickRunStep(page, 'Stream a few lines');

      // The panel opens beside by itself (its first load in a window takes a few seconds).
      const frame = await outputFrame(page);
      const header = frame.locator('#app .run-header');
      await header.locator('h2', { hasText: '✓ Stream a few lines' }).waitFor({ timeout: 30_000 });
      assert.match((await header.locator('.meta').textContent()) ?? '', /Runner Checks · ok · exit 0 · \d/);
      assert.equal(
        await outputText(frame),
        `$ for i in 1 2 3 4 5; do echo "tick $i"; sleep 0.6; done\n${TICKS}`,
      );
      const listed = frame.locator('#app .runs .run.status-ok', { hasText: 'Stream a few lines' });
      assert.equal(await listed.count(), 1, 'the run is listed as ok in the panel');

      // The tree item: a pass icon and "ok" in its description.
      const description = row.locator('.label-description');
      await description.filter({ hasText: /^ok · 1 command$/ }).waitFor({ timeout: 15_000 });
      assert.equal(await row.locator('.codicon-pass').count(), 1, 'a pass icon on the step');
    },
  );

  test(
    'run again with the panel open: the output streams in line by line while the step runs',
    { timeout: 90_000 },
    async () => {
      assert.ok(env);
      shot = 'runner-02-streamed';
      const row = stepRow(page, 'Stream a few lines');
      await row.hover();
      await row.locator('.action-label[aria-label="Run Step"]').click();
      const frame = await outputFrame(page);
      // Two runs listed now, the new one selected and running.
      await frame.locator('#app .runs .run').nth(1).waitFor({ timeout: 15_000 });
      let shotMidway = false;
      let barSeen = false;
      const bar = page.locator('.part.statusbar .statusbar-item', { hasText: 'Stream a few lines' });
      const seen: string[] = [];
      const deadline = Date.now() + 30_000;
      for (;;) {
        const text = await outputText(frame);
        if (seen.at(-1) !== text) seen.push(text);
        barSeen ||= (await bar.count()) > 0;
        if (!shotMidway && text.includes('tick 2') && !text.includes('tick 5')) {
          shotMidway = true;
          await screenshot(page, env, 'runner-02-streaming');
        }
        const header = (await frame.locator('#app .run-header h2').textContent()) ?? '';
        if (header.startsWith('✓') && text.includes('tick 5')) break;
        assert.ok(Date.now() < deadline, `the run did not finish: ${JSON.stringify(seen)}`);
        await page.waitForTimeout(100);
      }
      const partial = seen.filter((t) => t.includes('tick 1') && !t.includes('tick 5'));
      assert.ok(partial.length >= 2, `the output did not grow line by line: ${JSON.stringify(seen)}`);
      assert.ok(
        partial.some((t) => !t.includes('tick 3')),
        `the first lines were not shown before the later ones: ${JSON.stringify(partial)}`,
      );
      assert.ok(seen.at(-1)?.endsWith(TICKS));
      // While it ran, the status bar said so (click to cancel); now it is gone.
      assert.ok(barSeen, 'no status bar item while the step ran');
      await page
        .locator('.part.statusbar .statusbar-item', { hasText: 'Stream a few lines' })
        .waitFor({ state: 'hidden', timeout: 10_000 });
      await row
        .locator('.label-description')
        .filter({ hasText: /^ok · 1 command$/ })
        .waitFor({ timeout: 15_000 });
    },
  );

  test(
    'a write step asks first, showing the exact command; Cancel runs nothing and the step says refused',
    { timeout: 90_000 },
    async () => {
      assert.ok(env);
      shot = 'runner-03-refused';
      const row = await clickRunStep(page, 'Remove the marker file');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match((await dialog.textContent()) ?? '', /Run this command\?/);
      // Exactly as it will run: `$(pwd)` is shell text, not an icon the dialog draws.
      assert.ok(
        (await dialog.textContent())?.includes(REMOVE_COMMAND),
        `the modal does not show ${REMOVE_COMMAND}: ${await dialog.textContent()}`,
      );
      await screenshot(page, env, 'runner-03-confirm-modal');
      const buttons = dialog.locator('.dialog-buttons .monaco-button');
      assert.deepEqual(
        (await buttons.allTextContents()).map((t) => t.trim()).sort(),
        ['Cancel', 'Run'],
        'the modal offers Run and Cancel',
      );
      await buttons.filter({ hasText: /^Cancel$/ }).click();
      await dialog.waitFor({ state: 'hidden' });

      const description = row.locator('.label-description');
      await description.filter({ hasText: /^refused/ }).waitFor({ timeout: 15_000 });
      assert.equal(await row.locator('.codicon-shield').count(), 1, 'a shield icon on the step');
      const frame = await outputFrame(page);
      const header = frame.locator('#app .run-header');
      await header.locator('h2', { hasText: 'Remove the marker file' }).waitFor({ timeout: 15_000 });
      assert.match((await header.textContent()) ?? '', /refused/);
      assert.match(
        (await header.locator('.message').textContent()) ?? '',
        /not run: this command changes things and was not confirmed/,
      );
      // The command that was not run is named; the output only says why.
      assert.equal((await header.locator('pre.command').textContent())?.trim(), REMOVE_COMMAND);
      const shown = await outputText(frame);
      assert.doesNotMatch(shown, /\$ rm/, 'the output shows the command as started');
      assert.match(shown, /^\s*\[not run: this command changes things and was not confirmed/);
      // Give a wrongly started command time to act before looking at the file.
      await page.waitForTimeout(1_000);
      assert.ok(existsSync(marker), `${MARKER} was deleted although the confirmation was cancelled`);
    },
  );

  test(
    'a long step shows in the status bar; clicking it cancels the run and its processes end',
    { timeout: 90_000 },
    async (t) => {
      assert.ok(env);
      shot = 'runner-04-cancelled';
      assert.deepEqual(longSleeps(), [], `a "${LONG_SLEEP}" runs before the test`);
      t.after(stopLongSleeps);
      const row = await clickRunStep(page, 'Wait until cancelled');
      const item = page.locator('.part.statusbar .statusbar-item', { hasText: 'Wait until cancelled' });
      await item.waitFor({ timeout: 15_000 });
      await waitUntil('the step to start its sleeps', () => longSleeps().length === 2, 15_000);
      await item.click();
      await row
        .locator('.label-description')
        .filter({ hasText: /^cancelled/ })
        .waitFor({ timeout: 15_000 });
      assert.equal(await row.locator('.codicon-circle-slash').count(), 1, 'a cancelled icon on the step');
      await item.waitFor({ state: 'hidden', timeout: 10_000 });
      assert.deepEqual(longSleeps(), [], 'processes of the cancelled step are still running');
      const frame = await outputFrame(page);
      await frame
        .locator('#app .run-header h2', { hasText: 'Wait until cancelled' })
        .waitFor({ timeout: 15_000 });
      assert.match((await frame.locator('#app .run-header .meta').textContent()) ?? '', /· cancelled ·/);
      assert.match(await outputText(frame), /shell \d+ started/);
    },
  );

  test(
    'clicking a run in Run History reopens its output; "Open full output" opens the stored file',
    { timeout: 60_000 },
    async () => {
      assert.ok(env);
      shot = 'runner-05-history';
      const pane = page.locator('.part.sidebar .pane-header', { hasText: 'Run History' });
      if ((await pane.getAttribute('aria-expanded')) !== 'true') await pane.click();
      const history = page.locator('.part.sidebar .monaco-list[role="tree"][aria-label="Run History"]');
      const item = history
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: /^Stream a few lines$/ }) })
        .first();
      await item.waitFor({ timeout: 15_000 });
      await item.locator('.label-name').click();
      const frame = await outputFrame(page);
      await frame
        .locator('#app .run-header h2', { hasText: 'Stream a few lines' })
        .waitFor({ timeout: 15_000 });
      await frame.locator('#app pre.output', { hasText: 'tick 5' }).waitFor({ timeout: 15_000 });
      assert.match(await outputText(frame), /tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n$/);

      // The whole output, from the history folder, in an editor.
      await frame.locator('#app .toolbar button', { hasText: 'Open full output' }).click();
      const tab = page.locator('.tabs-container .tab').filter({ hasText: /\.log$/ });
      await tab.first().waitFor({ timeout: 15_000 });
      const editor = activeEditor(page);
      await editor.locator('.view-line', { hasText: 'tick 5' }).waitFor({ timeout: 15_000 });
      assert.deepEqual(
        // Monaco draws spaces as no-break spaces.
        (await editor.locator('.view-lines .view-line').allTextContents())
          .map((l) => l.replace(/\u00a0/g, ' '))
          .filter((l) => l.trim()),
        ['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5'],
      );
    },
  );

  test(
    'CodeLens "Run step" in the Markdown editor asks for the placeholder, previews it, and runs it as data',
    { timeout: 90_000 },
    async () => {
      assert.ok(env);
      shot = 'runner-06-codelens';
      // Clicking the runbook in the tree opens its Markdown.
      await runnerRow(page).locator('.label-name').click();
      const editor = activeEditor(page);
      const printf = editor.locator('.view-line', { hasText: "printf 'value=[%s]" });
      await printf.waitFor({ timeout: 20_000 });
      // The lens right above the printf step's code block.
      const lenses = editor.locator('.codelens-decoration');
      await lenses.first().waitFor({ timeout: 20_000 });
      const lineTop = (await printf.boundingBox())?.y ?? 0;
      let lens: Locator | undefined;
      let best = -Infinity;
      for (let i = 0; i < (await lenses.count()); i++) {
        const y = (await lenses.nth(i).boundingBox())?.y ?? Infinity;
        if (y < lineTop && y > best) [best, lens] = [y, lenses.nth(i)];
      }
      assert.ok(lens, 'no CodeLens above the printf step');
      assert.match((await lens.textContent()) ?? '', /Run step$/);
      await lens.locator('a', { hasText: 'Run step' }).click();

      const box = page.locator('.quick-input-widget');
      await box.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match((await box.textContent()) ?? '', /Print a value: value for <probe-text>/);
      await page.keyboard.type(VALUE);
      // The input box previews the command with the value in place, quoted as the data it will be.
      await box.getByText(`Runs: printf 'value=[%s]\\n' '${VALUE}'`).waitFor({ timeout: 10_000 });
      await screenshot(page, env, 'runner-06-placeholder-prompt');
      await page.keyboard.press('Enter');
      await box.waitFor({ state: 'hidden' });

      const frame = await outputFrame(page);
      await frame.locator('#app .run-header h2', { hasText: '✓ Print a value' }).waitFor({ timeout: 20_000 });
      assert.equal(await outputText(frame), `$ printf 'value=[%s]\\n' '${VALUE}'\nvalue=[${VALUE}]\n`);
    },
  );

  test(
    'in an untrusted window (Restricted Mode) a run says why and runs nothing',
    {
      timeout: 150_000,
      skip: restrictedUrl ? false : 'E2E_RESTRICTED_URL is not set (run npm run test:e2e)',
    },
    async () => {
      assert.ok(env && restrictedUrl && restrictedWorkspace);
      const restrictedMarker = join(dirname(join(restrictedWorkspace, layout.runner)), MARKER);
      writeFileSync(restrictedMarker, 'must survive Restricted Mode\n');
      const other = await launchChromium();
      try {
        const untrusted = await openWorkbench(other.context, restrictedUrl);
        try {
          // The window says it is in Restricted Mode (if VS Code asks about trust first, say no).
          const prompt = untrusted.locator('.monaco-dialog-box .monaco-button', {
            hasText: /^No, I don't trust the authors$/,
          });
          const badge = untrusted.locator('.statusbar-item', { hasText: 'Restricted Mode' });
          await prompt.or(badge).first().waitFor({ timeout: 30_000 });
          if (await prompt.count()) await prompt.click();
          await badge.waitFor({ timeout: 15_000 });

          await openRunnerRunbook(untrusted);
          assert.deepEqual(longSleeps(), [], `a "${LONG_SLEEP}" runs before the test`);
          const row = await clickRunStep(untrusted, 'Wait until cancelled');
          const toast = untrusted
            .locator('.notifications-toasts .notification-toast')
            .filter({ hasText: 'This workspace is in Restricted Mode, so runbook steps are not run.' });
          await toast.waitFor({ timeout: 15_000 });
          await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
          await row
            .locator('.label-description')
            .filter({ hasText: /^refused/ })
            .waitFor({ timeout: 15_000 });
          const frame = await outputFrame(untrusted);
          await frame
            .locator('#app .run-header .message', {
              hasText: 'This workspace is not trusted, so nothing is run',
            })
            .waitFor({ timeout: 15_000 });
          await screenshot(untrusted, env, 'runner-07-restricted');
          await untrusted.waitForTimeout(1_000);
          assert.deepEqual(longSleeps(), [], 'a step ran in Restricted Mode');

          // The write step neither asks nor runs.
          await clickRunStep(untrusted, 'Remove the marker file');
          await stepRow(untrusted, 'Remove the marker file')
            .locator('.label-description')
            .filter({ hasText: /^refused/ })
            .waitFor({ timeout: 15_000 });
          assert.equal(await untrusted.locator('.monaco-dialog-box').count(), 0, 'no confirmation was asked');
          assert.ok(existsSync(restrictedMarker), `${MARKER} was deleted in Restricted Mode`);

          // The way out the message offers: the Workspace Trust editor.
          await toast.first().locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).click();
          await untrusted.getByText('You are in Restricted Mode').waitFor({ timeout: 15_000 });
          await screenshot(untrusted, env, 'runner-08-manage-trust');
        } finally {
          await untrusted.close().catch(() => undefined);
        }
      } finally {
        await other.close();
        rmSync(restrictedMarker, { force: true });
      }
    },
  );
});
