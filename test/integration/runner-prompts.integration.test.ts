// Cancelling a run while it waits for a placeholder value, inside a real extension host: the
// runbook's `print-value` step asks for <probe-text> in an input box (no value is set), and the
// Cancel Run command (what the status-bar item runs) must end that wait: the box closes, the run
// ends as cancelled and no process is started.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/ids';
import { CANCELLED_ASKING, type RunResult } from '../../src/core/run/runner';
import { activateApi, waitFor } from './helpers';
import { Steps, lookOf, recordEvents, runStepCommand, stepNode } from './runner-support';

/** The run's result, or a failure saying the run was still waiting `ms` after the cancel. */
async function endsWithin(done: Promise<RunResult>, ms: number, what: string): Promise<RunResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} was still waiting ${ms} ms after the cancel`)), ms);
  });
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('Cancelling a run that waits for a value', () => {
  afterEach(async () => {
    // A box the run left open (only when the cancel failed to close it) would block later suites.
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('the Cancel Run command closes the input box; the step ends cancelled and nothing runs', async function () {
    this.timeout(30_000);
    const api = await activateApi();
    api.controller.variables.delete('probe-text');
    assert.deepEqual(
      api.controller.active().map((r) => r.title),
      [],
      'a run is active before the test',
    );
    const node = await stepNode(api, Steps.printValue);
    const {
      value: handle,
      events,
      dispose,
    } = await recordEvents(api, () => runStepCommand(Steps.printValue));
    try {
      await waitFor('the step to start', () => events.some((e) => e.event.type === 'step-start'));
      // The input box is up now: the run stays active, nothing started, until someone answers.
      await new Promise((r) => setTimeout(r, 700));
      assert.ok(
        api.controller.active().some((r) => r.handle.id === handle.id),
        'the run ended without an answer',
      );

      // No argument: the status-bar item's way (one run active: it is cancelled without a picker).
      await vscode.commands.executeCommand(Commands.cancelRun);
      const result = await endsWithin(handle.done, 5_000, 'the run');

      assert.equal(
        events.filter((e) => e.event.type === 'command-start').length,
        0,
        'a command was started after the cancel',
      );
      const step = result.steps[0];
      assert.deepEqual(step?.commands, []);
      // The runner's own words for a step left without a value; the person cancelled it.
      assert.deepEqual(step?.missing, ['probe-text']);
      const state = api.controller.stateOf(node.entry, Steps.printValue);
      assert.equal(state?.status, 'cancelled');
      assert.equal(state?.outcome, 'cancelled');
      assert.equal(state?.message, CANCELLED_ASKING);
      assert.deepEqual(lookOf(api, node), { description: 'cancelled · 1 command', icon: 'circle-slash' });
      assert.deepEqual(await api.controller.history.list({ runId: handle.id }), [], 'a command was recorded');
      assert.equal(api.controller.active().length, 0, 'the run is still listed as active');
    } finally {
      dispose();
    }
  });
});
