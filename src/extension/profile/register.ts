// The profile viewer's registration: a read-only custom editor under two view types (the default
// editor for profile formats VS Code cannot show, an "Open With..." option for generic .json, .txt,
// .svg and .json.gz files), the "Runbook: Open as Profile" command for any file, and openProfile()
// for the runner's glue to show a profile a step produced.
import * as vscode from 'vscode';
import { Commands, ProfileEditors } from '../ids';
import { ProfileEditor } from './editor';
import type { WorkerFiles } from './load';

class ProfileDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // Nothing held per document: each editor owns what it loaded.
  }
}

class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly workers: WorkerFiles,
  ) {}

  openCustomDocument(uri: vscode.Uri): ProfileDocument {
    return new ProfileDocument(uri);
  }

  resolveCustomEditor(document: ProfileDocument, panel: vscode.WebviewPanel): void {
    const editor = new ProfileEditor(document.uri, panel, this.context, this.workers);
    panel.onDidDispose(() => editor.dispose());
  }
}

/** Opens `uri` in the profile viewer, whatever its name (the format is recognised by content). */
export async function openProfile(
  uri: vscode.Uri,
  options: { viewColumn?: vscode.ViewColumn; preserveFocus?: boolean } = {},
): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', uri, ProfileEditors.main, {
    viewColumn: options.viewColumn ?? vscode.ViewColumn.Active,
    preserveFocus: options.preserveFocus ?? false,
    preview: false,
  });
}

function activeResource(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

export function registerProfileViewer(context: vscode.ExtensionContext): { openProfile: typeof openProfile } {
  const workers: WorkerFiles = {
    flame: vscode.Uri.joinPath(context.extensionUri, 'dist', 'profile-worker.js').fsPath,
    heap: vscode.Uri.joinPath(context.extensionUri, 'dist', 'heap-worker.js').fsPath,
  };
  const provider = new ProfileEditorProvider(context, workers);
  const options = { supportsMultipleEditorsPerDocument: true };
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(ProfileEditors.main, provider, options),
    vscode.window.registerCustomEditorProvider(ProfileEditors.option, provider, options),
    vscode.commands.registerCommand(Commands.openAsProfile, async (uri?: vscode.Uri) => {
      let target = uri instanceof vscode.Uri ? uri : activeResource();
      if (!target) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: 'Open as Profile',
          title: 'Open a profile or heap dump',
        });
        target = picked?.[0];
      }
      if (target) await openProfile(target);
    }),
  );
  return { openProfile };
}
