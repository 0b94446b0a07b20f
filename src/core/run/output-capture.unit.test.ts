// stdout written straight into the output file (output-capture.ts), with real processes: the raw
// file is kept as it is while the output is clean (same inode, nothing copied), replaced by a
// cleaned copy as soon as anything differs, stderr lands in order, and a process that escapes the
// group cannot keep writing into what was stored.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Masker, MASK } from './mask';
import { OutputCapture, roomForCapture } from './output-capture';
import { executeProcess, type OutputChunk, type ProcessOptions } from './process';
import { nodeSpawner, type SpawnRequest } from './spawner';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-capture-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
const sh = (script: string): SpawnRequest => ({ file: 'bash', args: ['-c', script], cwd: dir, env });
const opts = (outputFile: string, more: Partial<ProcessOptions> = {}): ProcessOptions => ({
  spawner: nodeSpawner,
  isTrusted: () => true,
  masker: new Masker(),
  timeoutMs: 30_000,
  maxOutputBytes: 64 << 20,
  graceMs: 300,
  displayLimit: 1 << 20,
  outputFile,
  ...more,
});

/** Runs the script; returns the result, the file's text and whether the raw file was kept. */
async function capture(name: string, script: string, more: Partial<ProcessOptions> = {}) {
  const outputFile = join(dir, `${name}.log`);
  let inodeAtStart = -1;
  const r = await executeProcess(
    sh(script),
    opts(outputFile, { ...more, onStart: () => (inodeAtStart = statSync(outputFile).ino) }),
  );
  return {
    r,
    text: readFileSync(outputFile, 'utf8'),
    keptRaw: statSync(outputFile).ino === inodeAtStart,
    leftovers: readdirSync(dir).filter((f) => f.startsWith(name) && f !== `${name}.log`),
  };
}

describe('stdout straight into the output file', () => {
  test('clean output: the file the command wrote is the stored file, byte for byte', async () => {
    const c = await capture('clean', 'seq 1 200000; printf "café ✓ last line without newline"');
    assert.equal(c.r.status, 'ok');
    const want =
      Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join('') + 'café ✓ last line without newline';
    assert.equal(c.text, want);
    assert.equal(c.keptRaw, true, 'nothing was copied');
    assert.deepEqual(c.leftovers, []);
    assert.equal(c.r.outputBytes, Buffer.byteLength(want));
    assert.equal(c.r.lastLine, 'café ✓ last line without newline');
  });

  test('a listener gets clean output in parts of at most 64 KB, colour spans cut to match', async () => {
    const chunks: OutputChunk[] = [];
    const c = await capture('parts', `printf '\\033[31m'; seq 1 300000; printf '\\033[0mdone\\n'`, {
      onOutput: (ch) => chunks.push(ch),
    });
    const numbers = Array.from({ length: 300000 }, (_, i) => `${i + 1}\n`).join('');
    assert.equal(c.text, `${numbers}done\n`);
    assert.equal(chunks.map((ch) => ch.text).join(''), c.text);
    assert.ok(Math.max(...chunks.map((ch) => ch.text.length)) <= 64 * 1024);
    for (const ch of chunks.filter((x) => x.text !== 'done\n'))
      assert.deepEqual(ch.spans, [{ start: 0, end: ch.text.length, style: { fg: 1 } }]);
  });

  test('a colour code or a secret: the stored file is the cleaned copy, the raw one is gone', async () => {
    const secret = 'tok-0123456789abcdef';
    const c = await capture('dirty', `seq 1 50000; printf '\\033[31mred\\033[0m token=%s\\n' "$S"; seq 1 3`, {
      masker: new Masker([secret]),
    });
    const plain = Array.from({ length: 50000 }, (_, i) => `${i + 1}\n`).join('');
    assert.equal(c.r.status, 'ok');
    assert.equal(c.text, `${plain}red token=\n1\n2\n3\n`);
    assert.equal(c.keptRaw, false);
    assert.deepEqual(c.leftovers, []);

    const outputFile = join(dir, 'secret.log');
    const r = await executeProcess(
      { ...sh(`echo start; printf 'token=%s\\n' "$S"; echo end`), env: { ...env, S: secret } },
      opts(outputFile, { masker: new Masker([secret]) }),
    );
    assert.equal(r.status, 'ok');
    assert.equal(readFileSync(outputFile, 'utf8'), `start\ntoken=${MASK}\nend\n`);
  });

  test('stderr lands between the stdout lines written before and after it', async () => {
    const c = await capture('order', 'echo one; sleep 0.3; echo two >&2; sleep 0.3; echo three');
    assert.equal(c.text, 'one\ntwo\nthree\n');
    assert.equal(c.r.output, 'one\ntwo\nthree\n');
    assert.deepEqual(c.leftovers, []);
  });

  test('a command that opens /dev/stdout by name keeps a pipe, so nothing is written over', async () => {
    // With a file there, tee would truncate it and write over "first". Node's stdout pipe is a
    // socket, which /dev/stdout cannot open: tee says so, as it did before stdout went to a file.
    const c = await capture('devstdout', 'echo first; echo twice | tee /dev/stdout; echo last');
    assert.equal(c.text, c.r.output);
    // stdout and stderr are two pipes here, so only the order within stdout is certain.
    assert.match(c.text.replace(/^tee: .*\n/m, ''), /^first\ntwice\nlast\n$/);
  });

  test('a stderr line after megabytes of stdout: the stdout before it is read up to exactly there', async () => {
    // stderr makes the capture read what stdout has so far, a part of a block: nothing of an
    // earlier block may come along (the read buffer is reused).
    const c = await capture('catchup', 'seq 1 300000; sleep 0.2; echo err >&2; sleep 0.2; seq 1 3');
    const numbers = Array.from({ length: 300000 }, (_, i) => `${i + 1}\n`).join('');
    assert.equal(c.text, `${numbers}err\n1\n2\n3\n`);
    assert.ok(c.r.output.endsWith('300000\nerr\n1\n2\n3\n'));
  });

  test('past the output limit the command is stopped and the file holds exactly the limit', async () => {
    const c = await capture('limit', 'yes runbook', { maxOutputBytes: 8 << 20 });
    assert.equal(c.r.status, 'output-limit');
    assert.equal(statSync(join(dir, 'limit.log')).size, 8 << 20);
    assert.ok(c.r.outputBytes >= 8 << 20);
    assert.equal(c.keptRaw, true);
  });

  test('a process that leaves the group keeps nothing of what it writes later in the stored file', async (t) => {
    if (!existsSync('/proc/self/fd')) return t.skip('no /proc: holders of the file cannot be found here');
    try {
      execFileSync('setsid', ['--version'], { stdio: 'ignore' });
    } catch {
      return t.skip('setsid (util-linux) is not installed');
    }
    const c = await capture(
      'escaped',
      `setsid bash -c 'sleep 0.6; echo late; sleep 30' 2>/dev/null & echo main`,
    );
    const m = /\(pid (\d+)\) left the command's process group/.exec(c.r.message ?? '');
    const pids = [...(c.r.message ?? '').matchAll(/\(pid (\d+)\)/g)].map((x) => Number(x[1]));
    try {
      assert.ok(m, `the result says so: ${c.r.message}`);
      assert.equal(c.text, 'main\n');
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(readFileSync(join(dir, 'escaped.log'), 'utf8'), 'main\n');
    } finally {
      for (const pid of pids)
        for (const target of [-pid, pid])
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // Already gone (a short-lived child of the escaped shell).
          }
    }
  });

  test('an output file that cannot be created is a clear error, and nothing runs', async () => {
    const blocked = join(dir, 'not-a-dir');
    execFileSync('touch', [blocked]);
    let started = false;
    const r = await executeProcess(
      sh('echo hi'),
      opts(join(blocked, 'out.log'), { onStart: () => (started = true) }),
    );
    assert.equal(r.status, 'error');
    assert.match(r.message ?? '', /could not create the output file/);
    assert.equal(started, false);
  });

  test('OutputCapture alone: divergence copies the clean prefix, then takes the rest', () => {
    const path = join(dir, 'unit.log');
    const cap = new OutputCapture(path);
    assert.ok(cap.ok);
    // Stand in for the child: write raw bytes through its descriptor.
    execFileSync('printf', ['abc\\n\\033[1mdef\\n'], { stdio: ['ignore', cap.childFd!, 'inherit'] });
    const blocks: Buffer[] = [];
    cap.tail(
      (b) => blocks.push(b),
      Infinity,
      () => undefined,
    );
    cap.catchUp();
    assert.equal(Buffer.concat(blocks).toString(), 'abc\n\x1b[1mdef\n');
    cap.store(Buffer.from('abc\n'), true);
    assert.equal(cap.diverged, false);
    cap.store('def\n', false);
    assert.equal(cap.diverged, true);
    cap.finish();
    assert.equal(readFileSync(path, 'utf8'), 'abc\ndef\n');
    assert.equal(existsSync(`${path}.clean`), false);
  });

  test('room for the output is checked first: a nearly full disk gets the pipe', () => {
    const MB = 1 << 20;
    const free = (bytes: number) => () => ({ bavail: bytes / 4096, bsize: 4096 });
    assert.equal(roomForCapture(dir, 256 * MB, free(512 * MB)), true);
    assert.equal(roomForCapture(dir, 256 * MB, free(300 * MB)), false, 'the output plus 64 MB must fit');
    // A huge limit asks for at most 1 GB (+ 64 MB) of room.
    assert.equal(roomForCapture(dir, 2 ** 40, free(1200 * MB)), true);
    // The history folder not made yet: its nearest existing parent is asked.
    const asked: string[] = [];
    const statfs = (p: string) => {
      asked.push(p);
      if (p !== dir) throw Object.assign(new Error('no such folder'), { code: 'ENOENT' });
      return { bavail: 1e9, bsize: 4096 };
    };
    assert.equal(roomForCapture(join(dir, 'history', 'output'), MB, statfs), true);
    assert.deepEqual(asked, [join(dir, 'history', 'output'), join(dir, 'history'), dir]);
    // Anything else unknown: no.
    const broken = () => {
      throw Object.assign(new Error('denied'), { code: 'EACCES' });
    };
    assert.equal(roomForCapture(dir, MB, broken), false);
    assert.equal(roomForCapture(dir, MB), true, 'the test machine has room in its temp folder');
  });

  test('with the history on a full disk the command still runs; only the stored copy is lost', async (t) => {
    const mnt = join(dir, 'full');
    execFileSync('mkdir', ['-p', mnt]);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    if (mounted.status !== 0)
      return t.skip(`a small tmpfs cannot be mounted here (${String(mounted.stderr).trim() || 'not root'})`);
    try {
      const r = await executeProcess(sh('seq 1 300000'), opts(join(mnt, 'out.log')));
      // Straight into a file on that disk, seq itself would fail: "write error: No space left".
      assert.equal(r.status, 'ok', r.message);
      assert.equal(r.exitCode, 0);
      assert.ok(r.output.endsWith('299999\n300000\n'));
      assert.match(r.message ?? '', /could not write the output file/);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});
