import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importProfile } from './import';
import { framePackage, totalWeight } from '../model';
import { nodeAt, selfOfName, SPEEDSCOPE, treeProblems } from './test-support';
import { functionWeights } from './summary';
import { frameName } from '../model';
import type { FlameProfile } from '../model';

function totalOfName(p: FlameProfile, name: string): number {
  return functionWeights(p)
    .filter((w) => frameName(p, w.frame) === name)
    .reduce((a, w) => a + w.total, 0);
}

/** Samples of a perf script text: header line and stack lines (innermost first), read independently. */
function samples(text: string): Array<{ comm: string; event: string; stack: string[] }> {
  const out: Array<{ comm: string; event: string; stack: string[] }> = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const head = lines[0];
    if (!head) continue;
    const m = /^(.*?)\s+\d+(?:\/\d+)?\s+(?:\[\d+\]\s+)?\d+\.\d+:\s+(?:\d+\s+)?(\S+):/.exec(head);
    if (!m) continue;
    const stack = lines.slice(1).map((l) => {
      const sym = l.trim().replace(/^[0-9a-f]+\s+/, '');
      return sym.slice(0, sym.lastIndexOf(' (')).replace(/\+0x[0-9a-f]+$/, '');
    });
    out.push({ comm: (m[1] as string).trim(), event: m[2] as string, stack });
  }
  return out;
}

test('simple.linux-perf.txt: one sample, command name outermost', async () => {
  const p = await importProfile({ path: resolve(SPEEDSCOPE, 'linux-perf/simple.linux-perf.txt') });
  assert.equal(p.format, 'perf-script');
  assert.equal(totalWeight(p), 1);
  const leaf = nodeAt(p, [
    'simple-terminat',
    '[unknown]',
    '__libc_start_main',
    'main',
    '_Z5deltav',
    '_Z4betav',
  ]);
  assert.equal(p.tree.self[leaf], 1);
  assert.equal(framePackage(p, p.tree.frame[leaf] as number), 'simple-terminates');
});

test('system-wide.linux-perf.txt: totals per command and per leaf function match the file', async () => {
  const path = resolve(SPEEDSCOPE, 'linux-perf/system-wide.linux-perf.txt');
  const s = samples(readFileSync(path, 'utf8'));
  const p = await importProfile({ path });
  assert.equal(totalWeight(p), s.length);
  for (const comm of new Set(s.map((x) => x.comm)))
    assert.equal(p.tree.total[nodeAt(p, [comm])], s.filter((x) => x.comm === comm).length, comm);
  for (const fn of ['_Z4betav', '_Z5alphav', '_Z5deltav'])
    assert.equal(selfOfName(p, fn), s.filter((x) => x.stack[0] === fn).length, fn);
  const kernel = nodeAt(p, ['swapper', '[unknown] ([kernel.kallsyms])']);
  assert.ok(kernel > 0);
  assert.equal(framePackage(p, p.tree.frame[kernel] as number), 'kernel');
  assert.deepEqual(treeProblems(p), []);
});

test('perf record + perf script on a program compiled here', async (t) => {
  // not "perf-…": perf reads /tmp/perf-<pid>.map files as JIT symbol maps and then fails to symbolize
  const dir = mkdtempSync(join(tmpdir(), 'rb-cc-'));
  try {
    const src = join(dir, 'burn.c');
    writeFileSync(
      src,
      [
        'volatile double sink;',
        '__attribute__((noinline)) double burn_inner(long n) { double s = 0; for (long i = 0; i < n; i++) s += i * 0.5; return s; }',
        '__attribute__((noinline)) double burn_outer(long n) { double s = 0; for (int k = 0; k < 20; k++) s += burn_inner(n + k); return s; }',
        'int main(void) { sink = burn_outer(5000000); return 0; }',
      ].join('\n'),
    );
    const exe = join(dir, 'burn');
    const cc = spawnSync('cc', ['-O0', '-fno-omit-frame-pointer', '-o', exe, src], { encoding: 'utf8' });
    if (cc.status !== 0) return t.skip(`no C compiler here: ${cc.error?.message ?? cc.stderr}`);
    const data = join(dir, 'perf.data');
    const rec = spawnSync('perf', ['record', '-e', 'cpu-clock', '-F', '999', '-g', '-o', data, '--', exe], {
      encoding: 'utf8',
      timeout: 60000,
    });
    if (rec.status !== 0)
      return t.skip(
        `perf record is not permitted here: ${(rec.error?.message ?? rec.stderr).trim().split('\n').pop()}`,
      );
    const script = spawnSync('perf', ['script', '-i', data], { encoding: 'utf8', maxBuffer: 256 << 20 });
    if (script.status !== 0) return t.skip(`perf script failed: ${script.stderr.trim()}`);
    const text = script.stdout;
    const s = samples(text);
    assert.ok(s.length > 50, `perf recorded ${s.length} samples`);
    const p = await importProfile({ bytes: Buffer.from(text), name: 'perf.script' });
    assert.equal(p.format, 'perf-script');
    assert.equal(totalWeight(p), s.filter((x) => x.event === s[0]?.event).length);
    const inner = s.filter((x) => x.stack[0] === 'burn_inner').length;
    assert.ok(inner > 0, `samples in burn_inner, in:\n${text.slice(0, 400)}`);
    assert.equal(selfOfName(p, 'burn_inner'), inner);
    assert.ok((p.tree.total[nodeAt(p, ['burn'])] as number) >= inner);
    assert.ok(
      selfOfName(p, 'burn_inner') <= totalOfName(p, 'burn_outer'),
      'burn_inner is called from burn_outer',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mixed events: only the first is imported, and it says so', async () => {
  const text = [
    'app 10 100.000001: 1 cycles:',
    '\t1 f (/bin/app)',
    '',
    'app 10 100.000002: 1 page-faults:',
    '\t1 g (/bin/app)',
    '',
    'app 10 100.000003: 1 cycles:',
    '\t1 g (/bin/app)',
    '',
  ].join('\n');
  const p = await importProfile({ bytes: Buffer.from(text), name: 'mixed.txt' });
  assert.equal(totalWeight(p), 2);
  assert.match(p.warnings.join('\n'), /1 samples of event "page-faults" were left out: only "cycles"/);
});
