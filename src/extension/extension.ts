// Activation: wire the core to VS Code. Everything here is glue; logic lives in src/core.
import * as vscode from 'vscode';
import { RunbookStore } from './runbook-store';
import { RunbooksTreeProvider, type RunbookNode } from './runbooks-tree';
import { RunbookCodeLensProvider } from './codelens';
import { RunbookSymbolProvider } from './outline';
import { pickDiagnostic } from './run-diagnostic';
import { Commands, Views } from './ids';
import type { RunbookDebuggerApi } from './api';

const RUNBOOK_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'markdown', scheme: 'file' },
  { language: 'markdown', scheme: 'untitled' },
  { language: 'plaintext', scheme: 'file' },
];

export function activate(context: vscode.ExtensionContext): RunbookDebuggerApi {
  const bundledFolder = vscode.Uri.joinPath(context.extensionUri, 'runbooks');
  const store = new RunbookStore(bundledFolder);
  const tree = new RunbooksTreeProvider(store, context.workspaceState);
  const view = vscode.window.createTreeView<RunbookNode>(Views.runbooks, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });

  context.subscriptions.push(
    store,
    tree,
    view,
    view.onDidChangeCheckboxState(async (e) => {
      for (const [node, state] of e.items)
        await tree.setChecked(node, state === vscode.TreeItemCheckboxState.Checked);
    }),
    vscode.languages.registerCodeLensProvider(RUNBOOK_DOCUMENTS, new RunbookCodeLensProvider(store)),
    vscode.languages.registerDocumentSymbolProvider(RUNBOOK_DOCUMENTS, new RunbookSymbolProvider(store), {
      label: 'Runbook',
    }),
    vscode.commands.registerCommand(Commands.refresh, () => store.rescan()),
    vscode.commands.registerCommand(Commands.goToSource, goToSource),
    vscode.commands.registerCommand(Commands.openAsRunbook, async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage(
          'Open a Markdown or text file first, then run "Open as Runbook".',
        );
        return;
      }
      const entry = await store.pin(target);
      if (entry) await vscode.commands.executeCommand(`${Views.runbooks}.focus`);
    }),
    vscode.commands.registerCommand(Commands.openBundledRunbook, async () => {
      const bundled = (await store.list()).filter((e) => e.bundled);
      const pick = await vscode.window.showQuickPick(
        bundled.map((e) => ({ label: e.runbook.title, description: e.uri.path.split('/').pop(), entry: e })),
        { placeHolder: 'Open a bundled runbook' },
      );
      if (pick) await vscode.window.showTextDocument(pick.entry.uri, { preview: false });
    }),
    vscode.commands.registerCommand(Commands.runDiagnostic, () => pickDiagnostic(store)),
  );

  return { version: 1, store, tree };
}

async function goToSource(uri: vscode.Uri, line = 1): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const at = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
  await vscode.window.showTextDocument(doc, {
    selection: new vscode.Range(at, at),
    preserveFocus: false,
    preview: true,
  });
}

export function deactivate(): void {
  // Disposables in context.subscriptions are released by VS Code.
}
