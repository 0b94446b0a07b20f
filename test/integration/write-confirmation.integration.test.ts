// Cancelling a run while its write-confirmation modal is open, inside a real extension host. A modal
// cannot be closed from the extension: the run must end at once anyway, and whatever the dialog
// answers later, the command never runs (the `remove-marker` step would delete a marker file).
// The dialog stays open in the window afterwards, so this suite's file name sorts last among the
// trusted window's suites (build-tests.mjs runs them in name order).
import * as assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { CANCELLED_ASKING } from '../../src/core/run/runner';
import { Commands, Settings } from '../../src/extension/ids';
import { activateApi, waitFor } from './helpers';
import {
  MARKER,
  Steps,
  lookOf,
  recordEvents,
  runStepCommand,
  runnerRunbook,
  stepNode,
} from './runner-support';

describe('Cancelling a run that waits for a write confirmation', () => {
  it('the run ends as soon as it is cancelled; the write never runs', async function () {
    this.timeout(30_000);
    const api = await activateApi();
    assert.equal(
      vscode.workspace.getConfiguration(Settings.section).get(Settings.confirmWrites),
      true,
      'writes are not confirmed in this window',
    );
    const marker = join(dirname(runnerRunbook().fsPath), MARKER);
    writeFileSync(marker, 'must survive a cancelled confirmation\n');
    const node = await stepNode(api, Steps.removeMarker);
    const {
      value: handle,
      events,
      dispose,
    } = await recordEvents(api, () => runStepCommand(Steps.removeMarker));
    try {
      await waitFor('the step to start', () => events.some((e) => e.event.type === 'step-start'));
      // The modal is up: the run waits for it.
      await new Promise((r) => setTimeout(r, 700));
      assert.ok(
        api.controller.active().some((r) => r.handle.id === handle.id),
        'the run did not wait',
      );

      // With an id: the way the Output panel's Cancel button and other callers cancel one run.
      await vscode.commands.executeCommand(Commands.cancelRun, handle.id);
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        handle.done,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('the run still waits for the modal after the cancel')),
            5_000,
          );
        }),
      ]).finally(() => clearTimeout(timer));

      assert.equal(events.filter((e) => e.event.type === 'command-start').length, 0, 'the write started');
      const command = result.steps[0]?.commands[0];
      assert.equal(command?.exitCode, null, 'a process ran');
      const state = api.controller.stateOf(node.entry, Steps.removeMarker);
      assert.equal(state?.status, 'cancelled');
      assert.equal(state?.message, CANCELLED_ASKING);
      assert.deepEqual(lookOf(api, node), {
        description: 'cancelled · 1 command, 1 write',
        icon: 'circle-slash',
      });
      // Give a wrongly started command time to act before looking at the file.
      await new Promise((r) => setTimeout(r, 1_000));
      assert.ok(existsSync(marker), `${MARKER} was deleted after the run was cancelled`);
    } finally {
      dispose();
      rmSync(marker, { force: true });
    }
  });
});
