// The folders a window's runs use, picked from what the window has open (history-folder.ts says why
// history is in global storage). The process registry stays per window, in workspace storage: a
// window only ever stops process groups its own earlier session left behind.
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
  // No workspace storage (no folder open): the registry goes with the history of what is open.
  return { history, legacy, registry: context.storageUri ? legacy : history };
}
