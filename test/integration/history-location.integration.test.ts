// Run History survives a reopened window: inside a real extension host, a run's record and output go
// to the extension's global storage under a key of the workspace folders, where a new window (a fresh
// HistoryStore on the folder it computes) reads them back; a history an older version left in a
// per-window folder is merged into the live one and shows in Run History.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { HistoryStore } from '../../src/core/run/history';
import { EXTENSION_ID } from '../../src/extension/ids';
import { historyFolder, historyKey, migrateHistory } from '../../src/extension/run/history-folder';
import { HistoryTreeProvider } from '../../src/extension/run/history-view';
import { activateApi, labelOf } from './helpers';
import { Steps, runStepCommand } from './runner-support';

describe('Run History location', () => {
  const folders = (): string[] => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());

  it('is <global storage>/history/<key of the workspace folders>; a fresh store there reads a run back', async function () {
    this.timeout(30_000);
    const api = await activateApi();
    await api.controller.historyReady;
    const dir = api.controller.history.dir;
    assert.ok(folders().length > 0, 'the test window has no workspace folder');
    assert.equal(basename(dir), historyKey({ folders: folders() }));
    const extensionStorage = dirname(dirname(dir));
    assert.deepEqual(
      [basename(dirname(dir)), basename(extensionStorage), basename(dirname(extensionStorage))],
      ['history', EXTENSION_ID, 'globalStorage'],
      `history is kept in ${dir}`,
    );

    api.controller.variables.set('probe-text', 'kept across windows', 'user');
    try {
      const handle = await runStepCommand(Steps.printValue);
      const result = await handle.done;
      assert.equal(result.status, 'ok', result.steps[0]?.message);

      // What a reopened window does: compute the folder from what it has open, open a store on it.
      const reopened = new HistoryStore(historyFolder(extensionStorage, { folders: folders() }));
      assert.equal(reopened.dir, dir);
      const [rec] = await reopened.list({ runId: handle.id });
      assert.ok(rec, 'the run is not in the history a new window reads');
      assert.equal(rec.stepId, Steps.printValue);
      assert.equal(await reopened.readOutput(rec), 'value=[kept across windows]\n');
      const view = new HistoryTreeProvider(reopened);
      const runs = await view.getChildren();
      const shown = runs.find((n) => n.kind === 'run' && n.records[0]?.runId === handle.id);
      assert.ok(shown, 'Run History over the new store does not list the run');
      assert.equal(labelOf(view.getTreeItem(shown)), 'Print a value');
    } finally {
      api.controller.variables.delete('probe-text');
    }
  });

  it('merges a history left in an old per-window folder into the live one, output files included', async function () {
    this.timeout(20_000);
    const api = await activateApi();
    await api.controller.historyReady;
    const legacy = mkdtempSync(join(tmpdir(), 'rb-legacy-history-'));
    try {
      const old = new HistoryStore(legacy);
      const id = `legacy-${Date.now().toString(36)}`;
      mkdirSync(join(legacy, 'output'));
      writeFileSync(old.outputPath(id), 'Mem: 64000 12000 52000\n');
      await old.append({
        v: 1,
        id,
        runId: `run-${id}`,
        runbook: '/srv/runbooks/memory.md',
        runbookTitle: 'Memory Leaks',
        stepId: 'free',
        stepTitle: 'Free memory (from the old folder)',
        commandIndex: 0,
        kind: 'command',
        command: 'free -m',
        status: 'ok',
        exitCode: 0,
        startedAt: '2026-01-02T03:04:05.000Z',
        durationMs: 40,
        outputFile: `output/${id}.log`,
        findings: null,
      });

      assert.equal(await migrateHistory(legacy, api.controller.history.dir), 1);
      assert.equal(existsSync(join(legacy, 'index.jsonl')), false, 'the old index is still there');
      const rec = await api.controller.history.get(id);
      assert.ok(rec, 'the moved record is not in the live history');
      assert.equal(await api.controller.history.readOutput(rec), 'Mem: 64000 12000 52000\n');
      const view = new HistoryTreeProvider(api.controller.history);
      const labels = (await view.getChildren()).map((n) => labelOf(view.getTreeItem(n)));
      assert.ok(labels.includes('Free memory (from the old folder)'), labels.join(', '));
      assert.equal(await migrateHistory(legacy, api.controller.history.dir), 0, 'moved twice');
    } finally {
      rmSync(legacy, { recursive: true, force: true });
    }
  });
});
