// Types for browser.mjs, which the e2e tests (TypeScript) import.
import type { BrowserContext, Page } from 'playwright-core';

export declare const chromiumPath: string;
export declare function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }>;
export declare function openWorkbench(
  context: BrowserContext,
  url: string,
  timeoutMs?: number,
): Promise<Page>;
