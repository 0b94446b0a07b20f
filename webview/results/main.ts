// The Runbook Results page: for the selected run, each command with how it ended, what its output
// was recognized as, the findings with their level and the runbook's causes/fixes (links to their
// lines), charts, sortable tables, EXPLAIN plans as a tree, and the raw output one click away.
import type { ExplainPlan } from '../../src/core/recognize/explain-plan';
import { chartsFor } from './chart-model';
import { chartView } from './chart-view';
import { badge, button, el } from './dom';
import { planView } from './plan-view';
import type { HostMessage, PageMessage, ResultCommand, ResultRun, RunListItem } from './protocol';
import { factsFor, tablesFor } from './table-model';
import { tableView } from './table-view';

declare function acquireVsCodeApi(): { postMessage(msg: PageMessage): void };
const vscode = acquireVsCodeApi();

// Styles: page.ts puts media/webview.css and media/results.css in the page itself.
const app = document.getElementById('app')!;
app.className = 'results-app';
const toolbar = el('header', 'results-toolbar');
const picker = el('select', 'run-picker');
picker.setAttribute('aria-label', 'Run');
picker.addEventListener('change', () => {
  if (picker.value) vscode.postMessage({ type: 'select', runId: picker.value });
});
const rawBtn = button(
  'Show raw output',
  () => current && vscode.postMessage({ type: 'showOutput', runId: current.id }),
  'primary',
  'Open this run in the Runbook Output panel',
);
const pickLabel = el('label', 'run-label', 'Run ');
pickLabel.append(picker);
toolbar.append(pickLabel, rawBtn);
const body = el('main', 'results-body');
body.setAttribute('aria-live', 'polite');
app.replaceChildren(toolbar, body);

let current: ResultRun | undefined;

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'runs':
      renderPicker(msg.runs, msg.selected);
      break;
    case 'run':
      current = msg.run;
      if (picker.value !== msg.run.id) picker.value = msg.run.id;
      renderRun(msg.run);
      break;
    case 'empty':
      current = undefined;
      rawBtn.disabled = true;
      body.replaceChildren(el('p', 'empty', msg.message));
      break;
  }
});

function renderPicker(runs: RunListItem[], selected: string | undefined): void {
  picker.replaceChildren(
    ...runs.map((r) => {
      const o = el(
        'option',
        undefined,
        `${r.title} — ${r.outcome} — ${new Date(r.startedAt).toLocaleTimeString()}`,
      );
      o.value = r.id;
      return o;
    }),
  );
  if (selected) picker.value = selected;
  pickLabel.hidden = runs.length === 0;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function renderRun(run: ResultRun): void {
  rawBtn.disabled = false;
  const head = el('section', 'run-summary');
  const h = el('h2');
  h.append(badge(run.outcome), document.createTextNode(` ${run.title}`));
  const meta = el(
    'p',
    'meta',
    [
      run.runbook,
      new Date(run.startedAt).toLocaleString(),
      run.durationMs !== undefined ? seconds(run.durationMs) : '',
    ]
      .filter(Boolean)
      .join(' · '),
  );
  head.append(h, meta);
  const parts: HTMLElement[] = [head];
  for (const step of run.steps) {
    const s = el('section', 'step');
    const sh = el('h3');
    sh.append(badge(step.outcome), document.createTextNode(` ${step.title}`));
    s.append(sh);
    if (!step.commands.length) s.append(el('p', 'note', 'Nothing ran in this step.'));
    for (const c of step.commands) s.append(commandView(run, c));
    parts.push(s);
  }
  body.replaceChildren(...parts);
}

function commandView(run: ResultRun, c: ResultCommand): HTMLElement {
  const a = el('article', 'command');
  const line = el('pre', 'command-line', `$ ${c.text}`);
  const meta = el('p', 'meta');
  meta.append(badge(c.status));
  const words = [
    c.exitCode !== null ? `exit ${c.exitCode}` : '',
    seconds(c.durationMs),
    c.recognizer ? `recognized as ${c.title ?? c.recognizer}` : 'output not recognized (plain text)',
  ].filter(Boolean);
  meta.append(document.createTextNode(` ${words.join(' · ')}`));
  a.append(line, meta);
  if (c.message) a.append(el('p', 'message', c.message));
  if (c.findings.length || c.diagnostics.length) a.append(findingsView(run, c));
  if (c.recognizer && c.data) {
    const facts = factsFor(c.recognizer, c.data);
    if (facts.length) {
      const dl = el('dl', 'facts');
      for (const [k, v] of facts) dl.append(el('dt', undefined, k), el('dd', undefined, v));
      a.append(dl);
    }
    if (c.recognizer === 'explain') a.append(planView(c.data as ExplainPlan));
    const charts = chartsFor(c.recognizer, c.data, c.findings);
    if (charts.length) {
      const box = el('div', 'charts');
      box.append(...charts.map(chartView));
      a.append(box);
    }
    for (const t of tablesFor(c.recognizer, c.data)) a.append(tableView(t));
  }
  const raw = button('Raw output', () => vscode.postMessage({ type: 'showOutput', runId: run.id }), 'link');
  a.append(raw);
  return a;
}

function findingsView(run: ResultRun, c: ResultCommand): HTMLElement {
  const box = el('section', 'findings');
  box.setAttribute('aria-label', 'Findings');
  const list = el('ul', 'finding-list');
  // Bad findings first; within a level, as the checks ran.
  const order = { critical: 0, warning: 1, ok: 2 } as const;
  const sorted = [...c.findings].sort((x, y) => order[x.level] - order[y.level]);
  for (const f of sorted) {
    const li = el('li', `finding level-${f.level}`);
    li.append(badge(f.level), document.createTextNode(` ${f.message}`));
    if (f.causes.length) {
      const causes = el('ul', 'causes');
      causes.setAttribute('aria-label', "Diagnosis: the runbook's causes and fixes");
      for (const cause of f.causes) {
        const ci = el('li');
        ci.append(el('span', 'cause-label', 'Diagnosis: '));
        if (cause.line !== undefined) {
          const line = cause.line;
          const link = button(
            cause.text,
            () => vscode.postMessage({ type: 'openSource', runId: run.id, line }),
            'link',
            `${cause.section}, line ${line}: open the runbook there`,
          );
          ci.append(link, el('span', 'note', ` — ${cause.section}, line ${line}`));
        } else ci.append(el('span', undefined, `${cause.text} — ${cause.section}`));
        causes.append(ci);
      }
      li.append(causes);
    }
    list.append(li);
  }
  for (const d of c.diagnostics) list.append(el('li', 'finding diagnostic', `Check problem: ${d}`));
  box.append(list);
  return box;
}

vscode.postMessage({ type: 'ready' });
