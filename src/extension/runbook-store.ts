// Finds the runbooks in the workspace (plus the bundled ones), parses them, and keeps them current:
// open editors are re-parsed (debounced) as the user types, files on disk through a watcher.
// Everything else (tree, CodeLens, outline, quick pick) reads from here, so each file is parsed once.
import * as vscode from 'vscode';
import { parseRunbook } from '../core/runbook/parse';
import { hasRunnableSteps, type Runbook } from '../core/runbook/model';
import { Settings } from './ids';

export interface RunbookEntry {
  readonly uri: vscode.Uri;
  readonly runbook: Runbook;
  readonly bundled: boolean;
  /** Parsed from this document version (open editors) or -1 (read from disk). */
  readonly version: number;
}

const EDIT_DEBOUNCE_MS = 300;

export class RunbookStore implements vscode.Disposable {
  private readonly entries = new Map<string, RunbookEntry>();
  /** Files the user asked to treat as runbooks even when no glob matches (e.g. a .txt guide). */
  private readonly pinned = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<RunbookEntry | undefined>();
  /** Fires with the entry that changed, or undefined when the whole list changed. */
  readonly onDidChange = this.changed.event;
  private scanning: Promise<void> | undefined;

  constructor(private readonly bundledFolder: vscode.Uri) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => this.scheduleParse(e.document)),
      vscode.workspace.onDidOpenTextDocument((d) => this.scheduleParse(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(Settings.section)) void this.rescan();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{md,markdown,txt}');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.consider(uri)),
      watcher.onDidChange((uri) => {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (!open || !open.isDirty) void this.consider(uri);
      }),
      watcher.onDidDelete((uri) => {
        if (this.entries.delete(uri.toString())) this.changed.fire(undefined);
      }),
    );
  }

  /** All runbooks, workspace ones first (by path), then bundled ones. Scans on first call. */
  async list(): Promise<RunbookEntry[]> {
    if (!this.scanning) this.scanning = this.scan();
    await this.scanning;
    return [...this.entries.values()].sort(
      (a, b) => Number(a.bundled) - Number(b.bundled) || a.uri.path.localeCompare(b.uri.path),
    );
  }

  get(uri: vscode.Uri): RunbookEntry | undefined {
    return this.entries.get(uri.toString());
  }

  /** Parse a document now (used by CodeLens and outline, which need the current text). */
  forDocument(doc: vscode.TextDocument): RunbookEntry | undefined {
    const key = doc.uri.toString();
    const known = this.entries.get(key);
    if (known && known.version === doc.version) return known;
    if (!known && !this.isCandidate(doc)) return undefined;
    return this.store(doc.uri, doc.getText(), doc.version, known?.bundled ?? false);
  }

  /** Treat a file as a runbook even if no glob matches it (the "Open as Runbook" command). */
  async pin(uri: vscode.Uri): Promise<RunbookEntry | undefined> {
    this.pinned.add(uri.toString());
    return this.consider(uri, true);
  }

  rescan(): Promise<void> {
    this.scanning = this.scan();
    return this.scanning;
  }

  private async scan(): Promise<void> {
    const config = vscode.workspace.getConfiguration(Settings.section);
    const globs = config.get<string[]>(Settings.runbookGlobs, ['**/*.md']);
    const exclude = config.get<string[]>(Settings.exclude, ['**/node_modules/**']);
    const excludeGlob = exclude.length ? `{${exclude.join(',')}}` : undefined;
    const found = new Map<string, vscode.Uri>();
    for (const glob of globs) {
      for (const uri of await vscode.workspace.findFiles(glob, excludeGlob, 5000))
        found.set(uri.toString(), uri);
    }
    const bundled = await this.bundledRunbooks();
    this.entries.clear();
    await Promise.all([
      ...[...found.values()].map((uri) => this.consider(uri, false, false)),
      ...bundled.map((uri) => this.consider(uri, true, false, true)),
      ...[...this.pinned].map((u) => this.consider(vscode.Uri.parse(u), true, false)),
    ]);
    this.changed.fire(undefined);
  }

  private async bundledRunbooks(): Promise<vscode.Uri[]> {
    try {
      const children = await vscode.workspace.fs.readDirectory(this.bundledFolder);
      return children
        .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.md'))
        .map(([name]) => vscode.Uri.joinPath(this.bundledFolder, name));
    } catch {
      return [];
    }
  }

  /**
   * An open document joins the list when it is Markdown with runnable steps (checked by store()),
   * or when the user pinned it. Dependencies' docs never do.
   */
  private isCandidate(doc: Pick<vscode.TextDocument, 'uri' | 'languageId'>): boolean {
    if (this.pinned.has(doc.uri.toString())) return true;
    return doc.languageId === 'markdown' && !/\/(node_modules|\.git)\//.test(doc.uri.path);
  }

  private async consider(
    uri: vscode.Uri,
    force = false,
    notify = true,
    bundled = false,
  ): Promise<RunbookEntry | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
    const entry = this.store(uri, text, open ? open.version : -1, bundled, force);
    if (notify) this.changed.fire(entry);
    return entry;
  }

  private store(
    uri: vscode.Uri,
    text: string,
    version: number,
    bundled: boolean,
    force = false,
  ): RunbookEntry | undefined {
    const key = uri.toString();
    const runbook = parseRunbook(text, { fileName: uri.path.split('/').pop() ?? '' });
    if (!force && !bundled && !this.pinned.has(key) && !hasRunnableSteps(runbook)) {
      this.entries.delete(key);
      return undefined;
    }
    const entry: RunbookEntry = { uri, runbook, bundled, version };
    this.entries.set(key, entry);
    return entry;
  }

  private scheduleParse(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote')
      return;
    if (!this.entries.has(key) && !this.isCandidate(doc)) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        const had = this.entries.has(key);
        const entry = this.store(
          doc.uri,
          doc.getText(),
          doc.version,
          this.entries.get(key)?.bundled ?? false,
        );
        if (entry || had) this.changed.fire(had && entry ? entry : undefined);
      }, EDIT_DEBOUNCE_MS),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
