// Activation: wire the core to VS Code. Everything here is glue; logic lives in src/core.
import * as vscode from 'vscode';
import { allSteps, type Section, type Step } from '../core/runbook/model';
import type { HistoryRecord } from '../core/run/history';
import type { VariableEntry } from '../core/run/variables';
import { RunbookStore, type RunbookEntry } from './runbook-store';
import { RunbooksTreeProvider, type RunbookNode } from './runbooks-tree';
import { RunbookCodeLensProvider } from './codelens';
import { RunbookSymbolProvider } from './outline';
import { pickDiagnostic } from './run-diagnostic';
import { RunController } from './run/run-controller';
import { historyLocation } from './run/history-location';
import { OutputPanel } from './run/output-panel';
import { HistoryTreeProvider } from './run/history-view';
import { VariablesTreeProvider, editVariable } from './run/variables-view';
import { cancelRunPicker, runStatusBar } from './run/status-bar';
import { setDatabasePassword } from './run/prompts';
import { Commands, Views } from './ids';
import type { RunbookDebuggerApi } from './api';
import { registerProfileViewer } from './profile/register';
import { openCapturedProfiles } from './run/captured-profiles';
import { registerResultsView } from './results/results-panel';
import { registerIncidentReport } from './report';
import { registerGettingStarted } from './getting-started';

const RUNBOOK_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'markdown', scheme: 'file' },
  { language: 'markdown', scheme: 'untitled' },
  { language: 'plaintext', scheme: 'file' },
];

/** A step as CodeLens and API callers name it. */
interface StepRef {
  uri: vscode.Uri;
  stepId: string;
  commandIndex?: number;
}

export function activate(context: vscode.ExtensionContext): RunbookDebuggerApi {
  const bundledFolder = vscode.Uri.joinPath(context.extensionUri, 'runbooks');
  const store = new RunbookStore(bundledFolder);
  const controller = new RunController(context, historyLocation(context));
  const tree = new RunbooksTreeProvider(store, context.workspaceState, (e, id) => controller.stateOf(e, id));
  const view = vscode.window.createTreeView<RunbookNode>(Views.runbooks, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const output = new OutputPanel(context.extensionUri, controller);
  const history = new HistoryTreeProvider(controller.history);
  void controller.historyReady.then(() => history.refresh());
  const variables = new VariablesTreeProvider(controller.variables);

  /** Resolve a step from a tree node or a {uri, stepId} reference. */
  const stepOf = async (
    arg: RunbookNode | StepRef | undefined,
  ): Promise<{ entry: RunbookEntry; step: Step; commandIndex?: number } | undefined> => {
    if (!arg || typeof arg !== 'object') return undefined;
    if ('kind' in arg && (arg.kind === 'step' || arg.kind === 'command')) {
      return {
        entry: arg.entry,
        step: arg.step,
        ...(arg.kind === 'command' ? { commandIndex: arg.index } : {}),
      };
    }
    if ('uri' in arg && 'stepId' in arg) {
      const uri = asUri(arg.uri);
      if (!uri) return undefined;
      // Nothing may have listed the runbooks yet (the Runbooks view never opened, a scan in
      // progress): wait for the scan before saying the step does not exist.
      let entry = store.get(uri);
      if (!entry) {
        await store.list();
        entry = store.get(uri);
      }
      const step = entry && allSteps(entry.runbook).find((s) => s.id === arg.stepId);
      if (entry && step)
        return { entry, step, ...(arg.commandIndex !== undefined ? { commandIndex: arg.commandIndex } : {}) };
    }
    return undefined;
  };
  const notFound = (): void =>
    void vscode.window.showErrorMessage(
      'That step no longer exists in its runbook. Refresh the Runbooks view.',
    );

  context.subscriptions.push(
    store,
    tree,
    view,
    controller,
    output,
    variables,
    runStatusBar(controller),
    vscode.window.createTreeView(Views.history, { treeDataProvider: history }),
    vscode.window.createTreeView(Views.variables, { treeDataProvider: variables }),
    controller.onDidChangeState(() => tree.refresh()),
    controller.onRunEvent(({ event }) => event.type === 'run-end' && history.refresh()),
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
    vscode.commands.registerCommand(Commands.runDiagnostic, () => pickDiagnostic(store, controller)),
    vscode.commands.registerCommand(Commands.runStep, async (arg?: RunbookNode | StepRef) => {
      const s = await stepOf(arg);
      if (!s) return notFound();
      return controller.runStep(s.entry, s.step);
    }),
    vscode.commands.registerCommand(Commands.runCommand, async (arg?: RunbookNode | StepRef) => {
      const s = await stepOf(arg);
      if (!s) return notFound();
      return controller.runStep(s.entry, s.step, s.commandIndex);
    }),
    vscode.commands.registerCommand(Commands.runSection, async (node?: RunbookNode) => {
      if (node?.kind !== 'section') return notFound();
      return controller.runSection(node.entry, node.section as Section);
    }),
    vscode.commands.registerCommand(Commands.runRunbook, async (node?: RunbookNode) => {
      if (node?.kind !== 'runbook') return notFound();
      return controller.runRunbook(node.entry);
    }),
    vscode.commands.registerCommand(Commands.cancelRun, (runId?: string) =>
      cancelRunPicker(controller, runId),
    ),
    vscode.commands.registerCommand(Commands.showOutput, (runId?: string) =>
      output.show(typeof runId === 'string' ? runId : undefined),
    ),
    vscode.commands.registerCommand(Commands.showHistoryRun, (records: HistoryRecord[]) =>
      output.showHistoryRun(records),
    ),
    vscode.commands.registerCommand(Commands.refreshHistory, () => history.refresh()),
    vscode.commands.registerCommand(Commands.setDatabasePassword, () => setDatabasePassword(context.secrets)),
    vscode.commands.registerCommand(Commands.addVariable, () => editVariable(controller.variables)),
    vscode.commands.registerCommand(Commands.editVariable, (v?: VariableEntry) =>
      editVariable(controller.variables, v),
    ),
    vscode.commands.registerCommand(
      Commands.deleteVariable,
      (v?: VariableEntry) => v && controller.variables.delete(v.name),
    ),
    vscode.commands.registerCommand(Commands.clearVariables, () => controller.variables.clear()),
  );

  const profiles = registerProfileViewer(context);
  context.subscriptions.push(openCapturedProfiles(controller, profiles.openProfile));
  registerResultsView(context, controller);
  registerIncidentReport(context, controller.history);
  registerGettingStarted(context);
  return { version: 1, store, tree, controller };
}

/** A Uri, also from its JSON form (a `command:` link's arguments). */
function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  try {
    return vscode.Uri.from(value as { scheme: string; path?: string });
  } catch {
    return undefined;
  }
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
  // Disposables in context.subscriptions are released by VS Code; RunController stops live runs.
}
