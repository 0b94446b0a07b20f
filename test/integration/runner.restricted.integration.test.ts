// Restricted Mode: invoking the run commands directly (as a malicious link or another extension
// could, bypassing hidden menus) spawns nothing. The runner itself refuses; checked with `ps`,
// the history folder and the file a write step would delete.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/ids';
import { activateApi, skipBecause } from './helpers';
import {
  LONG_SLEEP,
  MARKER,
  Steps,
  longSleeps,
  lookOf,
  recordEvents,
  runStepCommand,
  runnerRunbook,
  stepNode,
} from './runner-support';

describe('Runner in Restricted Mode', () => {
  before(function () {
    if (vscode.workspace.isTrusted)
      skipBecause(this, 'this window trusts its workspace, so it is not Restricted Mode');
  });

  for (const stepId of [Steps.waitLong, Steps.removeMarker, Steps.stream]) {
    it(`runStep on ${stepId} is refused: no process, no output, nothing changed`, async function () {
      this.timeout(20_000);
      const api = await activateApi();
      const marker = join(dirname(runnerRunbook().fsPath), MARKER);
      writeFileSync(marker, 'must survive\n');
      try {
        const { value: handle, events, dispose } = await recordEvents(api, () => runStepCommand(stepId));
        dispose();
        const result = await handle.done;
        assert.equal(result.status, 'refused');
        assert.match(result.steps[0]?.message ?? '', /not trusted/);
        assert.deepEqual(result.steps[0]?.commands, []);
        // Let anything that did start show itself.
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(longSleeps(), [], `a "${LONG_SLEEP}" is running`);
        assert.ok(existsSync(marker), `${MARKER} was deleted`);
        assert.deepEqual(
          events.map((e) => e.event.type).filter((t) => t === 'command-start' || t === 'output'),
          [],
        );
        assert.deepEqual(await api.controller.history.list({ runId: handle.id }), [], 'history records');
        const node = await stepNode(api, stepId);
        assert.equal(lookOf(api, node).icon, 'shield');
        assert.match(lookOf(api, node).description, /^refused/);
      } finally {
        rmSync(marker, { force: true });
      }
    });
  }

  it('runCommand on a tree node is refused the same way', async () => {
    const api = await activateApi();
    const step = await stepNode(api, Steps.waitLong);
    const [command] = await api.tree.getChildren(step);
    assert.ok(command && command.kind === 'command');
    const handle = await vscode.commands.executeCommand<{ done: Promise<{ status: string }> } | undefined>(
      Commands.runCommand,
      command,
    );
    assert.ok(handle);
    assert.equal((await handle.done).status, 'refused');
    assert.deepEqual(longSleeps(), []);
  });
});
