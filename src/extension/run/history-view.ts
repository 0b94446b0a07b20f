// The "Run History" view: past runs newest first (one item per run, its commands below);
// clicking one reopens its stored output.
import * as vscode from 'vscode';
import type { HistoryRecord, HistoryStore } from '../../core/run/history';
import { Commands } from '../ids';
import { assessedLevel, readStoredFindings } from '../../core/report/stored-findings';

/** The check level a record's stored findings reached, when a check fired. */
function levelOf(r: HistoryRecord): { level: 'warning' | 'critical'; message?: string } | undefined {
  const a = readStoredFindings(r.findings);
  if (!a) return undefined;
  const level = assessedLevel(a);
  if (level === 'ok') return undefined;
  const message = a.findings.find((f) => f.level === level)?.message;
  return { level, ...(message ? { message } : {}) };
}

const LEVEL_ICON = {
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')),
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

export type HistoryNode =
  { kind: 'run'; records: HistoryRecord[] } | { kind: 'command'; record: HistoryRecord };

const STATUS_ICON: Record<string, [string, string?]> = {
  ok: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  error: ['error', 'testing.iconFailed'],
  timeout: ['watch', 'testing.iconFailed'],
  'output-limit': ['warning', 'editorWarning.foreground'],
  cancelled: ['circle-slash'],
  refused: ['shield'],
};

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly history: HistoryStore) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (node?.kind === 'run') return node.records.map((record) => ({ kind: 'command', record }));
    if (node) return [];
    const records = await this.history.list({ limit: 2000 });
    const byRun = new Map<string, HistoryRecord[]>();
    for (const r of records) byRun.set(r.runId, [...(byRun.get(r.runId) ?? []), r]);
    return [...byRun.values()].map((rs) => ({
      kind: 'run',
      records: rs.sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    }));
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.kind === 'command') {
      const r = node.record;
      const item = new vscode.TreeItem(r.command.split('\n')[0] ?? '', vscode.TreeItemCollapsibleState.None);
      item.id = `history:${r.id}`;
      const lv = levelOf(r);
      item.iconPath = lv ? LEVEL_ICON[lv.level] : icon(r.status);
      item.description = `${lv ? `${lv.level} · ` : ''}${r.status}${r.exitCode !== null && r.exitCode !== 0 ? ` (exit ${r.exitCode})` : ''} · ${(r.durationMs / 1000).toFixed(1)} s`;
      item.tooltip = `${r.command}\n${lv?.message ?? ''}\n${r.message ?? ''}`.trim();
      item.command = { command: Commands.showHistoryRun, title: 'Show Output', arguments: [[r]] };
      return item;
    }
    const first = node.records[0]!;
    const worst = node.records.find((r) => r.status !== 'ok') ?? first;
    const item = new vscode.TreeItem(
      first.stepTitle,
      node.records.length > 1
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `history-run:${first.runId}`;
    const levels = node.records.map(levelOf).filter((l) => l !== undefined);
    const lv = levels.find((l) => l.level === 'critical') ?? levels[0];
    item.iconPath = lv ? LEVEL_ICON[lv.level] : icon(worst.status);
    item.description = `${lv ? `${lv.level} · ` : ''}${new Date(first.startedAt).toLocaleString()} · ${first.runbookTitle ?? first.runbook}`;
    item.tooltip = node.records.map((r) => `${r.status.padEnd(9)} ${r.command.split('\n')[0]}`).join('\n');
    item.contextValue = 'historyRun';
    item.command = { command: Commands.showHistoryRun, title: 'Show Output', arguments: [node.records] };
    return item;
  }
}

function icon(status: string): vscode.ThemeIcon {
  const [id, color] = STATUS_ICON[status] ?? ['circle-outline'];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}
