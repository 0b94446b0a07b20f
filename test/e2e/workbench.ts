// What a person sees and clicks in the VS Code workbench, as Playwright locators. The e2e tests run
// under test/harness/e2e.mjs, which starts code-server with our .vsix and names it through the
// environment: E2E_URL (the workbench), E2E_WORKSPACE (the folder it opened), E2E_SCREENSHOTS.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';

export interface E2eEnvironment {
  url: string;
  workspace: string;
  screenshots: string;
}

/** Undefined when the tests were started without the harness (the tests then skip, saying so). */
export function e2eEnvironment(): E2eEnvironment | undefined {
  const { E2E_URL: url, E2E_WORKSPACE: workspace, E2E_SCREENSHOTS: screenshots } = process.env;
  if (!url || !workspace || !screenshots) return undefined;
  return { url, workspace, screenshots };
}

export const NOT_UNDER_HARNESS = 'E2E_URL is not set: run `npm run test:e2e`, which starts code-server first';

export async function screenshot(page: Page, env: E2eEnvironment, name: string): Promise<string> {
  mkdirSync(env.screenshots, { recursive: true });
  const file = join(env.screenshots, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item a.action-label[aria-label="${title}"]`);
}

export function runbooksTree(page: Page): Locator {
  return page.locator('.part.sidebar .monaco-list[role="tree"][aria-label="Runbooks"]');
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** The tree row whose label is exactly `label`. */
export function rowLabelled(page: Page, label: string): Locator {
  return runbooksTree(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) });
}

/** The section row (a heading, or a labelled group like "Symptoms:") whose label is exactly `label`. */
export function sectionLabelled(page: Page, label: string): Locator {
  return rowLabelled(page, label).filter({
    has: page.locator('.codicon-symbol-namespace, .codicon-symbol-field'),
  });
}

/** The tree row whose description (the grey text after the label) is exactly `description`. */
export function rowDescribed(page: Page, description: string): Locator {
  return runbooksTree(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-description', { hasText: exactly(description) }) });
}

/** Expands a row with its twistie (a click on the label would run the row's command instead). */
export async function expand(row: Locator): Promise<void> {
  await setExpanded(row, true);
}

export async function collapse(row: Locator): Promise<void> {
  await setExpanded(row, false);
}

async function setExpanded(row: Locator, expanded: boolean): Promise<void> {
  const want = String(expanded);
  if ((await row.getAttribute('aria-expanded')) === want) return;
  const handle = await row.elementHandle();
  await row.locator('.monaco-tl-twistie').click();
  const page = row.page();
  await page.waitForFunction(
    ([el, value]) => el?.getAttribute('aria-expanded') === value,
    [handle, want] as const,
    {
      timeout: 10_000,
    },
  );
  if (!expanded) return;
  // Children come from the extension host a moment after the row flips. Done when the row below it
  // (by index) is one level deeper; a section with nothing inside never gets one, so that wait is short.
  await page
    .waitForFunction(
      (el) => {
        if (!el) return false;
        const next = el.parentElement?.querySelector(
          `[data-index="${Number(el.getAttribute('data-index')) + 1}"]`,
        );
        return Number(next?.getAttribute('aria-level') ?? 0) > Number(el.getAttribute('aria-level'));
      },
      handle,
      { timeout: 3_000 },
    )
    .catch(() => undefined);
}

/**
 * Opens rows the way a person looks for a heading: expand a row at `level`, look, and close it
 * again if what we want is not inside, so only one branch is open at a time (and the list stays
 * short enough to be drawn: the tree renders only the rows in view). Depth-first, `depth` levels.
 */
export async function expandUntilVisible(
  page: Page,
  target: Locator,
  level: number,
  depth = 4,
): Promise<boolean> {
  if (await target.count()) return true;
  if (depth === 0) return false;
  const collapsedAtLevel = runbooksTree(page).locator(
    `.monaco-list-row[aria-level="${level}"][aria-expanded="false"]`,
  );
  const n = await collapsedAtLevel.count();
  for (let i = 0; i < n; i++) {
    // Re-queried each time: a row closed again is collapsed again, so index i still names it.
    const row = collapsedAtLevel.nth(i);
    const label = await row.locator('.label-name').textContent();
    await expand(row);
    if (await expandUntilVisible(page, target, level + 1, depth - 1)) return true;
    const again = runbooksTree(page)
      .locator(`.monaco-list-row[aria-level="${level}"][aria-expanded="true"]`)
      .filter({ has: page.locator('.label-name', { hasText: exactly(label ?? '') }) })
      .first();
    await collapse(again);
  }
  return false;
}

/** The status bar's cursor position, e.g. "Ln 41, Col 1". */
export function cursorPosition(page: Page): Locator {
  return page.locator('.statusbar [id="status.editor.selection"]');
}

export function editorTab(page: Page, fileName: string): Locator {
  return page.locator(`.tabs-container .tab[data-resource-name="${fileName}"]`);
}

/** Drags the sash between side bar and editor, as a person does to read long labels. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** Collapses every other view in the side bar (Run History, ...) so the Runbooks tree gets the room. */
export async function focusOnPane(page: Page, title: string): Promise<void> {
  const others = page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({
    hasNot: page.locator('h3.title', { hasText: exactly(title) }),
  });
  for (let n = await others.count(); n > 0; n--) await others.first().click();
}

/**
 * The frame that holds `selector`: webviews nest their pages in iframes, which appear some time
 * after the panel opens. Polls every `pollMs` until `timeoutMs`, then fails saying `what` is missing.
 */
export async function frameWith(
  page: Page,
  selector: string,
  timeoutMs: number,
  what = `nothing on the page shows ${selector}`,
  pollMs = 250,
): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const n = await f
        .locator(selector)
        .count()
        .catch(() => 0);
      if (n) return f;
    }
    await page.waitForTimeout(pollMs);
  }
  throw new Error(what);
}
