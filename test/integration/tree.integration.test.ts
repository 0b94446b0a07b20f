// The Runbooks tree as the real extension host builds it from the test workspace
// (test/harness/workspace.mjs): workspace runbooks, the bundled group, the seed guide's
// sections and commands, and Go to Source from a command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/ids';
import type { RunbookNode } from '../../src/extension/runbooks-tree';
import {
  activateApi,
  findNode,
  labelOf,
  layout,
  lineOf,
  ourExtension,
  sameFile,
  workspaceFile,
} from './helpers';

const SEED_COMMAND = 'kubectl top pods --sort-by=memory';

async function workspaceRunbookFiles(): Promise<string[]> {
  const dir = workspaceFile(layout.runbooksDir);
  const names = (await vscode.workspace.fs.readDirectory(dir))
    .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.md'))
    .map(([name]) => vscode.Uri.joinPath(dir, name).fsPath);
  return [...names, workspaceFile(layout.seed).fsPath].sort();
}

describe('Runbooks tree', () => {
  it('lists every workspace runbook (the .txt seed included) and nothing that has no steps', async () => {
    const api = await activateApi();
    await api.store.rescan();
    const roots = await api.tree.getChildren();
    // The commands suite pins layout.pinnable ("Open as Runbook"); it may have run first.
    const pinned = workspaceFile(layout.pinnable).fsPath;
    const listed = roots
      .filter((n): n is Extract<RunbookNode, { kind: 'runbook' }> => n.kind === 'runbook')
      .map((n) => n.entry.uri.fsPath)
      .filter((p) => p !== pinned)
      .sort();
    assert.deepEqual(listed, await workspaceRunbookFiles());
    assert.ok(!listed.includes(workspaceFile(layout.notRunbook).fsPath));
  });

  it('ends the root with the bundled runbooks, one per file shipped in the extension', async () => {
    const api = await activateApi();
    const roots = await api.tree.getChildren();
    const group = roots.at(-1);
    assert.ok(group && group.kind === 'group', 'the last root node should be the bundled group');
    assert.equal(labelOf(api.tree.getTreeItem(group)), 'Bundled runbooks');
    const shippedDir = vscode.Uri.joinPath(ourExtension().extensionUri, 'runbooks');
    const shipped = (await vscode.workspace.fs.readDirectory(shippedDir))
      .filter(([name]) => name.endsWith('.md'))
      .map(([name]) => vscode.Uri.joinPath(shippedDir, name).fsPath)
      .sort();
    assert.ok(shipped.length > 0, 'the extension ships no runbooks/*.md');
    const children = await api.tree.getChildren(group);
    const listed = children.map((n) =>
      n.kind === 'runbook' ? n.entry.uri.fsPath : `not a runbook: ${n.kind}`,
    );
    assert.deepEqual(listed.sort(), shipped);
    for (const child of children) assert.equal(api.tree.getTreeItem(child).description, 'bundled');
  });

  it('shows a workspace runbook with its path and opens it from the tree', async () => {
    const api = await activateApi();
    const seed = workspaceFile(layout.seed);
    const node = await findNode(api, (n) => n.kind === 'runbook' && sameFile(n.entry.uri, seed));
    assert.ok(node, `${layout.seed} is not in the tree`);
    const item = api.tree.getTreeItem(node);
    assert.equal(item.description, layout.seed);
    assert.equal(item.resourceUri?.fsPath, seed.fsPath);
    assert.equal(item.command?.command, Commands.goToSource);
  });

  it('expands the seed guide to the "Memory Leaks" section and its kubectl command', async () => {
    const api = await activateApi();
    const seed = workspaceFile(layout.seed);
    const runbook = await findNode(api, (n) => n.kind === 'runbook' && sameFile(n.entry.uri, seed));
    assert.ok(runbook, `${layout.seed} is not in the tree`);
    const section = await findNode(
      api,
      (n) => n.kind === 'section' && n.section.title === 'Memory Leaks',
      runbook,
    );
    assert.ok(section, 'no "Memory Leaks" section under the seed guide');
    const command = await findNode(
      api,
      (n) => n.kind === 'command' && n.command.text === SEED_COMMAND,
      section,
    );
    assert.ok(command && command.kind === 'command', `no step with "${SEED_COMMAND}" under "Memory Leaks"`);
    assert.equal(command.command.effect, 'read');
  });

  it('clicking the kubectl command opens the seed guide at its line', async () => {
    const api = await activateApi();
    const seed = workspaceFile(layout.seed);
    const command = await findNode(
      api,
      (n) => n.kind === 'command' && sameFile(n.entry.uri, seed) && n.command.text === SEED_COMMAND,
    );
    assert.ok(command, `no "${SEED_COMMAND}" command in the tree`);
    const click = api.tree.getTreeItem(command).command;
    assert.ok(click, 'the command item has no click action');
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && sameFile(editor.document.uri, seed), 'the seed guide is not the active editor');
    assert.equal(editor.selection.active.line + 1, await lineOf(seed, SEED_COMMAND));
  });
});
