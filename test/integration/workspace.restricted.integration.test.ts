// Restricted Mode (an untrusted workspace). The manifest says `untrustedWorkspaces: limited`:
// the extension must still activate and list runbooks, and the settings that choose what gets
// executed must not be taken from the workspace. Files named *.restricted.integration.test.ts run
// only in an untrusted window (the harness opens one with Workspace Trust on).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Settings } from '../../src/extension/ids';
import type { RunbookNode } from '../../src/extension/runbooks-tree';
import { activateApi, layout, ourExtension, sameFile, skipBecause, waitFor, workspaceFile } from './helpers';

describe('Runbook Debugger in Restricted Mode', () => {
  before(function () {
    // Desktop VS Code under @vscode/test-cli starts with Workspace Trust disabled: nothing to test there.
    if (vscode.workspace.isTrusted)
      skipBecause(this, 'this window trusts its workspace, so it is not Restricted Mode');
  });

  it('activates by itself in an untrusted workspace', async () => {
    await waitFor('the workspaceContains activation event', () => ourExtension().isActive);
  });

  it('lists the bundled runbooks', async () => {
    const api = await activateApi();
    const roots = await api.tree.getChildren();
    const group = roots.find((n) => n.kind === 'group');
    assert.ok(group, 'no bundled group in the tree');
    assert.ok((await api.tree.getChildren(group)).length > 0);
  });

  it('lists the workspace runbooks', async () => {
    const api = await activateApi();
    const roots = await api.tree.getChildren();
    const seed = workspaceFile(layout.seed);
    const files = roots.filter((n): n is Extract<RunbookNode, { kind: 'runbook' }> => n.kind === 'runbook');
    assert.ok(
      files.some((n) => sameFile(n.entry.uri, seed)),
      `${layout.seed} is not listed: ${files.map((n) => n.entry.uri.fsPath).join(', ') || 'no workspace runbooks'}`,
    );
  });

  it('ignores the shell the workspace asks for (restricted setting)', () => {
    const config = vscode.workspace.getConfiguration(Settings.section);
    assert.equal(
      config.get<string>(Settings.shell),
      '',
      'the workspace .vscode/settings.json sets /bin/false',
    );
  });
});
