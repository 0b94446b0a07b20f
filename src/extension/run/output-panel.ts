// Host side of the Runbook Output panel (webview/output): one entry per run, output streamed live,
// finished runs reopened from the history folder. The page gets text by message, never in the HTML.
import * as vscode from 'vscode';
import { RingBuffer } from '../../core/run/ring-buffer';
import type { HistoryRecord } from '../../core/run/history';
import type { RunEvent } from '../../core/run/runner';
import { validateMessage } from '../../../webview/shared/validate';
import {
  pageMessages,
  type HostMessage,
  type RunStatus,
  type RunSummary,
} from '../../../webview/output/protocol';
import { renderPage, webviewOptions } from '../webview/page';
import type { RunController, RunInfo } from './run-controller';

/** Characters of one run's output kept for display; the full output is in the history folder. */
const DISPLAY_CHARS = 1_000_000;
const MAX_RUNS = 200;
const FLUSH_MS = 50;

interface RunView {
  summary: RunSummary;
  text: RingBuffer;
  /** History records of this run's commands (for "Open full output"). */
  files: string[];
  /** Commands that started (`stepId#index`): one that ends without starting was refused or stopped early. */
  started: Set<string>;
}

export class OutputPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly views = new Map<string, RunView>();
  private selected: string | undefined;
  private pending = '';
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: RunController,
  ) {
    this.disposables.push(
      controller.onDidStartRun((info) => {
        this.track(info);
        this.show(info.handle.id, true);
      }),
      controller.onRunEvent(({ info, event }) => this.onEvent(info, event)),
    );
  }

  /** Open the panel on a run (a live one, or one from history). */
  show(runId?: string, preserveFocus = false): void {
    if (runId) this.selected = runId;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'runbookDebugger.output',
        'Runbook Output',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        webviewOptions(this.extensionUri),
      );
      this.panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'runbooks.svg');
      this.panel.webview.html = renderPage(this.panel.webview, this.extensionUri, {
        script: 'output',
        title: 'Runbook Output',
      });
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.disposables);
      this.panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
    } else {
      this.panel.reveal(undefined, preserveFocus);
      this.postRuns();
      if (this.selected) this.postOutput(this.selected);
    }
  }

  /** Reopen a finished run from its history records. */
  async showHistoryRun(records: HistoryRecord[]): Promise<void> {
    const first = records[0];
    if (!first) return;
    const runId = first.runId;
    if (!this.views.has(runId)) {
      const text = new RingBuffer(DISPLAY_CHARS);
      for (const rec of [...records].sort(
        (a, b) => a.commandIndex - b.commandIndex || a.startedAt.localeCompare(b.startedAt),
      )) {
        text.push(`$ ${rec.command}\n`);
        text.push(await this.controller.history.readOutput(rec));
        if (rec.message) text.push(`\n[${rec.message}]\n`);
      }
      const worst = records.find((r) => r.status !== 'ok') ?? first;
      this.views.set(runId, {
        summary: {
          id: runId,
          title: first.stepTitle,
          runbook: first.runbookTitle ?? first.runbook,
          command: records.map((r) => r.command).join('\n'),
          status: worst.status === 'output-limit' || worst.status === 'error' ? 'failed' : worst.status,
          startedAt: Date.parse(first.startedAt),
          durationMs: records.reduce((n, r) => n + r.durationMs, 0),
          ...(worst.exitCode !== null ? { exitCode: worst.exitCode } : {}),
          ...(worst.message ? { message: worst.message } : {}),
        },
        text,
        files: records.map((r) => r.id),
        started: new Set(),
      });
    }
    this.show(runId);
  }

  private track(info: RunInfo): void {
    this.views.set(info.handle.id, {
      summary: {
        id: info.handle.id,
        title: info.title,
        runbook: info.entry.runbook.title,
        command: '',
        status: 'running',
        startedAt: info.startedAt,
      },
      text: new RingBuffer(DISPLAY_CHARS),
      files: [],
      started: new Set(),
    });
    while (this.views.size > MAX_RUNS) {
      const oldest = this.views.keys().next().value as string;
      this.views.delete(oldest);
    }
  }

  private onEvent(info: RunInfo, event: RunEvent): void {
    const view = this.views.get(info.handle.id);
    if (!view) return;
    switch (event.type) {
      case 'command-start': {
        view.started.add(`${event.stepId}#${event.index}`);
        this.addCommand(view, event.text);
        this.append(view, `$ ${event.text}\n`);
        this.postRuns();
        break;
      }
      case 'output':
        this.append(view, event.chunk.text);
        break;
      case 'command-end': {
        const r = event.result;
        // Refused at the confirmation (or stopped before it started): still say which command.
        if (!view.started.has(`${event.stepId}#${r.index}`)) this.addCommand(view, r.text);
        if (r.historyId) view.files.push(r.historyId);
        if (r.kind === 'query' && r.output)
          this.append(view, r.output.endsWith('\n') ? r.output : `${r.output}\n`);
        if (r.message) this.append(view, `\n[${r.message}]\n`);
        if (r.exitCode !== null) view.summary.exitCode = r.exitCode;
        break;
      }
      case 'variable':
        this.append(view, `[set ${event.name}]\n`);
        break;
      case 'run-end': {
        const r = event.result;
        view.summary.status = toRunStatus(r.status);
        view.summary.durationMs = Date.now() - view.summary.startedAt;
        const message = r.steps.map((s) => s.message).find(Boolean);
        if (message) view.summary.message = message;
        this.postRuns();
        break;
      }
      default:
        break;
    }
  }

  private addCommand(view: RunView, text: string): void {
    view.summary.command = view.summary.command ? `${view.summary.command}\n${text}` : text;
  }

  private append(view: RunView, text: string): void {
    view.text.push(text);
    if (!this.panel || this.selected !== view.summary.id) return;
    // Batch chunks: a command printing thousands of lines a second sends ~20 messages a second.
    this.pending += text;
    if (this.pending.length > DISPLAY_CHARS) this.pending = this.pending.slice(-DISPLAY_CHARS);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.pending && this.selected)
      this.post({ type: 'append', runId: this.selected, text: this.pending });
    this.pending = '';
  }

  private onMessage(raw: unknown): void {
    const checked = validateMessage(pageMessages, raw);
    if (!checked.ok) {
      console.warn(`Runbook Output: ignored a message from the page: ${checked.error}`);
      return;
    }
    const msg = checked.message;
    switch (msg.type) {
      case 'ready':
        this.postRuns();
        if (this.selected) this.postOutput(this.selected);
        break;
      case 'select':
        if (!this.views.has(msg.runId)) return;
        this.selected = msg.runId;
        this.postOutput(msg.runId);
        break;
      case 'cancel':
        this.controller.cancel(msg.runId);
        break;
      case 'copy': {
        const view = this.views.get(msg.runId);
        if (view)
          void vscode.env.clipboard
            .writeText(view.text.toString())
            .then(() => vscode.window.setStatusBarMessage('Output copied', 2000));
        break;
      }
      case 'openFile': {
        const view = this.views.get(msg.runId);
        const id = view?.files[view.files.length - 1];
        if (id)
          void vscode.window.showTextDocument(vscode.Uri.file(this.controller.history.outputPath(id)), {
            preview: true,
          });
        else void vscode.window.showInformationMessage('This run has no stored output file.');
        break;
      }
    }
  }

  private postRuns(): void {
    const runs = [...this.views.values()].map((v) => v.summary).sort((a, b) => b.startedAt - a.startedAt);
    this.post({ type: 'runs', runs, ...(this.selected ? { selected: this.selected } : {}) });
  }

  private postOutput(runId: string): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = '';
    const view = this.views.get(runId);
    if (!view) return;
    this.post({
      type: 'output',
      runId,
      text: view.text.toString(),
      reset: true,
      truncated: view.text.dropped > 0,
    });
  }

  private post(msg: HostMessage): void {
    void this.panel?.webview.postMessage(msg);
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function toRunStatus(s: string): RunStatus {
  if (s === 'output-limit' || s === 'error') return 'failed';
  return s as RunStatus;
}
