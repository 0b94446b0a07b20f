// What the runner asks a person, in VS Code: placeholder values (input boxes that show the command
// with the value in place, remember the last value per runbook, validate by type; a process picker
// for `pid`), confirmation of write commands, and the database password.
// The run's cancellation token closes an input box or picker the run waits on; a modal cannot be
// closed, so its answer after a cancel is ignored (and nothing runs).
import * as vscode from 'vscode';
import { normalizeName } from '../../core/run/placeholder-values';
import { listProcesses } from '../../core/run/processes';
import { displayCommand } from '../../core/run/shell-placeholders';
import type { ConfirmRequest, PlaceholderRequest } from '../../core/run/runner';

const LAST_VALUES = 'runbookDebugger.lastValues';

export function makeResolver(memento: vscode.Memento) {
  return async (req: PlaceholderRequest, token: vscode.CancellationToken): Promise<string | undefined> => {
    const key = `${LAST_VALUES}:${req.runbook.path}`;
    const remembered = memento.get<Record<string, string>>(key, {});
    const last = remembered[req.name];
    const value = req.type === 'pid' ? await pickProcess(req, last, token) : await askValue(req, last, token);
    if (value === undefined || token.isCancellationRequested) return undefined;
    await memento.update(key, { ...remembered, [req.name]: value });
    return value;
  };
}

async function askValue(
  req: PlaceholderRequest,
  last: string | undefined,
  token: vscode.CancellationToken,
): Promise<string | undefined> {
  return vscode.window.showInputBox(
    {
      title: `${req.step.title}: value for ${req.placeholder.raw}`,
      prompt: previewOf(req, last ?? ''),
      value: last,
      placeHolder: hint(req.type),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const problem = req.validate(v);
        if (problem) return { message: literal(problem), severity: vscode.InputBoxValidationSeverity.Error };
        return { message: previewOf(req, v), severity: vscode.InputBoxValidationSeverity.Info };
      },
    },
    token,
  );
}

/**
 * The line of the command that holds the placeholder, with the value in place the way the runner
 * shows it: shell-quoted in shell commands, since it reaches the shell as one word of data.
 */
function previewOf(req: PlaceholderRequest, value: string): string {
  const { text, placeholders } = req.command;
  const shown =
    req.step.kind === 'query'
      ? text.split(req.placeholder.raw).join(value || req.placeholder.raw)
      : displayCommand(text, placeholders, new Map(value ? [[normalizeName(req.name), value]] : []));
  const at = text.slice(0, Math.max(0, text.indexOf(req.placeholder.raw))).split('\n').length - 1;
  const line = (value.includes('\n') ? shown.split('\n')[0] : shown.split('\n')[at]) ?? '';
  return literal(`Runs: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
}

/**
 * VS Code draws `$(name)` in input box messages and quick pick items as an icon, so a value like
 * `$(id); echo x` would be shown as "; echo x". A backslash keeps it as typed.
 */
export function literal(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

function hint(type: PlaceholderRequest['type']): string {
  switch (type) {
    case 'pid':
      return 'a process id, e.g. 4242';
    case 'port':
      return 'a port number, e.g. 5432';
    case 'namespace':
    case 'k8s-name':
      return 'a Kubernetes name: lowercase letters, digits and -';
    case 'url':
      return 'an http:// or https:// URL';
    default:
      return 'a value (passed to the command as data, never as shell text)';
  }
}

interface ProcessPick extends vscode.QuickPickItem {
  pid?: string;
}

/** A filterable list of running processes, newest first, with "enter a pid" as a fallback. */
async function pickProcess(
  req: PlaceholderRequest,
  last: string | undefined,
  token: vscode.CancellationToken,
): Promise<string | undefined> {
  if (token.isCancellationRequested) return undefined;
  const qp = vscode.window.createQuickPick<ProcessPick>();
  qp.title = `${req.step.title}: choose the process for ${req.placeholder.raw}`;
  qp.placeholder = 'Type to filter by name or command line, or type a process id';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.ignoreFocusOut = true;
  const lastItem = last ? [{ label: `$(history) ${last}`, description: 'last used', pid: last }] : [];
  let processes: ProcessPick[] = [];
  // Every handler is in place before the picker shows: Escape or a cancel while `ps` is still
  // listing must settle the promise too (hiding is what settles it).
  const picked = new Promise<string | undefined>((resolve) => {
    const cancelled = token.onCancellationRequested(() => qp.hide());
    qp.onDidChangeValue((v) => {
      const typed = v.trim();
      if (/^\d+$/.test(typed) && !processes.some((p) => p.pid === typed)) {
        qp.items = [
          { label: typed, description: 'use this process id', pid: typed, alwaysShow: true },
          ...lastItem,
          ...processes,
        ];
      }
    });
    qp.onDidAccept(() => {
      const pick = qp.selectedItems[0];
      const typed = qp.value.trim();
      const pid = pick?.pid ?? (/^\d+$/.test(typed) ? typed : undefined);
      const problem = pid === undefined ? 'choose a process' : req.validate(pid);
      if (problem) {
        qp.placeholder = `${problem}: choose a process or type its id`;
        return;
      }
      resolve(pid);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      cancelled.dispose();
      qp.dispose();
    });
  });
  qp.items = lastItem;
  qp.show();
  let open = true;
  void picked.then(() => (open = false));
  // Without a process list (no `ps`) a typed pid still works.
  void listProcessPicks()
    .catch(() => [])
    .then((list) => {
      if (!open) return;
      processes = list;
      qp.items = [...lastItem, ...processes];
      qp.busy = false;
    });
  return picked;
}

async function listProcessPicks(): Promise<ProcessPick[]> {
  return (await listProcesses())
    .filter((p) => p.pid !== process.pid)
    .map((p) => {
      const name = p.command.split(/\s+/)[0]?.split('/').pop() ?? p.command;
      return {
        label: literal(`${name}  ${p.pid}`),
        description: literal(`${p.user} · up ${age(p.ageSeconds)}`),
        detail: literal(p.command.slice(0, 300)),
        pid: String(p.pid),
      };
    });
}

function age(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export async function confirmWrite(req: ConfirmRequest, token: vscode.CancellationToken): Promise<boolean> {
  if (token.isCancellationRequested) return false;
  const choice = await vscode.window.showWarningMessage(
    `Run this command? ${req.reason}`,
    { modal: true, detail: req.command },
    'Run',
  );
  if (token.isCancellationRequested) {
    // The run was cancelled while the dialog was open: "Run" now would be a surprise.
    if (choice === 'Run')
      void vscode.window.showInformationMessage('Not run: the run was cancelled while it asked.');
    return false;
  }
  return choice === 'Run';
}

const PASSWORD_KEY = 'runbookDebugger.databasePassword';

export function makePasswordProvider(secrets: vscode.SecretStorage) {
  return async (): Promise<string | undefined> => {
    const stored = await secrets.get(PASSWORD_KEY);
    if (stored !== undefined) return stored;
    const typed = await vscode.window.showInputBox({
      title: 'Database password',
      prompt:
        'Kept in VS Code secret storage; never written to settings, history or logs. Leave empty for none.',
      password: true,
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    if (typed) await secrets.store(PASSWORD_KEY, typed);
    return typed;
  };
}

export async function setDatabasePassword(secrets: vscode.SecretStorage): Promise<void> {
  const typed = await vscode.window.showInputBox({
    title: 'Database password',
    prompt: 'Kept in VS Code secret storage. Leave empty to forget the stored password.',
    password: true,
    ignoreFocusOut: true,
  });
  if (typed === undefined) return;
  if (typed) await secrets.store(PASSWORD_KEY, typed);
  else await secrets.delete(PASSWORD_KEY);
  void vscode.window.showInformationMessage(
    typed ? 'Database password stored.' : 'Stored database password removed.',
  );
}
