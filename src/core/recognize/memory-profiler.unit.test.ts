// python -m memory_profiler on a real script, when a Python with memory_profiler is installed
// (Debian: python3-memory-profiler). Without one the test says so and skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recognize } from './index';
import { parseMemoryProfile, type MemoryProfile } from './memory-profiler';
import { evaluate } from '../check/evaluate';

const SCRIPT = `from memory_profiler import profile

@profile
def grow():
    small = [1] * (10 ** 5)
    big = [2] * (3 * 10 ** 7)
    del big
    return small

@profile
def other():
    return sum(range(1000))

if __name__ == '__main__':
    grow()
    other()
`;

function pythonWithMemoryProfiler(): string | null {
  for (const py of [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((x): x is string => !!x)) {
    const r = spawnSync(py, ['-c', 'import memory_profiler'], { stdio: 'ignore', timeout: 20_000 });
    if (r.status === 0) return py;
  }
  return null;
}

test('real memory_profiler output: per-line usage and increments, two functions', (t) => {
  const py = pythonWithMemoryProfiler();
  if (!py)
    return t.skip(
      'no Python with memory_profiler here (apt-get install python3-memory-profiler, or set PYTHON)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'mprof-'));
  try {
    writeFileSync(join(dir, 'grow.py'), SCRIPT);
    const r = spawnSync(py, ['-m', 'memory_profiler', 'grow.py'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const rec = recognize(`${py} -m memory_profiler grow.py`, r.stdout);
    assert.equal(rec?.kind, 'memory-profiler');
    const d = rec?.data as MemoryProfile;
    const big = d.lines.find((l) => l.code.trim().startsWith('big ='));
    const del = d.lines.find((l) => l.code.trim() === 'del big');
    // 3·10^7 list slots of 8 bytes: about 229 MiB up, and back down at del.
    assert.ok((big?.incrementBytes ?? 0) > 200 * 2 ** 20, String(big?.incrementBytes));
    assert.ok((del?.incrementBytes ?? 0) < -200 * 2 ** 20, String(del?.incrementBytes));
    assert.equal(big?.occurrences, 1);
    assert.equal(big?.file, 'grow.py');
    assert.ok(
      d.lines.some((l) => l.code.includes('def other')),
      "the second function's table",
    );
    assert.equal(d.peakBytes, Math.max(...d.lines.map((l) => l.memBytes ?? 0)));
    const e = evaluate(rec, { expect: ['python.lines.increment > 100MiB: warning'] });
    assert.match(
      e.findings[0]?.message ?? '',
      /^grow\.py:\d+ big = \[2\] \* \(3 \* 10 \*\* 7\) memory increment [\d.]+ MiB > 100 MiB \(warning\)$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the layout before the Occurrences column (memory_profiler < 0.58), and junk', () => {
  // memory_profiler < 0.58 printed: Line #, Mem usage, Increment, Line Contents.
  const old = [
    'Filename: job.py',
    '',
    'Line #    Mem usage    Increment   Line Contents',
    '================================================',
    '     4     41.2 MiB     41.2 MiB   @profile',
    '     5                             def work():',
    '     6    117.6 MiB     76.4 MiB       data = load()',
  ].join('\n');
  const d = parseMemoryProfile(old);
  assert.equal(d?.lines.length, 3);
  assert.equal(d?.lines[2]?.incrementBytes, 76.4 * 2 ** 20);
  assert.equal(d?.lines[2]?.occurrences, null);
  assert.equal(d?.lines[2]?.code.trim(), 'data = load()');
  assert.equal(
    parseMemoryProfile(
      'Traceback (most recent call last):\nModuleNotFoundError: No module named memory_profiler\n',
    ),
    null,
  );
});
