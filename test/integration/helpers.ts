// Shared by the integration suites, which run inside a real extension host (code-server through
// test/companion, or desktop VS Code through @vscode/test-cli) against the installed extension.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/extension/ids';
import type { RunbookDebuggerApi } from '../../src/extension/api';
import type { RunbookNode } from '../../src/extension/runbooks-tree';
import layout from './workspace-layout.json';

export { layout };

export function ourExtension(): vscode.Extension<RunbookDebuggerApi> {
  const ext = vscode.extensions.getExtension<RunbookDebuggerApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** activate() returns the exports whether or not VS Code activated the extension already. */
export function activateApi(): Thenable<RunbookDebuggerApi> {
  return ourExtension().activate();
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/** Polls until `probe` returns something other than undefined/false, or fails saying what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** Depth-first search of the Runbooks tree from `from` (the root when omitted). */
export async function findNode(
  api: RunbookDebuggerApi,
  match: (node: RunbookNode) => boolean,
  from?: RunbookNode,
  depth = 8,
): Promise<RunbookNode | undefined> {
  if (depth < 0) return undefined;
  for (const child of await api.tree.getChildren(from)) {
    if (match(child)) return child;
    const inner = await findNode(api, match, child, depth - 1);
    if (inner) return inner;
  }
  return undefined;
}

export function sameFile(a: vscode.Uri, b: vscode.Uri): boolean {
  return a.fsPath === b.fsPath;
}

/** 1-based line of the first line of `file` whose trimmed text is `text`. */
export async function lineOf(file: vscode.Uri, text: string): Promise<number> {
  const lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(file)).split(/\r?\n/);
  const index = lines.findIndex((l) => l.trim() === text);
  assert.ok(index >= 0, `"${text}" is not a line of ${file.fsPath}`);
  return index + 1;
}

/**
 * Mocha's skip() takes no reason: put it in the title, where every reporter shows it. From a hook,
 * every test of the suite is skipped, so the reason goes on the suite.
 */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const runnable: { title: string; type?: string; parent?: Mocha.Suite } | undefined = ctx.test;
  const target = runnable?.type === 'hook' ? runnable.parent : runnable;
  if (target) target.title += ` (skipped: ${reason})`;
  ctx.skip();
}
