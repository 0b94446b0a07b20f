// Test-only extension, never shipped: runs the integration suites (mocha) inside a real VS Code
// extension host. On a desktop, @vscode/test-cli does that job; where VS Code cannot be downloaded
// (this machine, CI), test/harness/integration.mjs installs this beside Runbook Debugger in
// code-server and tells it what to do through environment variables the extension host inherits:
//   RUNBOOK_TEST_RESULTS  file for the summary JSON; one JSON line per finished test goes to <file>.progress
//   RUNBOOK_TEST_SUITES   comma-separated file names under out/suites to run
// Without RUNBOOK_TEST_RESULTS it does nothing.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { runSuites } from './run-suites';

export function activate(context: vscode.ExtensionContext): void {
  const resultsFile = process.env.RUNBOOK_TEST_RESULTS;
  if (!resultsFile) return;
  const suites = (process.env.RUNBOOK_TEST_SUITES ?? '').split(',').filter(Boolean);
  void runSuites(path.join(context.extensionPath, 'out', 'suites'), suites, resultsFile);
}

export function deactivate(): void {
  // Nothing held.
}
