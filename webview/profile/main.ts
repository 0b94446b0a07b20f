// The profile viewer page: progress while the host reads the file in a worker (cancellable), then
// the flame graph or the heap view, or the reason the file could not be shown. The view's state
// (zoom, search, sort, ...) goes back to the host, which keeps it per file.
import { fromMessage } from '../../src/core/profile/flame/transfer';
import type { HostMessage, PageMessage } from './protocol';
import { FlameView, type FlameState } from './flame-view';
import { HeapView, type HeapState } from './heap-view';
import { formatBytes } from './format';
import { button, el } from './dom';

interface VsCodeApi {
  postMessage(msg: PageMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

const app = document.getElementById('app') as HTMLElement;
app.className = 'profile-app';
const status = el('div', 'load-status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
const content = el('div', 'profile-content');
const toast = el('div', 'toast');
toast.setAttribute('role', 'status');
toast.hidden = true;
app.replaceChildren(status, content, toast);

let flame: FlameView | undefined;
let heap: HeapView | undefined;
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

function post(m: PageMessage): void {
  vscode.postMessage(m);
}

function saveState(s: FlameState | HeapState): void {
  vscode.setState(s);
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => post({ type: 'saveState', state: JSON.stringify(s) }), 300);
}

function notify(message: string): void {
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.hidden = true), 5000);
}

function parseState(s: string | undefined): Record<string, unknown> {
  const local = vscode.getState();
  if (local && typeof local === 'object') return local as Record<string, unknown>;
  if (!s) return {};
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const bar = el('div', 'progress');
const fill = el('div', 'progress-fill');
bar.append(fill);
bar.setAttribute('role', 'progressbar');
bar.setAttribute('aria-valuemin', '0');
bar.setAttribute('aria-valuemax', '100');
const statusText = el('p', 'status-text');
const cancel = button('Cancel', () => post({ type: 'cancel' }));

function showLoading(file: string, size?: number): void {
  content.hidden = true;
  status.hidden = false;
  statusText.textContent = `Reading ${file}${size !== undefined ? ` (${formatBytes(size)})` : ''}…`;
  fill.style.width = '0%';
  bar.removeAttribute('aria-valuenow');
  status.replaceChildren(statusText, bar, cancel);
}

const PHASES: Record<string, string> = {
  read: 'Reading',
  graph: 'Building the object graph',
  dominators: 'Computing retained sizes',
  transfer: 'Drawing',
};

function showProgress(m: Extract<HostMessage, { type: 'progress' }>): void {
  if (!status.contains(bar)) status.replaceChildren(statusText, bar, cancel);
  const known = m.totalBytes !== undefined && m.totalBytes > 0;
  const pct = known ? Math.min(100, (100 * m.bytesRead) / (m.totalBytes as number)) : 0;
  fill.style.width = `${pct}%`;
  if (known) bar.setAttribute('aria-valuenow', String(Math.round(pct)));
  const phase = PHASES[m.phase] ?? m.phase;
  statusText.textContent =
    m.phase === 'transfer'
      ? `${phase}…`
      : `${phase}: ${formatBytes(m.bytesRead)}${known ? ` of ${formatBytes(m.totalBytes as number)}` : ''}`;
  cancel.hidden = m.phase === 'transfer';
}

function showError(m: Extract<HostMessage, { type: 'error' }>): void {
  content.hidden = true;
  status.hidden = false;
  const box = el('div', 'error-box');
  box.setAttribute('role', 'alert');
  const title =
    m.code === 'aborted'
      ? 'Cancelled'
      : m.code === 'too-large'
        ? 'Too large to show'
        : m.code === 'unknown-format'
          ? 'Not a profile format this viewer reads'
          : 'Could not read this profile';
  box.append(el('h2', undefined, title), el('p', 'error-message', m.message));
  box.append(button(m.code === 'aborted' ? 'Read it again' : 'Try again', () => post({ type: 'retry' })));
  status.replaceChildren(box);
}

function show(): void {
  status.hidden = true;
  content.hidden = false;
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  switch (m?.type) {
    case 'loading':
      showLoading(m.file, m.size);
      break;
    case 'progress':
      showProgress(m);
      break;
    case 'flame': {
      let profile;
      try {
        profile = fromMessage(m.profile);
      } catch (err) {
        showError({ type: 'error', file: m.file, code: 'invalid', message: String(err) });
        break;
      }
      show();
      heap = undefined;
      flame = new FlameView(
        content,
        profile,
        m.file,
        { post, saveState, notify },
        parseState(m.state) as Partial<FlameState>,
      );
      flame.drawNow();
      break;
    }
    case 'heap':
      show();
      flame = undefined;
      heap = new HeapView(
        content,
        m.heap,
        m.file,
        { post, saveState, notify },
        parseState(m.state) as Partial<HeapState>,
      );
      break;
    case 'treemap':
      heap?.onTreemap(m);
      break;
    case 'retainers':
      heap?.onRetainers(m);
      break;
    case 'error':
      showError(m);
      break;
    case 'notice':
      notify(m.message);
      break;
  }
});

showLoading('the profile');
post({ type: 'ready' });
