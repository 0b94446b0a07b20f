// The runner inside a real extension host, on real processes: steps of
// test/fixtures/workspace/runbooks/runner-checks.md started through `runbookDebugger.runStep` with
// the {uri, stepId} reference CodeLens passes, watched through the extension's API (events, step
// states, tree items, history), cancelled through `runbookDebugger.cancelRun`, checked with `ps`.
// The confirmation modal cannot be answered from here (it waits for a click in the workbench):
// declining it is covered by test/e2e/runner.e2e.test.ts; this suite covers the setting that relaxes it.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/extension/ids';
import { HistoryTreeProvider } from '../../src/extension/run/history-view';
import { activateApi, labelOf, waitFor } from './helpers';
import {
  LONG_SLEEP,
  MARKER,
  Steps,
  longSleeps,
  lookOf,
  processes,
  recordEvents,
  runStepCommand,
  runnerRunbook,
  stepNode,
} from './runner-support';

const INJECTION = '$(id); echo pwned `id` "quoted" \'single\'';

describe('Runner in VS Code', () => {
  const openTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  const outputTab = (): vscode.Tab | undefined => openTabs().find((t) => t.label === 'Runbook Output');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs a read step from a {uri, stepId} reference: output streams, the step goes running → ok in the tree', async function () {
    this.timeout(30_000);
    const api = await activateApi();
    const node = await stepNode(api, Steps.stream);
    const seen: string[] = [];
    const watchTree = api.controller.onDidChangeState(() => {
      const look = lookOf(api, node);
      if (seen.at(-1) !== look.description) seen.push(look.description);
    });
    const { value: handle, events, dispose } = await recordEvents(api, () => runStepCommand(Steps.stream));
    try {
      // While it runs: the tree says so, and the first lines have arrived but not the last.
      await waitFor('the first line of output', () =>
        events.some((e) => e.event.type === 'output' && e.event.chunk.text.includes('tick 1')),
      );
      const during = lookOf(api, node);
      assert.equal(during.icon, 'loading~spin');
      assert.match(during.description, /^running/);
      assert.equal(api.controller.stateOf(node.entry, Steps.stream)?.status, 'running');
      assert.ok(
        api.controller.active().some((r) => r.handle.id === handle.id),
        'the run is listed as active (status bar)',
      );

      const result = await handle.done;
      assert.equal(result.status, 'ok');
      const outputs = events.filter((e) => e.event.type === 'output');
      const text = outputs.map((e) => (e.event.type === 'output' ? e.event.chunk.text : '')).join('');
      assert.equal(text, 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
      // Streamed, not delivered at the end: the output came in several events, seconds apart.
      assert.ok(outputs.length >= 3, `output arrived in ${outputs.length} event(s)`);
      const spread = outputs.at(-1)!.at - outputs[0]!.at;
      assert.ok(spread >= 1500, `all output arrived within ${spread} ms`);
      const kinds = events.map((e) => e.event.type);
      assert.deepEqual(
        [kinds[0], kinds.at(-3), kinds.at(-2), kinds.at(-1)],
        ['step-start', 'command-end', 'step-end', 'run-end'],
      );

      await waitFor('the tree to show ok', () => lookOf(api, node).icon === 'pass');
      assert.match(lookOf(api, node).description, /^ok · 1 command$/);
      assert.ok(seen.some((d) => d.startsWith('running')) && seen.at(-1)?.startsWith('ok'), seen.join(' → '));
      assert.ok(
        !api.controller.active().some((r) => r.handle.id === handle.id),
        'the run is no longer active',
      );
    } finally {
      dispose();
      watchTree.dispose();
    }
  });

  it('the Runbook Output panel opens for the run', async () => {
    // Opened beside the editor by the run started in the previous test.
    await waitFor('a "Runbook Output" tab', () => outputTab());
    assert.ok(outputTab()?.input instanceof vscode.TabInputWebview);
  });

  it('keeps the run in history, lists it first in Run History, and reopens its output', async () => {
    const api = await activateApi();
    const [latest] = await api.controller.history.list({ limit: 1 });
    assert.ok(latest, 'no history record');
    assert.equal(latest.stepId, Steps.stream);
    assert.equal(latest.runbook, runnerRunbook().fsPath);
    assert.equal(latest.status, 'ok');
    assert.equal(latest.exitCode, 0);
    assert.equal(latest.command, 'for i in 1 2 3 4 5; do echo "tick $i"; sleep 0.6; done');
    assert.ok(latest.outputFile, 'the record names no output file');
    assert.equal(await api.controller.history.readOutput(latest), 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');

    // The Run History view's provider over the same store: newest run first, click = reopen.
    const view = new HistoryTreeProvider(api.controller.history);
    const [first] = await view.getChildren();
    assert.ok(first && first.kind === 'run', 'Run History is empty');
    const item = view.getTreeItem(first);
    assert.equal(labelOf(item), 'Stream a few lines');
    assert.equal((item.iconPath as { id?: string }).id, 'pass');
    assert.equal(item.command?.command, Commands.showHistoryRun);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the output panel to close', () => !outputTab());
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    await waitFor('the output panel to reopen on the history run', () => outputTab());
  });

  it('passes a value from the Variables store as data: shell syntax in it is printed, not run', async function () {
    this.timeout(20_000);
    const api = await activateApi();
    api.controller.variables.set('probe-text', INJECTION, 'user');
    try {
      const handle = await runStepCommand(Steps.printValue);
      const result = await handle.done;
      assert.equal(result.status, 'ok', result.steps[0]?.message);
      const command = result.steps[0]?.commands[0];
      assert.ok(command);
      assert.equal(command.output, `value=[${INJECTION}]\n`);
      assert.doesNotMatch(command.output, /uid=\d+/);
      const [rec] = await api.controller.history.list({ runId: handle.id });
      assert.ok(rec);
      assert.deepEqual(rec.variables, { probe_text: INJECTION });
    } finally {
      api.controller.variables.delete('probe-text');
    }
  });

  it('cancelRun stops a running step and its whole process group (nothing left in ps)', async function () {
    this.timeout(30_000);
    const api = await activateApi();
    const node = await stepNode(api, Steps.waitLong);
    assert.deepEqual(longSleeps(), [], `a "${LONG_SLEEP}" is running before the test`);
    const { value: handle, events, dispose } = await recordEvents(api, () => runStepCommand(Steps.waitLong));
    try {
      const started = await waitFor('the shell to say its pid', () => {
        for (const e of events)
          if (e.event.type === 'output') {
            const m = /shell (\d+) started/.exec(e.event.chunk.text);
            if (m) return Number(m[1]);
          }
        return undefined;
      });
      // Both sleeps (the background one and the foreground one) are in the shell's process group.
      const group = await waitFor('two sleeps in the shell’s process group', () => {
        const mine = processes().filter((p) => p.pgid === started);
        return mine.filter((p) => p.args === LONG_SLEEP).length === 2 && mine;
      });
      assert.ok(group.length >= 2);

      await vscode.commands.executeCommand(Commands.cancelRun, handle.id);
      const result = await handle.done;
      assert.equal(result.status, 'cancelled');
      assert.equal(result.steps[0]?.status, 'cancelled');
      const left = processes().filter((p) => p.pgid === started || p.args === LONG_SLEEP);
      assert.deepEqual(left, [], 'processes survived the cancel');
      await waitFor('the tree to show cancelled', () => lookOf(api, node).icon === 'circle-slash');
      assert.match(lookOf(api, node).description, /^cancelled/);
      const [rec] = await api.controller.history.list({ runId: handle.id });
      assert.equal(rec?.status, 'cancelled');
    } finally {
      dispose();
      for (const p of longSleeps()) process.kill(p.pid, 'SIGKILL');
    }
  });

  it('with confirmWrites off (user setting), a write step runs without asking and is recorded', async function () {
    this.timeout(20_000);
    const api = await activateApi();
    const marker = join(dirname(runnerRunbook().fsPath), MARKER);
    const config = vscode.workspace.getConfiguration(Settings.section);
    writeFileSync(marker, 'made by the runner suite\n');
    await config.update(Settings.confirmWrites, false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(
        'the setting to apply',
        () => vscode.workspace.getConfiguration(Settings.section).get(Settings.confirmWrites) === false,
      );
      const handle = await runStepCommand(Steps.removeMarker);
      const result = await handle.done;
      assert.equal(result.status, 'ok', result.steps[0]?.message);
      assert.equal(existsSync(marker), false, `${MARKER} is still there`);
      const [rec] = await api.controller.history.list({ runId: handle.id });
      assert.equal(rec?.command, `rm -f "$(pwd)/${MARKER}"`);
      assert.equal(rec?.status, 'ok');
    } finally {
      await config.update(Settings.confirmWrites, undefined, vscode.ConfigurationTarget.Global);
      rmSync(marker, { force: true });
    }
  });

  it('a value that would become an option is refused before anything runs; the tree says error', async function () {
    this.timeout(20_000);
    const api = await activateApi();
    const node = await stepNode(api, Steps.printValue);
    api.controller.variables.set('probe-text', '-n', 'user');
    try {
      const result = await (await runStepCommand(Steps.printValue)).done;
      assert.equal(result.status, 'error');
      const command = result.steps[0]?.commands[0];
      assert.ok(command);
      assert.equal(command.exitCode, null, 'no process ran');
      assert.equal(command.output, '');
      assert.match(
        command.message ?? '',
        /<probe-text>: a value starting with "-" would be read as an option/,
      );
      await waitFor('the tree to show the error', () => lookOf(api, node).icon === 'error');
      assert.match(lookOf(api, node).description, /^error/);
    } finally {
      api.controller.variables.delete('probe-text');
    }
  });
});
