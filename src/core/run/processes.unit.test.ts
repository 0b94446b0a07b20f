import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { listProcesses, parseEtime, parsePsOutput } from './processes';

test('etime forms parse to seconds', () => {
  assert.equal(parseEtime('05'), null);
  assert.equal(parseEtime('01:05'), 65);
  assert.equal(parseEtime('2:01:05'), 7265);
  assert.equal(parseEtime('3-02:01:05'), 3 * 86400 + 7265);
  assert.equal(parseEtime('soon'), null);
});

test('a process started just now is listed first with its full command line', async () => {
  const child = spawn('sleep', ['37.5'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1100));
    const list = await listProcesses();
    assert.ok(list.length > 3);
    const mine = list.find((p) => p.pid === child.pid);
    assert.ok(mine, 'the child is listed');
    assert.equal(mine.command, 'sleep 37.5');
    assert.ok(mine.ageSeconds <= 3);
    const older = list.filter((p) => p.ageSeconds > mine.ageSeconds + 1);
    assert.ok(
      older.every((p) => list.indexOf(p) > list.indexOf(mine)),
      'newest first',
    );
    assert.equal(parsePsOutput('garbage\n  12 00:01 root /bin/x -y\n')[0]!.command, '/bin/x -y');
  } finally {
    child.kill();
  }
});
