// The Runbook Output panel: a list of runs (newest first) and the selected run's output, streaming.
import type { HostMessage, PageMessage, RunSummary } from './protocol';
import { installSplit } from './split';
import { savedListWidth, type OutputPageState } from './split-width';

declare function acquireVsCodeApi(): {
  postMessage(msg: PageMessage): void;
  getState(): unknown;
  setState(state: OutputPageState): void;
};
const vscode = acquireVsCodeApi();

/** The page never holds more than this many characters of one run's output (the host keeps the file). */
const MAX_CHARS = 2_000_000;

const ICON: Record<RunSummary['status'], string> = {
  queued: '○',
  running: '◌',
  ok: '✓',
  warning: '⚠',
  critical: '✖',
  failed: '✖',
  cancelled: '■',
  timeout: '⏱',
  refused: '⊘',
};

let runs: RunSummary[] = [];
let selected: string | undefined;

const app = document.getElementById('app')!;
app.innerHTML = '';
const list = el('ul', 'runs');
list.setAttribute('role', 'listbox');
list.setAttribute('aria-label', 'Runs');
const detail = el('section', 'detail');
const header = el('header', 'run-header');
const toolbar = el('div', 'toolbar');
const copyBtn = button(
  'Copy output',
  () => selected && vscode.postMessage({ type: 'copy', runId: selected }),
);
const fileBtn = button(
  'Open full output',
  () => selected && vscode.postMessage({ type: 'openFile', runId: selected }),
);
const cancelBtn = button('Cancel', () => selected && vscode.postMessage({ type: 'cancel', runId: selected }));
toolbar.append(copyBtn, fileBtn, cancelBtn);
const notice = el('p', 'notice');
const pre = el('pre', 'output');
pre.tabIndex = 0;
pre.setAttribute('aria-label', 'Output');
pre.setAttribute('aria-live', 'polite');
detail.append(header, toolbar, notice, pre);
app.append(list, detail);
installSplit({
  app,
  list,
  detail,
  saved: savedListWidth(vscode.getState()),
  save: (listWidth) => vscode.setState({ listWidth }),
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'runs':
      runs = msg.runs;
      if (msg.selected) selected = msg.selected;
      if (!selected && runs[0]) select(runs[0].id);
      renderList();
      renderHeader();
      break;
    case 'output':
      if (msg.runId !== selected) return;
      pre.textContent = msg.text;
      notice.textContent = msg.truncated
        ? 'Showing the end of the output. "Open full output" shows all of it.'
        : '';
      scrollToEnd();
      break;
    case 'append': {
      if (msg.runId !== selected) return;
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      let text = (pre.textContent ?? '') + msg.text;
      if (text.length > MAX_CHARS) {
        text = text.slice(text.length - MAX_CHARS);
        notice.textContent = 'Showing the end of the output. "Open full output" shows all of it.';
      }
      pre.textContent = text;
      if (atEnd) scrollToEnd();
      break;
    }
  }
});

function select(runId: string): void {
  selected = runId;
  pre.textContent = '';
  notice.textContent = '';
  vscode.postMessage({ type: 'select', runId });
  renderList();
  renderHeader();
}

function renderList(): void {
  list.replaceChildren(
    ...runs.map((run) => {
      const li = el('li', `run status-${run.status}`);
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(run.id === selected));
      li.tabIndex = 0;
      const icon = el('span', 'icon');
      icon.textContent = ICON[run.status];
      icon.setAttribute('aria-label', run.status);
      const title = el('span', 'title');
      title.textContent = run.title;
      const when = el('span', 'when');
      when.textContent = new Date(run.startedAt).toLocaleTimeString();
      li.append(icon, title, when);
      li.addEventListener('click', () => select(run.id));
      li.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') select(run.id);
        if (e.key === 'ArrowDown') (li.nextElementSibling as HTMLElement | null)?.focus();
        if (e.key === 'ArrowUp') (li.previousElementSibling as HTMLElement | null)?.focus();
      });
      return li;
    }),
  );
}

function renderHeader(): void {
  const run = runs.find((r) => r.id === selected);
  if (!run) {
    header.textContent = 'No run selected. Run a step from the Runbooks view or a CodeLens.';
    toolbar.hidden = true;
    return;
  }
  toolbar.hidden = false;
  cancelBtn.hidden = run.status !== 'running' && run.status !== 'queued';
  const h = el('h2');
  h.textContent = `${ICON[run.status]} ${run.title}`;
  const meta = el('p', 'meta');
  const parts = [run.runbook, run.status];
  if (run.exitCode !== undefined) parts.push(`exit ${run.exitCode}`);
  if (run.durationMs !== undefined) parts.push(`${(run.durationMs / 1000).toFixed(2)} s`);
  meta.textContent = parts.join(' · ');
  header.replaceChildren(h, meta);
  // A run refused before any command (Restricted Mode) has none to show: no empty box.
  if (run.command) {
    const cmd = el('pre', 'command');
    cmd.textContent = run.command;
    header.append(cmd);
  }
  if (run.message) {
    const m = el('p', `message status-${run.status}`);
    m.textContent = run.message;
    header.append(m);
  }
}

function scrollToEnd(): void {
  pre.scrollTop = pre.scrollHeight;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button');
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

vscode.postMessage({ type: 'ready' });
