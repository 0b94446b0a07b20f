// One open profile editor: the page (webview/profile), the file read in a worker with progress in
// the status bar and in the page, cancellable from the page, and the page's requests (treemap
// levels, retainers, "open this frame's source") checked before anything acts on them.
// The loaded profile stays here while the editor is open, so a page that was hidden and comes
// back (VS Code drops hidden webviews) gets it again without reading the file twice.
import * as vscode from 'vscode';
import { realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { HostMessage, LoadPhase } from '../../../webview/profile/protocol';
import { renderPage, webviewOptions } from '../webview/page';
import { HeapSession } from './heap-session';
import { loadProfileFile, type Loaded, type WorkerFiles } from './load';
import { parsePageMessage, resolveSourcePath, type SourceFs } from './page-messages';

const STATE_KEY = 'runbookDebugger.profileViewer.state';
const PROGRESS_EVERY_MS = 100;

const realFs: SourceFs = {
  realFile(p) {
    try {
      return statSync(p).isFile() ? realpathSync(p) : undefined;
    } catch {
      return undefined;
    }
  },
  realDir(p) {
    try {
      return statSync(p).isDirectory() ? realpathSync(p) : undefined;
    } catch {
      return undefined;
    }
  },
};

export class ProfileEditor implements vscode.Disposable {
  private loaded: Loaded | undefined;
  private heap: HeapSession | undefined;
  private abort: AbortController | undefined;
  private failure: HostMessage | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly name: string;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly workers: WorkerFiles,
  ) {
    this.name = basename(uri.path);
    const webview = panel.webview;
    webview.options = webviewOptions(context.extensionUri);
    webview.html = renderPage(webview, context.extensionUri, { script: 'profile', title: this.name });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    this.abort?.abort();
    this.loaded = undefined;
    this.heap = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /**
   * Typed arrays inside a message go to the page as binary (VS Code does so for extensions that
   * target 1.57+), not as JSON; the host's copies stay usable for the next time the page asks.
   */
  private post(m: HostMessage): void {
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const r = parsePageMessage(raw, {
      objects: this.heap?.objects ?? 0,
      classes: this.heap?.analysis.classes.length ?? 0,
    });
    if (!r.ok) {
      console.warn(`profile viewer: ignored a message from the page: ${r.error}`);
      return;
    }
    const m = r.message;
    switch (m.type) {
      case 'ready':
        if (this.loaded) this.sendLoaded();
        else if (this.failure) this.post(this.failure);
        else if (!this.abort) void this.load();
        else this.post({ type: 'loading', file: this.name });
        break;
      case 'retry':
        if (!this.abort) void this.load();
        break;
      case 'cancel':
        this.abort?.abort();
        break;
      case 'openSource':
        await this.openSource(m.file, m.line, m.column);
        break;
      case 'treemap': {
        const level = this.heap?.treemap(m.node);
        if (level) this.post({ type: 'treemap', ...level });
        break;
      }
      case 'retainers':
        if (this.heap) {
          const note = this.heap.analysis.dominators
            ? undefined
            : 'Retainers need the dominator tree, which was not built for this dump.';
          this.post({
            type: 'retainers',
            classIndex: m.classIndex,
            retainers: this.heap.retainers(m.classIndex),
            ...(note ? { note } : {}),
          });
        }
        break;
      case 'saveState':
        await this.context.workspaceState.update(this.stateKey(), m.state);
        break;
    }
  }

  private stateKey(): string {
    return `${STATE_KEY}:${this.uri.toString()}`;
  }

  private savedState(): string | undefined {
    const s = this.context.workspaceState.get<unknown>(this.stateKey());
    return typeof s === 'string' ? s : undefined;
  }

  private async load(): Promise<void> {
    this.failure = undefined;
    if (this.uri.scheme !== 'file') {
      this.fail(
        'unreadable',
        `${this.name} is not a file on disk (${this.uri.scheme}:); save it to a folder first.`,
      );
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    let size: number | undefined;
    try {
      size = statSync(this.uri.fsPath).size;
    } catch {
      // the loader reports an unreadable file in its own words
    }
    this.post({ type: 'loading', file: this.name, ...(size !== undefined ? { size } : {}) });
    let last = 0;
    const progress = (phase: LoadPhase, bytesRead: number, totalBytes?: number): void => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && bytesRead !== totalBytes) return;
      last = now;
      this.post({ type: 'progress', phase, bytesRead, ...(totalBytes !== undefined ? { totalBytes } : {}) });
    };
    try {
      const loaded = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Reading profile ${this.name}` },
        () => loadProfileFile(this.uri.fsPath, this.workers, { signal: abort.signal, onProgress: progress }),
      );
      if (abort.signal.aborted) return;
      this.loaded = loaded;
      this.heap = loaded.kind === 'heap' ? new HeapSession(loaded.analysis) : undefined;
      this.sendLoaded();
    } catch (err) {
      const e = err as Error & { code?: string };
      this.fail(e.code ?? 'invalid', e.message);
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private fail(code: string, message: string): void {
    this.failure = { type: 'error', file: this.name, code, message };
    this.post(this.failure);
  }

  private sendLoaded(): void {
    const l = this.loaded;
    if (!l) return;
    const state = this.savedState();
    this.post({ type: 'progress', phase: 'transfer', bytesRead: 0 });
    if (l.kind === 'flame') {
      this.post({ type: 'flame', file: this.name, profile: l.profile, ...(state ? { state } : {}) });
    } else if (this.heap) {
      this.post({ type: 'heap', file: this.name, heap: this.heap.overview(), ...(state ? { state } : {}) });
    }
  }

  private async openSource(file: string, line: number, column: number): Promise<void> {
    const roots = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => f.uri.fsPath);
    const path = resolveSourcePath(file, roots, realFs);
    if (!path) {
      this.post({
        type: 'notice',
        message: roots.length
          ? `${file} is not a file in this workspace.`
          : `Open a folder to go to sources: ${file} can only be opened from inside a workspace folder.`,
      });
      return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const ln = Math.max(0, Math.min((line || 1) - 1, doc.lineCount - 1));
    const at = new vscode.Position(ln, Math.max(0, column - 1));
    await vscode.window.showTextDocument(doc, {
      viewColumn: vscode.ViewColumn.Beside,
      selection: new vscode.Range(at, at),
      preview: true,
    });
  }
}
