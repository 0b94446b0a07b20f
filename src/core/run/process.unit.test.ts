// Real processes through both spawners: streaming, exit codes, whole-tree stop on cancel, timeout
// and runaway output, leftovers, missing tools, trust.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Masker, MASK } from './mask';
import { executeProcess, type OutputChunk, type ProcessOptions } from './process';
import { execaSpawner, nodeSpawner, type SpawnRequest, type Spawner } from './spawner';
import { TerminalSanitizer } from './terminal';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-process-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
const sh = (script: string): SpawnRequest => ({ file: 'bash', args: ['-c', script], cwd: dir, env });

function opts(spawner: Spawner, more: Partial<ProcessOptions> = {}): ProcessOptions {
  return {
    spawner,
    isTrusted: () => true,
    masker: new Masker(),
    timeoutMs: 30_000,
    maxOutputBytes: 64 << 20,
    graceMs: 300,
    displayLimit: 1 << 20,
    ...more,
  };
}

/** pids of every live process in process group `pgid` (zombies excluded). */
function groupMembers(pgid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, g, stat]) => Number(g) === pgid && !stat?.startsWith('Z'))
    .map(([p]) => Number(p));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// stdout goes straight into the output file by default (output-capture.ts); the piped path is the
// one used without an output file, and is run here against the same expectations.
for (const [name, spawner, stdoutToFile] of [
  ['execa', execaSpawner, true],
  ['child_process', nodeSpawner, true],
  ['piped', nodeSpawner, false],
] as const) {
  const o = (sp: Spawner, more: Partial<ProcessOptions> = {}): ProcessOptions =>
    opts(sp, { stdoutToFile, ...more });
  describe(`process (${name}${stdoutToFile ? '' : ', stdout through a pipe'})`, () => {
    test('streams stdout and stderr as they arrive and records exit, duration and start', async () => {
      const chunks: OutputChunk[] = [];
      const times: number[] = [];
      const outputFile = join(dir, `${name}-stream.log`);
      const r = await executeProcess(
        sh('echo one; sleep 0.4; echo two >&2; exit 3'),
        o(spawner, {
          outputFile,
          onOutput: (c) => {
            chunks.push(c);
            times.push(Date.now());
          },
        }),
      );
      assert.equal(r.status, 'failed');
      assert.equal(r.exitCode, 3);
      assert.equal(r.message, 'exited with code 3');
      assert.deepEqual(
        chunks.map((c) => [c.stream, c.text]),
        [
          ['stdout', 'one\n'],
          ['stderr', 'two\n'],
        ],
      );
      assert.ok(times[1]! - times[0]! >= 300, 'the first line arrived before the command finished');
      assert.ok(r.durationMs >= 400 && r.durationMs < 10_000);
      assert.ok(Math.abs(Date.parse(r.startedAt) - (Date.now() - r.durationMs)) < 2000);
      assert.equal(readFileSync(outputFile, 'utf8'), 'one\ntwo\n');
    });

    test("cancel stops the whole tree: nothing of `bash -c 'sleep 300 & sleep 300'` survives", async () => {
      const ac = new AbortController();
      let pgid = 0;
      const members: number[] = [];
      const run = executeProcess(
        sh('sleep 300 & sleep 300'),
        o(spawner, {
          signal: ac.signal,
          onStart: (pid) => {
            pgid = pid;
          },
        }),
      );
      await waitFor(() => pgid > 0 && groupMembers(pgid).length >= 3);
      members.push(...groupMembers(pgid));
      ac.abort();
      const r = await run;
      assert.equal(r.status, 'cancelled');
      assert.match(r.message ?? '', /cancelled/);
      assert.deepEqual(groupMembers(pgid), []);
      for (const pid of members) assert.equal(alive(pid), false, `pid ${pid} survived`);
    });

    test('timeout stops the tree and says so', async () => {
      let pgid = 0;
      const r = await executeProcess(
        sh('sleep 300 & sleep 300'),
        o(spawner, { timeoutMs: 500, onStart: (p) => (pgid = p) }),
      );
      assert.equal(r.status, 'timeout');
      assert.match(r.message ?? '', /timed out after 0\.5s/);
      assert.deepEqual(groupMembers(pgid), []);
    });

    test('a process that ignores SIGINT and SIGTERM is killed after the grace period', async () => {
      let pgid = 0;
      const r = await executeProcess(
        sh(`trap '' INT TERM; echo ready; while :; do sleep 0.05; done`),
        o(spawner, { timeoutMs: 300, graceMs: 200, onStart: (p) => (pgid = p) }),
      );
      assert.equal(r.status, 'timeout');
      assert.deepEqual(groupMembers(pgid), []);
    });

    test('background jobs left behind by a finished command are stopped', async () => {
      let pgid = 0;
      const r = await executeProcess(
        sh('sleep 300 >/dev/null 2>&1 & echo started'),
        o(spawner, { onStart: (p) => (pgid = p) }),
      );
      assert.equal(r.status, 'ok');
      assert.equal(r.output, 'started\n');
      assert.deepEqual(groupMembers(pgid), []);
    });

    test('endless output is stopped by the size cap with a clear status, memory bounded', async () => {
      const outputFile = join(dir, `${name}-yes.log`);
      const before = process.memoryUsage().rss;
      const r = await executeProcess(
        { file: 'yes', args: ['runbook'], cwd: dir, env },
        o(spawner, { maxOutputBytes: 20 << 20, displayLimit: 64 << 10, outputFile }),
      );
      assert.equal(r.status, 'output-limit');
      assert.match(r.message ?? '', /passed the 20 MB limit/);
      assert.equal(statSync(outputFile).size, 20 << 20);
      assert.ok(r.output.length <= 64 << 10);
      assert.ok(r.outputTruncated);
      assert.ok(process.memoryUsage().rss - before < 200 << 20);
    });

    test('endless output is stopped by the timeout too', async () => {
      const r = await executeProcess(
        { file: 'yes', args: [], cwd: dir, env },
        o(spawner, { timeoutMs: 400, displayLimit: 4096, maxOutputBytes: 2 ** 40 }),
      );
      assert.equal(r.status, 'timeout');
      assert.ok(r.outputBytes > 0);
      assert.equal(r.output.length, 4096);
    });

    test('a missing tool is named, with how to install it', async () => {
      const r = await executeProcess(sh('py-spy dump --pid 1'), o(spawner));
      assert.equal(r.status, 'failed');
      assert.equal(r.exitCode, 127);
      assert.equal(r.missingTool, 'py-spy');
      assert.match(r.message ?? '', /py-spy is not installed.*pip install py-spy/);
      const direct = await executeProcess(
        { file: 'definitely-not-a-tool', args: [], cwd: dir, env },
        o(spawner),
      );
      assert.equal(direct.status, 'error');
      assert.match(direct.message ?? '', /definitely-not-a-tool is not installed/);
    });

    test('untrusted: nothing is spawned', async () => {
      let spawned = 0;
      const counting: Spawner = (req) => {
        spawned++;
        return spawner(req);
      };
      const r = await executeProcess(sh('touch should-not-exist'), o(counting, { isTrusted: () => false }));
      assert.equal(r.status, 'refused');
      assert.match(r.message ?? '', /not trusted/);
      assert.equal(spawned, 0);
    });

    test('secrets are masked in live output and the file, escapes removed, colour kept as spans', async () => {
      const outputFile = join(dir, `${name}-mask.log`);
      const chunks: OutputChunk[] = [];
      const r = await executeProcess(
        {
          ...sh(
            `printf 'url postgres://u:hunter22@db/x\\n'; printf 'tok=%s' "$API_TOKEN"; sleep 0.3; printf '\\n\\033[31mred\\033[0m\\033]0;title\\007\\033[2Jend\\n'`,
          ),
          env: { ...env, API_TOKEN: 'tok-abcdef-123' },
        },
        o(spawner, {
          outputFile,
          masker: Masker.fromEnv({ API_TOKEN: 'tok-abcdef-123' }),
          onOutput: (c) => chunks.push(c),
          idleFlushMs: 100,
        }),
      );
      assert.equal(r.status, 'ok');
      const all = chunks.map((c) => c.text).join('');
      assert.equal(all, `url postgres://u:${MASK}@db/x\ntok=${MASK}\nredend\n`);
      assert.equal(readFileSync(outputFile, 'utf8'), all);
      const red = chunks.find((c) => c.text.includes('red'))!;
      assert.deepEqual(red.spans, [
        { start: red.text.indexOf('red'), end: red.text.indexOf('red') + 3, style: { fg: 1 } },
      ]);
    });

    test('a secret printed in two pieces with a pause between is still masked', async () => {
      const secret = 'tok-abcdef-123456';
      const chunks: OutputChunk[] = [];
      const r = await executeProcess(
        {
          file: 'bash',
          args: ['-c', `printf 'token is %s' "\${S:0:8}"; sleep 0.4; printf '%s done\\n' "\${S:8}"`],
          cwd: dir,
          env: { ...env, S: secret },
        },
        o(spawner, { masker: new Masker([secret]), onOutput: (c) => chunks.push(c), idleFlushMs: 100 }),
      );
      assert.equal(r.status, 'ok');
      assert.equal(chunks.map((c) => c.text).join(''), `token is ${MASK} done\n`);
    });

    test('megabytes of mixed output: file and live view equal the one-piece slow path', async () => {
      // Pieces written with a pause between them, so the pipe cuts exactly inside a secret, an
      // escape sequence and a UTF-8 character; then plain lines, colour, binary.
      const secret = 'sk-live-0123456789abcdef';
      const rnd = Buffer.alloc(200_000);
      for (let i = 0, x = 7; i < rnd.length; i++) rnd[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16;
      const emoji = Buffer.from('🎉');
      const pieces: Buffer[] = [
        Buffer.from('plain log line 0123456789 with nothing to hide\n'.repeat(40_000)),
        Buffer.from(`value ${secret.slice(0, 7)}`),
        Buffer.from(`${secret.slice(7)} end\npassword=hunter22 \x1b[3`),
        Buffer.from(`1mred\x1b[0m ok\nparty `),
        Buffer.concat([emoji.subarray(0, 2)]),
        Buffer.concat([emoji.subarray(2), Buffer.from(' café\n')]),
        rnd,
        Buffer.from('\nafter the binary\n' + 'x'.repeat(100_000) + ` ${secret} tail\n`),
      ];
      const data = join(dir, `${name}-pieces.json`);
      writeFileSync(data, JSON.stringify(pieces.map((p) => p.toString('base64'))));
      const outputFile = join(dir, `${name}-mixed.log`);
      const chunks: OutputChunk[] = [];
      const masker = new Masker([secret]);
      const r = await executeProcess(
        {
          file: 'python3',
          args: [
            '-c',
            'import base64,json,sys,time\nfor p in json.load(open(sys.argv[1])):\n    sys.stdout.buffer.write(base64.b64decode(p)); sys.stdout.buffer.flush(); time.sleep(0.05)',
            data,
          ],
          cwd: dir,
          env,
        },
        o(spawner, {
          outputFile,
          masker,
          onOutput: (c) => chunks.push(c),
          displayLimit: 4096,
          idleFlushMs: 0,
        }),
      );
      assert.equal(r.status, 'ok', r.message);
      const all = Buffer.concat(pieces);
      const ms = masker.stream(4096);
      const want = new TerminalSanitizer().write(ms.push(all.toString('utf8')) + ms.flush()).text;
      const file = readFileSync(outputFile, 'utf8');
      assert.equal(file, want);
      assert.equal(chunks.map((c) => c.text).join(''), want);
      assert.ok(!file.includes(secret) && !file.includes('hunter22') && file.includes(`value ${MASK} end`));
      assert.ok(file.includes('red ok\nparty 🎉 café\n'));
      assert.equal(r.output, want.slice(-4096));
      assert.ok(r.outputTruncated);
      assert.equal(r.outputBytes, all.length);
    });

    test('scripts get their text on stdin; ::set lines and the last line are reported', async () => {
      const r = await executeProcess(
        {
          file: 'python3',
          args: ['-'],
          cwd: dir,
          env,
          stdin: 'import os\nprint("::set POD=web-1")\nprint(os.getcwd())\nprint("last one")\n\n',
        },
        o(spawner),
      );
      assert.equal(r.status, 'ok', r.message);
      assert.deepEqual(r.sets, [{ name: 'POD', value: 'web-1' }]);
      assert.equal(r.lastLine, 'last one');
      assert.match(r.output, new RegExp(`^::set POD=web-1\\n${dir}\\nlast one\\n`));
    });
  });
}
