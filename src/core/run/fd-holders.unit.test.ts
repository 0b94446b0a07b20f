// Which processes still hold a file after a command: session leaders started since (what setsid
// makes), not processes of older sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileHolders } from './fd-holders';

test('a session leader holding the file is found; a process in an older session is not', async (t) => {
  if (!existsSync('/proc/self/fd')) return t.skip('no /proc: holders of a file cannot be listed here');
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rb-holders-')));
  const file = join(dir, 'out.log');
  const fd = openSync(file, 'w');
  const children: ChildProcess[] = [];
  try {
    // Same session as this test (older than any "command"): not an escaped process.
    const sameSession = spawn('sleep', ['30'], { stdio: ['ignore', fd, 'ignore'] });
    // detached: a new session led by the child, as a command that ran setsid would make.
    const newSession = spawn('sleep', ['30'], { stdio: ['ignore', fd, 'ignore'], detached: true });
    children.push(sameSession, newSession);
    await new Promise((r) => setTimeout(r, 100));
    const since = Math.min(sameSession.pid!, newSession.pid!);
    const found = fileHolders(file, since);
    assert.deepEqual(
      found.map((h) => h.pid),
      [newSession.pid],
    );
    assert.equal(found[0]!.name, 'sleep');
    assert.deepEqual(fileHolders(join(dir, 'other.log'), since), []);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
