// Debian's Chromium, driven by playwright-core (never `npx playwright install`: nothing is downloaded).
// Opening the workbench in a browser is what makes code-server start an extension host.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { removeOnExit } from '../../scripts/vscode-server.mjs';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'runbook-chromium-'));
  const cleanup = removeOnExit(profile);
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1400, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(
      `Chromium did not start from ${chromiumPath} (Debian: apt-get install chromium; elsewhere set CHROMIUM_PATH): ` +
        (err instanceof Error ? err.message.split('\n')[0] : String(err)),
      { cause: err },
    );
  }
  // Long enough for a cold extension host, short enough that a missing element fails the test quickly.
  context.setDefaultTimeout(20_000);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
      cleanup.forget();
    },
  };
}

/** Opens the workbench and waits until it has drawn its activity bar. */
export async function openWorkbench(context, url, timeoutMs = 90_000) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url, { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench .activitybar', { timeout: timeoutMs });
  return page;
}
