import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { recognize } from '../recognize/index';
import { errorExcerpt, keyFigures } from './figures';

const GPU = resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'gpu');

/** A capture file: `$ command`, the output, `[exit N]` (see the fixtures' README). */
function capture(name: string): { command: string; output: string } {
  const lines = readFileSync(resolve(GPU, name), 'utf8').split('\n');
  const end = lines.findLastIndex((l) => /^\[exit \d+\]$/.test(l));
  return { command: lines[0]!.replace(/^\$ /, ''), output: lines.slice(1, end).join('\n') };
}

test("key figures of a real nvidia-smi query: the recognizer's first figures, formatted", () => {
  const c = capture('nvidia-smi.query-gpu.busy.csv.txt');
  const r = recognize(c.command, c.output);
  assert.ok(r);
  const figures = keyFigures(r);
  assert.equal(figures.length, 4);
  assert.equal(figures[0], 'GPU 0 memory used 40.9 GiB');
  assert.ok(figures.includes('GPU 0 memory used 29.1%'), figures.join('; '));
  assert.deepEqual(keyFigures(r, 2), figures.slice(0, 2));
});

test('a known failure comes first, in its own words', () => {
  const output = readFileSync(resolve(GPU, 'torch.cuda-oom.txt'), 'utf8');
  const r = recognize('python3 serve.py', output);
  assert.ok(r);
  assert.match(keyFigures(r)[0] ?? '', /^CUDA out of memory on GPU 0: tried to allocate 400 GiB/);
});

test('many rows: the highest, who it is, and how many rows', () => {
  const figures = keyFigures({
    failures: [],
    metrics: [
      {
        path: 'processes.rss',
        dimension: 'bytes',
        description: 'resident memory',
        samples: [
          { label: 'pid 1', value: 1024 },
          { label: 'pid 2', value: 3 * 1024 * 1024 },
          { label: 'pid 3', value: 'n/a' },
        ],
      },
      {
        path: 'run.duration',
        dimension: 'seconds',
        description: 'duration',
        samples: [{ label: 'run', value: 2 }],
      },
      { path: 'x.name', dimension: 'text', description: 'name', samples: [{ label: 'a', value: 'b' }] },
      { path: 'empty', dimension: 'count', description: 'nothing', samples: [] },
    ],
  });
  assert.deepEqual(figures, ['highest resident memory 3 MiB (pid 2) of 3']);
});

// What `jcmd 1 GC.class_histogram` printed on this machine with no JVM as pid 1 (JDK 17).
const JCMD_NO_JVM = `1:
com.sun.tools.attach.AttachNotSupportedException: Unable to open socket file /tmp/.java_pid1: target process 1 doesn't respond within 10500ms or HotSpot VM not loaded
\tat jdk.attach/sun.tools.attach.VirtualMachineImpl.<init>(VirtualMachineImpl.java:104)
\tat jdk.attach/sun.tools.attach.AttachProviderImpl.attachVirtualMachine(AttachProviderImpl.java:58)
\tat jdk.attach/com.sun.tools.attach.VirtualMachine.attach(VirtualMachine.java:207)
\tat jdk.jcmd/sun.tools.jcmd.JCmd.executeCommandForPid(JCmd.java:113)
\tat jdk.jcmd/sun.tools.jcmd.JCmd.main(JCmd.java:97)
`;

test('error excerpt: the line that names the error, not the stack frames under it', () => {
  assert.equal(
    errorExcerpt(JCMD_NO_JVM),
    "com.sun.tools.attach.AttachNotSupportedException: Unable to open socket file /tmp/.java_pid1: target process 1 doesn't respond within 10500ms or HotSpot VM not loaded",
  );
});

test('error excerpt: plain last lines when nothing says error; long lines cut; empty stays empty', () => {
  assert.equal(errorExcerpt('a\n\nb\r\nc\nd\n\n'), 'b\nc\nd');
  assert.equal(errorExcerpt('x'.repeat(500), 3, 10), `${'x'.repeat(9)}…`);
  assert.equal(errorExcerpt(''), '');
  assert.equal(errorExcerpt('\n\n  \n'), '');
  // Only the tail is walked: a huge output costs its last lines.
  const big = 'noise\n'.repeat(200_000) + 'psql: error: connection refused\n';
  assert.equal(errorExcerpt(big), 'psql: error: connection refused');
});
