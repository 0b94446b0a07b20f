// "Runbook: Run Diagnostic...": a quick pick over every step of every runbook, fuzzy-searchable,
// with the section path as detail. Choosing a runnable step runs it; a manual step is revealed.
import * as vscode from 'vscode';
import { allSteps, type Step } from '../core/runbook/model';
import type { RunbookEntry, RunbookStore } from './runbook-store';
import type { RunController } from './run/run-controller';
import { Commands } from './ids';

interface StepPick extends vscode.QuickPickItem {
  entry: RunbookEntry;
  step: Step;
}

const ICONS: Record<Step['kind'], string> = {
  manual: 'checklist',
  command: 'terminal',
  query: 'database',
  script: 'file-code',
};

export async function pickDiagnostic(store: RunbookStore, controller: RunController): Promise<void> {
  const entries = await store.list();
  const items: StepPick[] = entries.flatMap((entry) =>
    allSteps(entry.runbook).map((step) => ({
      label: `$(${ICONS[step.kind]}) ${step.title}`,
      description: entry.runbook.title,
      detail: [...step.path, step.commands[0]?.text.split('\n')[0]].filter(Boolean).join(' › '),
      entry,
      step,
    })),
  );
  const pick = await vscode.window.showQuickPick(items, {
    placeHolder: 'Run a diagnostic: type to search every step of every runbook',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!pick) return;
  if (pick.step.kind === 'manual') {
    await vscode.commands.executeCommand(Commands.goToSource, pick.entry.uri, pick.step.line);
    return;
  }
  await controller.runStep(pick.entry, pick.step);
}
