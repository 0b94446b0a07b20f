import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessRegistry, processStartTicks } from './orphans';
import { groupAlive } from './spawner';

test('groups left by a crashed session are stopped; reused pids and junk are left alone', async (t) => {
  if (!existsSync('/proc/self/stat')) return t.skip('no /proc: start times cannot be checked here');
  const dir = mkdtempSync(join(tmpdir(), 'rb-orphans-'));
  try {
    // A "previous session" started this group and crashed without cleaning up.
    const child = spawn('bash', ['-c', 'sleep 300 & sleep 300'], { detached: true, stdio: 'ignore' });
    child.unref();
    const pid = child.pid!;
    new ProcessRegistry(dir).add(pid, 'bash -c ...');
    // An entry whose pid now belongs to another process (start time differs): must not be touched.
    const self = processStartTicks(process.pid)!;
    writeFileSync(
      join(dir, 'running', `${process.pid}.json`),
      JSON.stringify({ pid: process.pid, startTicks: self + 1, command: 'x', startedAt: '' }),
    );
    mkdirSync(join(dir, 'running'), { recursive: true });
    writeFileSync(join(dir, 'running', 'junk.json'), '{not json');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(groupAlive(pid), true);

    const stopped = await new ProcessRegistry(dir).cleanOrphans(300);
    assert.deepEqual(stopped, [pid]);
    assert.equal(groupAlive(pid), false);
    assert.deepEqual(readdirSync(join(dir, 'running')), []);
    assert.equal(await new ProcessRegistry(join(dir, 'none')).cleanOrphans().then((s) => s.length), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("another live window's runs are left alone; a dead owner's run is stopped and its raw output deleted", async (t) => {
  if (!existsSync('/proc/self/stat')) return t.skip('no /proc: start times cannot be checked here');
  const dir = mkdtempSync(join(tmpdir(), 'rb-orphans-owner-'));
  const owner = spawn('sleep', ['300'], { stdio: 'ignore' });
  const run = spawn('bash', ['-c', 'sleep 300 & sleep 300'], { detached: true, stdio: 'ignore' });
  run.unref();
  try {
    await new Promise((r) => setTimeout(r, 100));
    const outputFile = join(dir, 'output', 'run.log');
    mkdirSync(join(dir, 'output'), { recursive: true });
    writeFileSync(outputFile, 'raw, possibly unmasked');
    mkdirSync(join(dir, 'running'), { recursive: true });
    writeFileSync(
      join(dir, 'running', `${run.pid}.json`),
      JSON.stringify({
        pid: run.pid,
        startTicks: processStartTicks(run.pid!),
        command: 'bash -c ...',
        startedAt: new Date().toISOString(),
        owner: { pid: owner.pid, startTicks: processStartTicks(owner.pid!) },
        outputFile,
      }),
    );
    // The window that started it is still open: its run goes on, its file stays.
    assert.deepEqual(await new ProcessRegistry(dir).cleanOrphans(300), []);
    assert.equal(groupAlive(run.pid!), true);
    assert.equal(existsSync(outputFile), true);
    assert.equal(readdirSync(join(dir, 'running')).length, 1);

    // That window crashed: the next start stops the run and deletes what it was writing.
    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('exit', r));
    assert.deepEqual(await new ProcessRegistry(dir).cleanOrphans(300), [run.pid]);
    assert.equal(groupAlive(run.pid!), false);
    assert.equal(existsSync(outputFile), false);
    assert.deepEqual(readdirSync(join(dir, 'running')), []);
  } finally {
    owner.kill('SIGKILL');
    try {
      process.kill(-run.pid!, 'SIGKILL');
    } catch {
      // Already stopped by the test.
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
