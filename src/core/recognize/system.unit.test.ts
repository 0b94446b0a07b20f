// free, df and ps as they run on this machine, plus the older layouts people still paste.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { recognize } from './index';
import { parseFree, type FreeData } from './free';
import { parseDf, type DfData } from './df';
import { parsePs, type PsData } from './ps';
import { evaluate } from '../check/evaluate';
import { truncations } from './fixtures/load';

const sh = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
const MiB = 2 ** 20;

test('free -m, free -b and free -h on this machine agree', () => {
  const m = parseFree(sh('free', ['-m']), 'free -m') as FreeData;
  const b = parseFree(sh('free', ['-b']), 'free -b') as FreeData;
  const h = parseFree(sh('free', ['-h']), 'free -h') as FreeData;
  assert.ok(m && b && h);
  assert.ok(Math.abs((m.totalBytes ?? 0) - (b.totalBytes ?? 0)) < MiB);
  assert.ok(Math.abs((h.totalBytes ?? 0) - (b.totalBytes ?? 0)) / (b.totalBytes ?? 1) < 0.05);
  assert.ok((b.availableBytes ?? 0) > 0 && (b.availableBytes ?? 0) <= (b.totalBytes ?? 0));
  const r = recognize('free -m', sh('free', ['-m']));
  assert.equal(r?.kind, 'free');
  const e = evaluate(r);
  const mem = e.findings.find((f) => f.metric === 'memory.used_pct');
  assert.equal(mem?.source, 'default', "the seed's memory > 80% check applies");
  assert.match(mem?.message ?? '', /^host memory used [\d.]+% (≤|>) 80% \((ok|warning)\)/);
});

test('free from procps before 3.3.10 (buffers/cache line, no "available")', () => {
  // Layout of procps free(1) up to 3.3.9.
  const old = [
    '             total       used       free     shared    buffers     cached',
    'Mem:          3808       3626        181          0        175       2997',
    '-/+ buffers/cache:        453       3355',
    'Swap:         4204          0       4204',
  ].join('\n');
  const d = parseFree(old, 'free -m');
  assert.equal(d?.availableBytes, 3355 * MiB);
  assert.equal(d?.buffCacheBytes, (175 + 2997) * MiB);
  const pct = recognize('free -m', old)?.metrics.find((x) => x.path === 'memory.used_pct');
  assert.ok(Math.abs((pct?.samples[0]?.value as number) - ((3808 - 3355) / 3808) * 100) < 1e-9);
});

test('df -h, df -k, df -i and df -T on this machine', () => {
  const h = parseDf(sh('df', ['-h']), 'df -h') as DfData;
  const k = parseDf(sh('df', ['-k']), 'df -k') as DfData;
  assert.ok(h && k);
  const root = (d: DfData) => d.rows.find((r) => r.mount === '/');
  assert.ok(root(h) && root(k));
  // -h rounds to 2-3 digits; 1K-blocks are exact.
  assert.ok(Math.abs((root(h)?.size ?? 0) - (root(k)?.size ?? 0)) / (root(k)?.size ?? 1) < 0.06);
  // Other processes write between the two calls: the percentage may move by a point.
  assert.ok(Math.abs((root(h)?.usedPct ?? NaN) - (root(k)?.usedPct ?? NaN)) <= 1);
  const i = parseDf(sh('df', ['-i']), 'df -i') as DfData;
  assert.ok(i.inodes && (root(i)?.size ?? 0) > 0);
  const typed = parseDf(sh('df', ['-T']), 'df -T') as DfData;
  assert.ok(typed.rows.every((r) => r.type !== null));
  const r = recognize('df -h', sh('df', ['-h']));
  assert.equal(r?.kind, 'df');
  const disk = evaluate(r).findings.find((f) => f.metric === 'disk.used_pct');
  assert.match(disk?.message ?? '', /used [\d.]+% (≤|>) 85% \((ok|warning)\)/);
  // A full disk is flagged by the seed's 85% default and named by its mount point.
  const full = sh('df', ['-h']).replace(/\s\d+% \/\n/, ' 93% /\n');
  assert.match(
    evaluate(recognize('df -h', full)).findings.find((f) => f.level === 'warning')?.message ?? '',
    /^\/ \(.+\) disk used 93% > 85% \(warning\)/,
  );
});

test('df: mount points with spaces; the old two-line layout for long device names', () => {
  const d = parseDf(
    [
      'Filesystem     1K-blocks    Used Available Use% Mounted on',
      '/dev/sdb1       10255636 9230072    485892  95% /media/My Disk',
    ].join('\n'),
    'df',
  );
  assert.equal(d?.rows[0]?.mount, '/media/My Disk');
  assert.equal(d?.rows[0]?.size, 10255636 * 1024);
  // coreutils before 8.11 put a device name longer than the column on its own line.
  const old = parseDf(
    [
      'Filesystem            Size  Used Avail Use% Mounted on',
      '/dev/mapper/VolGroup00-LogVol00',
      '                       37G   33G  2.5G  93% /',
    ].join('\n'),
    'df -h',
  );
  assert.deepEqual(
    [old?.rows[0]?.filesystem, old?.rows[0]?.usedPct, old?.rows[0]?.size],
    ['/dev/mapper/VolGroup00-LogVol00', 93, 37 * 2 ** 30],
  );
});

test('ps aux --sort=-%mem and ps -eo on this machine, with this very process in it', () => {
  const aux = parsePs(sh('ps', ['aux', '--sort=-%mem'])) as PsData;
  assert.ok(aux);
  assert.deepEqual(aux.columns, [
    'USER',
    'PID',
    '%CPU',
    '%MEM',
    'VSZ',
    'RSS',
    'TTY',
    'STAT',
    'START',
    'TIME',
    'COMMAND',
  ]);
  const me = aux.rows.find((r) => r.pid === process.pid);
  assert.ok(me && (me.rssBytes ?? 0) > 10 * MiB, 'node itself');
  assert.match(me?.command ?? '', /node/);
  const sorted = aux.rows.map((r) => r.memPct ?? 0);
  assert.deepEqual(
    sorted,
    [...sorted].sort((a, b) => b - a),
    '--sort=-%mem',
  );
  const eo = parsePs(sh('ps', ['-eo', 'pid,rss,%mem,args']));
  assert.ok(eo?.rows.some((r) => r.pid === process.pid && (r.rssBytes ?? 0) > 0));
  const r = recognize('ps aux --sort=-%mem | head -20', sh('ps', ['aux', '--sort=-%mem']));
  assert.equal(r?.kind, 'ps');
  assert.ok(r?.metrics.find((m) => m.path === 'processes.memory_pct')?.samples[0]?.label.startsWith('pid '));
});

test('truncated system output never throws', () => {
  for (const [cmd, args] of [
    ['free', ['-m']],
    ['df', ['-h']],
    ['ps', ['aux']],
  ] as const) {
    const text = sh(cmd, [...args]);
    for (const t of truncations(text, 30)) recognize(`${cmd} ${args.join(' ')}`, t);
  }
  assert.equal(parseFree('free: invalid option -- z\n'), null);
  assert.equal(parseDf('df: /nope: No such file or directory\n'), null);
});
