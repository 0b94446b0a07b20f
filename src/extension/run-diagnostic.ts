// "Runbook: Run Diagnostic...": a quick pick over every step of every runbook.
// Until the runner lands, choosing a step reveals it in its runbook.
import * as vscode from 'vscode';
import { allSteps, type Step } from '../core/runbook/model';
import type { RunbookEntry, RunbookStore } from './runbook-store';
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

export interface StepTarget {
  uri: vscode.Uri;
  stepId: string;
  commandIndex?: number;
}

export async function pickDiagnostic(store: RunbookStore, target?: StepTarget): Promise<void> {
  if (target) {
    const entry = store.get(target.uri);
    const step = entry && allSteps(entry.runbook).find((s) => s.id === target.stepId);
    if (entry && step) return reveal(entry, step, target.commandIndex);
  }
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
  if (pick) await reveal(pick.entry, pick.step);
}

async function reveal(entry: RunbookEntry, step: Step, commandIndex?: number): Promise<void> {
  const line = commandIndex !== undefined ? (step.commands[commandIndex]?.line ?? step.line) : step.line;
  await vscode.commands.executeCommand(Commands.goToSource, entry.uri, line);
}
