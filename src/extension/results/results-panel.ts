// Host side of the Runbook Results view (webview/results): follows every run, and when one ends with
// recognized output it opens beside the editor without taking the focus. "Runbook: Show Results"
// opens it on a run (the newest with results when none is named). Every message from the page is
// validated before use; the page gets data by message, never in the HTML.
import * as vscode from 'vscode';
import { validateMessage } from '../../../webview/shared/validate';
import { pageMessages, type HostMessage } from '../../../webview/results/protocol';
import { Commands } from '../ids';
import type { RunController } from '../run/run-controller';
import { renderPage, webviewOptions } from '../webview/page';
import { ResultsModel } from './results-model';

const VIEW_TYPE = 'runbookDebugger.results';
/** The Runbook Output panel's view type (run/output-panel.ts). */
const OUTPUT_VIEW_TYPE = 'runbookDebugger.output';
/** Live runs post at most this often while commands finish. */
const POST_MS = 100;

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly model = new ResultsModel();
  /** Runbook file of each run, for links to a cause's line. */
  private readonly sources = new Map<string, vscode.Uri>();
  private selected: string | undefined;
  private postTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    controller: RunController,
  ) {
    this.disposables.push(
      controller.onDidStartRun((info) => {
        this.model.start(info.handle.id, info.title, info.entry.runbook.title, info.startedAt);
        this.sources.set(info.handle.id, info.entry.uri);
        if (this.panel) this.postRuns();
      }),
      controller.onRunEvent(({ event }) => {
        const t = this.model.apply(event);
        if (!t) return;
        if (event.type === 'run-end') {
          for (const id of this.sources.keys()) if (!this.model.get(id)) this.sources.delete(id);
          // A run that recognized something opens the view on itself; others only refresh it.
          if (t.recognized && !this.panel)
            void outputColumnSoon().then((column) => this.show(t.run.id, true, column));
          else if (t.recognized) this.show(t.run.id, true);
          else if (this.panel) this.postRuns();
        } else if (this.panel && this.selected === t.run.id) this.schedulePost();
      }),
    );
  }

  /** Opens (or reveals) the view on a run: the named one, else the newest with results. */
  show(runId?: string, preserveFocus = false, column?: vscode.ViewColumn): void {
    const chosen = (runId && this.model.get(runId)) || (!runId ? this.model.latest() : undefined);
    if (chosen) this.selected = chosen.run.id;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'Runbook Results',
        { viewColumn: column ?? outputColumn() ?? vscode.ViewColumn.Beside, preserveFocus },
        webviewOptions(this.extensionUri),
      );
      this.panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'runbooks.svg');
      this.panel.webview.html = renderPage(this.panel.webview, this.extensionUri, {
        script: 'results',
        title: 'Runbook Results',
      });
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.disposables);
      this.panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
    } else {
      this.panel.reveal(undefined, preserveFocus);
      this.postAll();
    }
    if (runId && !chosen)
      void vscode.window.showInformationMessage('That run is no longer kept in the Results view.');
  }

  private onMessage(raw: unknown): void {
    const checked = validateMessage(pageMessages, raw);
    if (!checked.ok) {
      console.warn(`Runbook Results: ignored a message from the page: ${checked.error}`);
      return;
    }
    const msg = checked.message;
    switch (msg.type) {
      case 'ready':
        this.postAll();
        break;
      case 'select':
        if (!this.model.get(msg.runId)) return;
        this.selected = msg.runId;
        this.postRun();
        break;
      case 'showOutput':
        if (this.model.get(msg.runId)) void vscode.commands.executeCommand(Commands.showOutput, msg.runId);
        break;
      case 'openSource': {
        const uri = this.sources.get(msg.runId);
        if (uri && Number.isInteger(msg.line) && msg.line > 0)
          void vscode.commands.executeCommand(Commands.goToSource, uri, msg.line);
        break;
      }
    }
  }

  private schedulePost(): void {
    this.postTimer ??= setTimeout(() => {
      this.postTimer = undefined;
      this.postAll();
    }, POST_MS);
  }

  private postAll(): void {
    this.postRuns();
    this.postRun();
  }

  private postRuns(): void {
    this.post({
      type: 'runs',
      runs: this.model.list(),
      ...(this.selected ? { selected: this.selected } : {}),
    });
  }

  private postRun(): void {
    const t = this.selected ? this.model.get(this.selected) : undefined;
    if (t) this.post({ type: 'run', run: t.run });
    else
      this.post({
        type: 'empty',
        message:
          'No results yet. Run a step from the Runbooks view: when its output is recognized (kubectl, docker, nvidia-smi, PostgreSQL, EXPLAIN, free, df, ps, JVM tools, ...), its tables, charts and findings show here.',
      });
  }

  private post(msg: HostMessage): void {
    void this.panel?.webview.postMessage(msg);
  }

  dispose(): void {
    clearTimeout(this.postTimer);
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/**
 * The editor group showing the Runbook Output panel, if any: results open there, as a tab over the
 * raw output ("Show raw output" brings it back), rather than squeezing in a third column.
 */
function outputColumn(): vscode.ViewColumn | undefined {
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs)
      if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(OUTPUT_VIEW_TYPE))
        return group.viewColumn;
  return undefined;
}

/**
 * The Output panel opens when a run starts; a run of a few milliseconds can end before its tab
 * reaches this side's tab model, so wait a moment for it.
 */
function outputColumnSoon(waitMs = 1000): Promise<vscode.ViewColumn | undefined> {
  const now = outputColumn();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = (column: vscode.ViewColumn | undefined): void => {
      clearTimeout(timer);
      sub.dispose();
      resolve(column);
    };
    const timer = setTimeout(() => done(undefined), waitMs);
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const column = outputColumn();
      if (column !== undefined) done(column);
    });
  });
}

export function registerResultsView(
  context: vscode.ExtensionContext,
  controller: RunController,
): ResultsPanel {
  const panel = new ResultsPanel(context.extensionUri, controller);
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand(Commands.showResults, (runId?: unknown) =>
      panel.show(typeof runId === 'string' ? runId : undefined),
    ),
  );
  return panel;
}
