// The commands as a user reaches them (palette, tree clicks, editor title), run through the real API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/ids';
import { activateApi, layout, sameFile, waitFor, workspaceFile } from './helpers';

describe('Runbook commands', () => {
  before(async () => {
    await activateApi();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Go to Source opens the file with the cursor on the given line', async () => {
    const seed = workspaceFile(layout.seed);
    await vscode.commands.executeCommand(Commands.goToSource, seed, 30);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && sameFile(editor.document.uri, seed), 'the seed guide is not the active editor');
    assert.equal(editor.selection.active.line, 29);
  });

  it('Go to Source keeps a line past the end inside the file', async () => {
    const file = workspaceFile(layout.notRunbook);
    await vscode.commands.executeCommand(Commands.goToSource, file, 10_000);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && sameFile(editor.document.uri, file));
    assert.equal(editor.selection.active.line, editor.document.lineCount - 1);
  });

  it('Open as Runbook adds a file that has no steps to the tree', async () => {
    const api = await activateApi();
    const file = workspaceFile(layout.pinnable);
    const listed = async (): Promise<boolean> =>
      (await api.tree.getChildren()).some((n) => n.kind === 'runbook' && sameFile(n.entry.uri, file));
    assert.equal(await listed(), false, `${layout.pinnable} has no steps and should not be listed before`);
    await vscode.commands.executeCommand(Commands.openAsRunbook, file);
    await waitFor(`${layout.pinnable} in the tree`, listed, 10_000);
  });

  it('Refresh finds a runbook written to disk since the last scan', async () => {
    const api = await activateApi();
    const file = workspaceFile(`${layout.runbooksDir}/written-by-test.md`);
    await vscode.workspace.fs.writeFile(
      file,
      new TextEncoder().encode('# Disk space\n\n```bash\ndf -h\n```\n'),
    );
    try {
      await vscode.commands.executeCommand(Commands.refresh);
      const entry = (await api.store.list()).find((e) => sameFile(e.uri, file));
      assert.ok(entry, 'the new runbook is not listed after Refresh');
      assert.equal(entry.bundled, false);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });
});
