// A status-bar item while runs are active: "$(loading~spin) 2 runbook runs"; click to cancel.
import * as vscode from 'vscode';
import type { RunController } from './run-controller';
import { Commands } from '../ids';
import { literal } from './prompts';

export function runStatusBar(controller: RunController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('runbookDebugger.runs', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Runbook runs';
  item.command = Commands.cancelRun;
  const update = (): void => {
    const active = controller.active();
    if (!active.length) return item.hide();
    // A step title is the author's text: `$(...)` in it is not an icon.
    item.text = `$(loading~spin) ${active.length === 1 ? literal(active[0]!.title) : `${active.length} runbook runs`}`;
    item.tooltip = `Running: ${active.map((a) => a.title).join(', ')}\nClick to cancel`;
    item.show();
  };
  const sub = controller.onDidChangeState(update);
  return vscode.Disposable.from(item, sub);
}

export async function cancelRunPicker(controller: RunController, runId?: string): Promise<void> {
  if (typeof runId === 'string') return controller.cancel(runId);
  const active = controller.active();
  if (!active.length) {
    void vscode.window.showInformationMessage('No runbook run is in progress.');
    return;
  }
  if (active.length === 1) return controller.cancel(active[0]!.handle.id);
  const all = { label: '$(stop) Cancel all runs', id: '*' };
  const pick = await vscode.window.showQuickPick(
    [all, ...active.map((a) => ({ label: a.title, description: a.entry.runbook.title, id: a.handle.id }))],
    { placeHolder: 'Cancel which run?' },
  );
  if (!pick) return;
  if (pick.id === '*') controller.cancelAll();
  else controller.cancel(pick.id);
}
