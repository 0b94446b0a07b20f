// The "Variables" view: values set by steps (`::set NAME=value`, `set=` annotations) or typed for
// placeholders, reused by later steps. Users can edit or clear them; secret-looking ones are masked.
import * as vscode from 'vscode';
import type { VariableEntry, Variables } from '../../core/run/variables';

export class VariablesTreeProvider implements vscode.TreeDataProvider<VariableEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;

  constructor(private readonly variables: Variables) {
    this.unsubscribe = variables.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: VariableEntry): VariableEntry[] {
    return node ? [] : this.variables.list().sort((a, b) => a.name.localeCompare(b.name));
  }

  getTreeItem(v: VariableEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.None);
    item.id = `variable:${v.name}`;
    item.description = v.secret ? '••••' : v.value.length > 80 ? `${v.value.slice(0, 80)}…` : v.value;
    item.tooltip = `${v.name}${v.secret ? ' (secret, not stored)' : ` = ${v.value}`}\nset by ${v.source} at ${new Date(v.updatedAt).toLocaleString()}`;
    item.iconPath = new vscode.ThemeIcon(v.secret ? 'key' : 'symbol-variable');
    item.contextValue = 'variable';
    return item;
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}

export async function editVariable(variables: Variables, entry?: VariableEntry): Promise<void> {
  const name =
    entry?.name ??
    (await vscode.window.showInputBox({
      title: 'New variable',
      prompt: 'Name (letters, digits, _ and -)',
      validateInput: (v) => (/^[A-Za-z_][\w-]*$/.test(v) ? null : 'letters, digits, _ and - only'),
    }));
  if (!name) return;
  const value = await vscode.window.showInputBox({
    title: `Value of ${name}`,
    value: entry && !entry.secret ? entry.value : '',
    password: entry?.secret ?? false,
  });
  if (value !== undefined) variables.set(name, value, 'user');
}
