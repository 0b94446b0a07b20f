// The folders a window's runs use, picked from what the window has open (history-folder.ts says why
// history is in global storage). The process registry sits beside the history, shared by every
// window on the same folders: each entry names the extension host that started it, and only
// entries whose owner is gone are stopped (core/run/orphans.ts), so a reopened window cleans up
// after a crashed one without touching another open window's runs.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { historyFolder, type WindowScope } from './history-folder';

export interface HistoryLocation {
  /** Run History: `<global storage>/history/<key>`. */
  history: string;
  /** Where history was kept before; moved into `history` once (migrateHistory). */
  legacy: string;
  /** The orphan ProcessRegistry's folder. */
  registry: string;
}

export function historyLocation(context: vscode.ExtensionContext): HistoryLocation {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const file = vscode.window.activeTextEditor?.document.uri;
  const scope: WindowScope = folders.length
    ? { folders: folders.map((f) => f.uri.toString()) }
    : file?.scheme === 'file'
      ? { file: file.toString() }
      : { none: true };
  const history = historyFolder(context.globalStorageUri.fsPath, scope);
  const legacy = join((context.storageUri ?? context.globalStorageUri).fsPath, 'history');
  return { history, legacy, registry: history };
}
