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
