// "Runbook: Export Incident Report...": pick runs from history (the last hour's preselected), add
// an optional note per step, and get the Markdown report in an untitled editor, with Save As and
// a preview offered. "Add Note..." on a Run History run keeps a note for the next export.
// The report itself is built by src/core/report; this file is only the VS Code conversation.
import * as vscode from 'vscode';
import type { HistoryRecord, HistoryStore } from '../core/run/history';
import { Masker } from '../core/run/mask';
import { gatherReportInputs } from '../core/report/gather';
import { buildIncidentReport } from '../core/report/incident-report';
import { stepKey } from '../core/report/model';
import { describeRun, summarizeRuns } from '../core/report/select';
import { Commands } from './ids';

const NOTES_KEY = 'runbookDebugger.reportNotes';
/** Notes kept per workspace; the oldest go first past this many. */
const MAX_NOTES = 500;
const RECENT_MS = 60 * 60 * 1000;

/** What a Run History item hands to its context-menu commands. */
interface HistoryRunNode {
  kind: 'run';
  records: HistoryRecord[];
}

interface RunPick extends vscode.QuickPickItem {
  runId: string;
}

const isRunNode = (x: unknown): x is HistoryRunNode =>
  typeof x === 'object' &&
  x !== null &&
  (x as HistoryRunNode).kind === 'run' &&
  Array.isArray((x as HistoryRunNode).records);

function storedNotes(state: vscode.Memento): Record<string, string> {
  const v = state.get<unknown>(NOTES_KEY);
  return v && typeof v === 'object' ? { ...(v as Record<string, string>) } : {};
}

async function saveNote(state: vscode.Memento, key: string, text: string): Promise<void> {
  const notes = storedNotes(state);
  delete notes[key];
  if (text.trim()) notes[key] = text.trim();
  const keys = Object.keys(notes);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_NOTES))) delete notes[k];
  await state.update(NOTES_KEY, notes);
}

/** The step runs of some records, in the order they ran: key and title. */
function stepRuns(records: readonly HistoryRecord[]): { key: string; title: string; runbook: string }[] {
  const seen = new Map<string, { key: string; title: string; runbook: string; at: string }>();
  for (const r of records) {
    const key = stepKey(r);
    const prev = seen.get(key);
    if (!prev || r.startedAt < prev.at)
      seen.set(key, { key, title: r.stepTitle, runbook: r.runbookTitle ?? r.runbook, at: r.startedAt });
  }
  return [...seen.values()].sort((a, b) => a.at.localeCompare(b.at));
}

async function pickRuns(
  history: HistoryStore,
  preselect?: ReadonlySet<string>,
): Promise<HistoryRecord[] | undefined> {
  const all = await history.list({ limit: 2000 });
  if (!all.length) {
    void vscode.window.showInformationMessage(
      'Run History is empty: run a step first, then export a report of what you ran.',
    );
    return undefined;
  }
  const now = new Date();
  const items: RunPick[] = summarizeRuns(all).map((run) => {
    const d = describeRun(run, now);
    return {
      runId: run.runId,
      label: `$(${d.icon}) ${d.label}`,
      description: d.description,
      detail: d.detail,
      picked: preselect ? preselect.has(run.runId) : now.getTime() - Date.parse(run.startedAt) <= RECENT_MS,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Export Incident Report: runs to include',
    placeHolder: 'Runs from Run History, newest first (the last hour is selected)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.length) return undefined;
  const chosen = new Set(picked.map((p) => p.runId));
  return all.filter((r) => chosen.has(r.runId));
}

/** One input box per step run; Enter on an empty box skips it, Escape skips the rest. */
async function askNotes(
  records: readonly HistoryRecord[],
  state: vscode.Memento,
): Promise<Record<string, string>> {
  const notes = storedNotes(state);
  const steps = stepRuns(records);
  const out: Record<string, string> = {};
  for (const [i, s] of steps.entries()) {
    const text = await vscode.window.showInputBox({
      title: `Note for step ${i + 1} of ${steps.length}: ${s.title}`,
      prompt: `${s.runbook}. What did you see or do? Optional: Enter leaves it empty, Escape skips the remaining notes.`,
      value: notes[s.key] ?? '',
      ignoreFocusOut: true,
    });
    if (text === undefined) {
      // Skipped: earlier notes saved with Add Note... still go in.
      for (const rest of steps.slice(i)) if (notes[rest.key]) out[rest.key] = notes[rest.key]!;
      break;
    }
    if (text.trim()) out[s.key] = text.trim();
    await saveNote(state, s.key, text);
  }
  return out;
}

function defaultFileName(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `incident-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.md`;
}

async function exportReport(
  context: vscode.ExtensionContext,
  history: HistoryStore,
  arg?: unknown,
): Promise<void> {
  const preselect = isRunNode(arg) ? new Set(arg.records.map((r) => r.runId)) : undefined;
  const records = await pickRuns(history, preselect);
  if (!records) return;
  const notes = await askNotes(records, context.workspaceState);
  // The report opens unsaved, named for the workspace root, so Save writes it there and its
  // relative links (runbooks, profiles, outputs) resolve from there.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const markdown = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Building the incident report' },
    async () => {
      const gathered = await gatherReportInputs(history.dir, records);
      return buildIncidentReport(records, {
        ...gathered,
        notes,
        historyDir: history.dir,
        masker: Masker.fromEnv(process.env),
        timeZone: 'local',
        ...(folder?.scheme === 'file' ? { linkBase: folder.fsPath } : {}),
      });
    },
  );
  const doc = await openUntitled(markdown, folder);
  await vscode.window.showTextDocument(doc, { preview: false });
  const steps = stepRuns(records).length;
  const choice = await vscode.window.showInformationMessage(
    `Incident report of ${steps} step run${steps === 1 ? '' : 's'} is open (unsaved).`,
    'Save As...',
    'Open Preview',
  );
  if (choice === 'Open Preview') {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('markdown.showPreviewToSide');
  } else if (choice === 'Save As...') {
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, defaultFileName()) } : {}),
      filters: { Markdown: ['md'] },
      saveLabel: 'Save Report',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(doc.getText()));
    await vscode.window.showTextDocument(target, { preview: false });
  }
}

/** An unsaved Markdown document, named in `folder` when there is one (Save then needs no dialog). */
async function openUntitled(markdown: string, folder: vscode.Uri | undefined): Promise<vscode.TextDocument> {
  if (folder?.scheme !== 'file')
    return vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  const uri = vscode.Uri.joinPath(folder, defaultFileName()).with({ scheme: 'untitled' });
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), markdown);
  await vscode.workspace.applyEdit(edit);
  return doc;
}

async function addNote(context: vscode.ExtensionContext, arg?: unknown): Promise<void> {
  if (!isRunNode(arg)) {
    void vscode.window.showInformationMessage('Right-click a run in Run History to add a note to it.');
    return;
  }
  const steps = stepRuns(arg.records);
  let step = steps[0];
  if (steps.length > 1) {
    const pick = await vscode.window.showQuickPick(
      steps.map((s) => ({ label: s.title, description: s.runbook, step: s })),
      { placeHolder: 'Which step of this run is the note about?' },
    );
    step = pick?.step;
  }
  if (!step) return;
  const notes = storedNotes(context.workspaceState);
  const text = await vscode.window.showInputBox({
    title: `Note: ${step.title}`,
    prompt: 'Goes into the incident report under this step. Empty removes the note.',
    value: notes[step.key] ?? '',
    ignoreFocusOut: true,
  });
  if (text === undefined) return;
  await saveNote(context.workspaceState, step.key, text);
}

export function registerIncidentReport(context: vscode.ExtensionContext, history: HistoryStore): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.exportIncidentReport, (arg?: unknown) =>
      exportReport(context, history, arg),
    ),
    vscode.commands.registerCommand(Commands.addRunNote, (arg?: unknown) => addNote(context, arg)),
  );
}
