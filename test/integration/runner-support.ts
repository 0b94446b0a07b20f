// Shared by the runner suites (trusted and Restricted Mode): the test runbook's steps by id, the
// commands that run them the way CodeLens does ({uri, stepId}), and what `ps` says is alive.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { RunbookDebuggerApi } from '../../src/extension/api';
import { Commands } from '../../src/extension/ids';
import type { RunbookNode } from '../../src/extension/runbooks-tree';
import type { RunEvent, RunHandle } from '../../src/core/run/runner';
import { findNode, layout, sameFile, workspaceFile } from './helpers';

/** Step ids of test/fixtures/workspace/runbooks/runner-checks.md. */
export const Steps = {
  stream: 'stream-lines',
  printValue: 'print-value',
  waitLong: 'wait-long',
  removeMarker: 'remove-marker',
} as const;

/** The file `remove-marker` deletes, beside the runbook (its working directory). */
export const MARKER = 'runner-marker.tmp';
/** `wait-long` sleeps this many seconds: a number no other test on the machine uses. */
export const LONG_SLEEP = 'sleep 317';

export const runnerRunbook = (): vscode.Uri => workspaceFile(layout.runner);

/** Runs a step through the command CodeLens uses, and returns what the command returned. */
export async function runStepCommand(stepId: string): Promise<RunHandle> {
  const handle = await vscode.commands.executeCommand<RunHandle | undefined>(Commands.runStep, {
    uri: runnerRunbook(),
    stepId,
  });
  assert.ok(handle, `${Commands.runStep} started no run for ${stepId}`);
  return handle;
}

export async function stepNode(
  api: RunbookDebuggerApi,
  stepId: string,
): Promise<Extract<RunbookNode, { kind: 'step' }>> {
  const file = runnerRunbook();
  const book = await findNode(api, (n) => n.kind === 'runbook' && sameFile(n.entry.uri, file));
  assert.ok(book, `${layout.runner} is not in the Runbooks tree`);
  const node = await findNode(api, (n) => n.kind === 'step' && n.step.id === stepId, book);
  assert.ok(node && node.kind === 'step', `no step ${stepId} under ${layout.runner}`);
  return node;
}

export interface TreeLook {
  description: string;
  icon: string;
}

/** What the tree shows for a step right now: its description and its icon's codicon id. */
export function lookOf(api: RunbookDebuggerApi, node: RunbookNode): TreeLook {
  const item = api.tree.getTreeItem(node);
  const icon = item.iconPath as { id?: string } | undefined;
  return { description: String(item.description ?? ''), icon: icon?.id ?? '' };
}

/** Every event of the runs that start while `body` runs, with the time each arrived. */
export async function recordEvents<T>(
  api: RunbookDebuggerApi,
  body: () => Promise<T>,
): Promise<{ value: T; events: { at: number; event: RunEvent }[]; dispose(): void }> {
  const events: { at: number; event: RunEvent }[] = [];
  const sub = api.controller.onRunEvent(({ event }) => events.push({ at: Date.now(), event }));
  try {
    return { value: await body(), events, dispose: () => sub.dispose() };
  } catch (err) {
    sub.dispose();
    throw err;
  }
}

export interface ProcessRow {
  pid: number;
  pgid: number;
  args: string;
}

/**
 * Every live process on the machine, from a real `ps`. Zombies are left out: they are dead, only
 * waiting for PID 1 to collect them (a killed shell's background child is reparented there).
 */
export function processes(): ProcessRow[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[3]!.startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[4]! }));
}

export function longSleeps(): ProcessRow[] {
  return processes().filter((p) => p.args === LONG_SLEEP);
}
