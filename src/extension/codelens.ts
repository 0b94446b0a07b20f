// CodeLens above each step in a runbook: "Run step" (and "Run" on each command of multi-command steps).
import * as vscode from 'vscode';
import { allSteps } from '../core/runbook/model';
import type { RunbookStore } from './runbook-store';
import { Commands } from './ids';

export class RunbookCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly store: RunbookStore) {
    store.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const entry = this.store.forDocument(doc);
    if (!entry) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const step of allSteps(entry.runbook)) {
      if (step.kind === 'manual') continue;
      const at = new vscode.Range(step.line - 1, 0, step.line - 1, 0);
      const writes = step.commands.some((c) => c.effect === 'write');
      lenses.push(
        new vscode.CodeLens(at, {
          title: `$(play) Run step${writes ? ' (asks first: writes)' : ''}`,
          tooltip: `Run "${step.title}"`,
          command: Commands.runStep,
          arguments: [{ uri: doc.uri, stepId: step.id }],
        }),
      );
      if (step.commands.length > 1) {
        for (const [index, command] of step.commands.entries()) {
          if (command.line === step.line) continue;
          const range = new vscode.Range(command.line - 1, 0, command.line - 1, 0);
          lenses.push(
            new vscode.CodeLens(range, {
              title: command.effect === 'write' ? '$(warning) Run (write)' : '$(play) Run',
              tooltip: command.text,
              command: Commands.runCommand,
              arguments: [{ uri: doc.uri, stepId: step.id, commandIndex: index }],
            }),
          );
        }
      }
    }
    return lenses;
  }
}
