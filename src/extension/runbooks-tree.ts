// The Runbooks view: runbook -> sections -> steps -> commands.
// Items carry stable ids (file + section path / step id) so VS Code keeps expansion state across edits.
import * as vscode from 'vscode';
import type { Command as RunbookCommand, Section, Step } from '../core/runbook/model';
import { headline } from '../core/check/run-findings';
import { runbookStatus, sectionStatus, type StepStatus as Outcome } from '../core/check/status';
import type { RunbookEntry, RunbookStore } from './runbook-store';
import { Commands } from './ids';
import type { StepState } from './run/run-controller';

/** Icon and colour for the last run status of a step. */
const STATUS_ICONS: Record<string, [string, string?]> = {
  queued: ['clock'],
  running: ['loading~spin'],
  ok: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  error: ['error', 'testing.iconFailed'],
  'output-limit': ['warning', 'editorWarning.foreground'],
  timeout: ['watch', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  refused: ['shield'],
};

/** Icon and colour of a step's outcome when its checks found something, and of a rolled-up status. */
const OUTCOME_ICONS: Partial<Record<Outcome, [string, string?]>> = {
  ok: ['pass', 'testing.iconPassed'],
  warning: ['warning', 'list.warningForeground'],
  critical: ['error', 'list.errorForeground'],
  failed: ['error', 'testing.iconFailed'],
  refused: ['shield'],
  cancelled: ['circle-slash'],
};

/** Colour of a section's or runbook's own icon for its rolled-up status. */
const OUTCOME_COLOURS: Partial<Record<Outcome, string>> = {
  ok: 'testing.iconPassed',
  warning: 'list.warningForeground',
  critical: 'list.errorForeground',
  failed: 'testing.iconFailed',
};

const LEVEL_MARK: Record<string, string> = { ok: '$(pass)', warning: '$(warning)', critical: '$(error)' };

export type RunbookNode =
  | { kind: 'group'; label: string; entries: RunbookEntry[] }
  | { kind: 'runbook'; entry: RunbookEntry }
  | { kind: 'section'; entry: RunbookEntry; section: Section; key: string }
  | { kind: 'step'; entry: RunbookEntry; step: Step }
  | { kind: 'command'; entry: RunbookEntry; step: Step; command: RunbookCommand; index: number };

const STEP_ICONS: Record<Step['kind'], string> = {
  manual: 'checklist',
  command: 'terminal',
  query: 'database',
  script: 'file-code',
};

export class RunbooksTreeProvider implements vscode.TreeDataProvider<RunbookNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunbookNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: RunbookStore,
    private readonly checked: vscode.Memento,
    private readonly statusOf: (entry: RunbookEntry, stepId: string) => StepState | undefined = () =>
      undefined,
  ) {
    // A whole refresh is cheap (items are rebuilt from the cached model) and keeps ids stable.
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: RunbookNode): Promise<RunbookNode[]> {
    if (!node) {
      const all = await this.store.list();
      const workspace = all.filter((e) => !e.bundled).map((entry) => ({ kind: 'runbook' as const, entry }));
      const bundled = all.filter((e) => e.bundled);
      return bundled.length
        ? [...workspace, { kind: 'group', label: 'Bundled runbooks', entries: bundled }]
        : workspace;
    }
    switch (node.kind) {
      case 'group':
        return node.entries.map((entry) => ({ kind: 'runbook', entry }));
      case 'runbook':
        return [
          ...node.entry.runbook.steps.map((step) => ({ kind: 'step' as const, entry: node.entry, step })),
          ...sectionNodes(node.entry, node.entry.runbook.sections, ''),
        ].sort((a, b) => lineOf(a) - lineOf(b));
      case 'section':
        return [
          ...node.section.steps.map((step) => ({ kind: 'step' as const, entry: node.entry, step })),
          ...sectionNodes(node.entry, node.section.sections, node.key),
        ].sort((a, b) => lineOf(a) - lineOf(b));
      case 'step':
        return node.step.commands.map((command, index) => ({
          kind: 'command',
          entry: node.entry,
          step: node.step,
          command,
          index,
        }));
      case 'command':
        return [];
    }
  }

  getTreeItem(node: RunbookNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'group:bundled';
        item.iconPath = new vscode.ThemeIcon('library');
        item.contextValue = 'bundledGroup';
        return item;
      }
      case 'runbook': {
        const { entry } = node;
        const item = new vscode.TreeItem(entry.runbook.title, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `runbook:${entry.uri.toString()}`;
        item.resourceUri = entry.uri;
        const where = entry.bundled ? 'bundled' : vscode.workspace.asRelativePath(entry.uri);
        const status = runbookStatus(entry.runbook, (id) => this.outcomeOf(entry, id));
        item.description = status === 'not-run' ? where : `${where} · ${status}`;
        item.iconPath = new vscode.ThemeIcon('book', colourOf(status));
        item.tooltip = `${entry.runbook.title}\n${entry.uri.fsPath}${status === 'not-run' ? '' : `\nWorst status of its steps: ${status}`}`;
        item.contextValue = 'runbook';
        item.command = { command: Commands.goToSource, title: 'Go to Source', arguments: [entry.uri, 1] };
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.section.title, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `section:${node.entry.uri.toString()}#${node.key}`;
        const status = sectionStatus(node.section, (id) => this.outcomeOf(node.entry, id));
        item.iconPath = new vscode.ThemeIcon(
          node.section.origin === 'label' ? 'symbol-field' : 'symbol-namespace',
          colourOf(status),
        );
        item.contextValue = 'section';
        if (status !== 'not-run') item.description = status;
        item.tooltip = `${node.section.title} (line ${node.section.line})${status === 'not-run' ? '' : `\nWorst status of its steps: ${status}`}`;
        return item;
      }
      case 'step':
        return this.stepItem(node.entry, node.step);
      case 'command': {
        const { command } = node;
        const firstLine = command.text.split('\n')[0] ?? '';
        const item = new vscode.TreeItem(firstLine, vscode.TreeItemCollapsibleState.None);
        item.id = `command:${node.entry.uri.toString()}#${node.step.id}/${node.index}`;
        item.iconPath = new vscode.ThemeIcon(command.effect === 'write' ? 'warning' : 'chevron-right');
        item.description = command.effect === 'write' ? 'write' : undefined;
        item.tooltip = commandTooltip(command);
        item.contextValue = `command.${command.effect}`;
        item.command = {
          command: Commands.goToSource,
          title: 'Go to Source',
          arguments: [node.entry.uri, command.line],
        };
        return item;
      }
    }
  }

  getParent(): undefined {
    return undefined;
  }

  private stepItem(entry: RunbookEntry, step: Step): vscode.TreeItem {
    const collapsible =
      step.commands.length > 0
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(step.title, collapsible);
    item.id = `step:${entry.uri.toString()}#${step.id}`;
    const state = this.statusOf(entry, step.id);
    // A finished step whose checks found something shows the finding's level; otherwise how it ran.
    const judged = state && (state.outcome === 'warning' || state.outcome === 'critical');
    const statusIcon = state && (judged ? OUTCOME_ICONS[state.outcome] : STATUS_ICONS[state.status]);
    item.iconPath = statusIcon
      ? new vscode.ThemeIcon(statusIcon[0], statusIcon[1] ? new vscode.ThemeColor(statusIcon[1]) : undefined)
      : new vscode.ThemeIcon(STEP_ICONS[step.kind]);
    item.contextValue = `step.${step.kind}`;
    const writes = step.commands.filter((c) => c.effect === 'write').length;
    const counts =
      step.kind === 'manual'
        ? undefined
        : `${step.commands.length} ${step.kind === 'query' ? 'statement' : 'command'}${step.commands.length === 1 ? '' : 's'}${writes ? `, ${writes} write` : ''}`;
    const top = state && headline(state.findings);
    item.description =
      !state || state.status === 'skipped'
        ? counts
        : top
          ? `${state.outcome} · ${withoutLevel(top.message)}`
          : `${state.status}${counts ? ` · ${counts}` : ''}`;
    item.tooltip = stepTooltip(entry, step, state);
    if (step.kind === 'manual') {
      item.checkboxState = this.checked.get<boolean>(checkKey(entry, step), false)
        ? vscode.TreeItemCheckboxState.Checked
        : vscode.TreeItemCheckboxState.Unchecked;
    }
    item.command = { command: Commands.goToSource, title: 'Go to Source', arguments: [entry.uri, step.line] };
    return item;
  }

  private outcomeOf(entry: RunbookEntry, stepId: string): Outcome {
    return this.statusOf(entry, stepId)?.outcome ?? 'not-run';
  }

  /** Remember ticked manual steps per workspace. */
  async setChecked(node: RunbookNode, checked: boolean): Promise<void> {
    if (node.kind !== 'step') return;
    await this.checked.update(checkKey(node.entry, node.step), checked || undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function sectionNodes(entry: RunbookEntry, sections: readonly Section[], parentKey: string): RunbookNode[] {
  // Keys use titles (with an index only for duplicates) so they survive edits elsewhere.
  const seen = new Map<string, number>();
  return sections.map((section) => {
    const n = seen.get(section.title) ?? 0;
    seen.set(section.title, n + 1);
    const key = `${parentKey}/${section.title}${n ? `#${n}` : ''}`;
    return { kind: 'section', entry, section, key };
  });
}

function lineOf(node: RunbookNode): number {
  if (node.kind === 'section') return node.section.line;
  if (node.kind === 'step') return node.step.line;
  return 0;
}

function checkKey(entry: RunbookEntry, step: Step): string {
  return `checked:${entry.uri.toString()}#${step.id}`;
}

function colourOf(status: Outcome): vscode.ThemeColor | undefined {
  const c = OUTCOME_COLOURS[status];
  return c ? new vscode.ThemeColor(c) : undefined;
}

/** "connections used 95% > 90% (critical)" → "connections used 95% > 90%": the level is said already. */
function withoutLevel(message: string): string {
  return message.replace(/ \((ok|warning|critical)\)(?=,|$)/, '');
}

/** The step's hover: its last run, each finding with the runbook's causes/fixes linked to their lines. */
function stepTooltip(entry: RunbookEntry, step: Step, state: StepState | undefined): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, true);
  tip.isTrusted = { enabledCommands: [Commands.goToSource, Commands.showResults] };
  tip.appendMarkdown(`**${escapeMd(step.title)}** — ${step.kind}, line ${step.line}\n\n`);
  if (state) {
    const shown = state.outcome === 'warning' || state.outcome === 'critical' ? state.outcome : state.status;
    tip.appendMarkdown(`Last run: **${shown}**${state.message ? ` — ${escapeMd(state.message)}` : ''}\n\n`);
    // Bad findings first; a long list of ok checks would hide them.
    const bad = state.findings.filter((f) => f.level !== 'ok');
    const ok = state.findings.filter((f) => f.level === 'ok');
    for (const f of bad) {
      tip.appendMarkdown(`${LEVEL_MARK[f.level]} ${escapeMd(f.message)}\n\n`);
      for (const c of f.causes) {
        const args = encodeURIComponent(JSON.stringify([entry.uri, c.line ?? step.line]));
        const where = c.line !== undefined ? `, line ${c.line}` : '';
        tip.appendMarkdown(
          `- Diagnosis: [${escapeMd(c.text)}](command:${Commands.goToSource}?${args} "Go to the fix in the runbook") — ${escapeMd(c.section)}${where}\n`,
        );
      }
      if (f.causes.length) tip.appendMarkdown('\n');
    }
    for (const f of ok.slice(0, 5)) tip.appendMarkdown(`${LEVEL_MARK.ok} ${escapeMd(f.message)}\n\n`);
    if (ok.length > 5) tip.appendMarkdown(`… and ${ok.length - 5} more ok checks\n\n`);
    for (const d of state.diagnostics) tip.appendMarkdown(`$(info) Check problem: ${escapeMd(d)}\n\n`);
    if (state.recognized) {
      const args = encodeURIComponent(JSON.stringify([state.runId]));
      tip.appendMarkdown(`[$(graph) Show results](command:${Commands.showResults}?${args})\n\n`);
    }
  }
  for (const c of step.commands) tip.appendCodeblock(c.text, step.language ?? 'sh');
  return tip;
}

function commandTooltip(command: RunbookCommand): vscode.MarkdownString {
  const tip = new vscode.MarkdownString();
  tip.appendCodeblock(command.text, 'sh');
  if (command.placeholders.length) {
    tip.appendMarkdown(
      `\nPlaceholders: ${[...new Set(command.placeholders.map((p) => '`' + p.name + '`'))].join(', ')}\n`,
    );
  }
  tip.appendMarkdown(
    `\n${command.effect === 'write' ? '$(warning) **Write**: asks before running' : 'Read-only'} — ${escapeMd(command.effectReason)}`,
  );
  tip.supportThemeIcons = true;
  return tip;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
