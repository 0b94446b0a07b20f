// Outline of a runbook in the editor: sections (including `=== X ===` and `**Bold**` pseudo-headings
// and labelled groups that VS Code's Markdown outline does not see) with their steps.
import * as vscode from 'vscode';
import type { Section, Step } from '../core/runbook/model';
import type { RunbookStore } from './runbook-store';

export class RunbookSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly store: RunbookStore) {}

  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    const entry = this.store.forDocument(doc);
    if (!entry) return [];
    const lastLine = doc.lineCount;
    const stepSymbol = (step: Step): vscode.DocumentSymbol =>
      new vscode.DocumentSymbol(
        step.title,
        step.kind,
        step.kind === 'manual' ? vscode.SymbolKind.Event : vscode.SymbolKind.Function,
        range(step.line, step.endLine, lastLine),
        range(step.line, step.line, lastLine),
      );
    const sectionSymbol = (section: Section): vscode.DocumentSymbol => {
      const sym = new vscode.DocumentSymbol(
        section.title,
        '',
        section.origin === 'label' ? vscode.SymbolKind.Field : vscode.SymbolKind.Namespace,
        range(section.line, section.endLine, lastLine),
        range(section.line, section.line, lastLine),
      );
      sym.children = [...section.steps.map(stepSymbol), ...section.sections.map(sectionSymbol)].sort(
        (a, b) => a.range.start.line - b.range.start.line,
      );
      return sym;
    };
    return [...entry.runbook.steps.map(stepSymbol), ...entry.runbook.sections.map(sectionSymbol)];
  }
}

function range(from: number, to: number, lastLine: number): vscode.Range {
  const start = Math.max(0, Math.min(from, lastLine) - 1);
  const end = Math.max(start, Math.min(to, lastLine) - 1);
  return new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER);
}
