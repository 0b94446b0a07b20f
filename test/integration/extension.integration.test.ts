// The installed extension in a trusted workspace: it activates by itself, hands out its API,
// registers exactly its commands, and its view is a real workbench view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings, Views } from '../../src/extension/ids';
import { activateApi, ourExtension, waitFor } from './helpers';

describe('Runbook Debugger in a trusted workspace', () => {
  it('activates by itself because the workspace contains runbooks/*.md', async () => {
    assert.equal(vscode.workspace.isTrusted, true, 'the harness should have opened a trusted workspace');
    await waitFor('the workspaceContains activation event', () => ourExtension().isActive);
  });

  it('returns its API from activate(): { version, store, tree }', async () => {
    const api = await activateApi();
    assert.equal(api.version, 1);
    assert.equal(typeof api.store.list, 'function');
    assert.equal(typeof api.tree.getChildren, 'function');
  });

  it('registers every command of ids.ts with VS Code', async () => {
    await activateApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = Object.values(Commands).filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('contributes exactly the commands of ids.ts in the installed manifest', () => {
    const contributed = (ourExtension().packageJSON.contributes.commands as { command: string }[])
      .map((c) => c.command)
      .sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
  });

  it('opens the Runbooks view through the workbench', async () => {
    // VS Code registers `<view id>.focus` for every contributed view it knows; it fails for unknown ones.
    await vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`);
    await vscode.commands.executeCommand(`${Views.runbooks}.focus`);
  });

  it('ignores a workspace that tries to choose the shell (machine-scoped setting)', () => {
    const config = vscode.workspace.getConfiguration(Settings.section);
    assert.equal(config.inspect<string>(Settings.shell)?.defaultValue, '');
    assert.equal(
      config.get<string>(Settings.shell),
      '',
      'the workspace .vscode/settings.json sets /bin/false',
    );
  });
});
