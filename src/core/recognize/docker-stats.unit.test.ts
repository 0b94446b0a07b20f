import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerStats, parseDockerStats, parsePair } from './docker-stats';
import { localFixture, truncations } from './fixtures/load';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

test('default table: percentages, used / limit, NET and BLOCK I/O, PIDS, failed stats', () => {
  const d = parseDockerStats(localFixture('docker-stats.txt'));
  assert.ok(d);
  assert.deepEqual(d.rows[0], {
    container: 'b3a91c0e2f54',
    name: 'api',
    cpuPct: 152.31,
    memUsageBytes: 1.712 * GiB,
    memLimitBytes: 2 * GiB,
    memPct: 85.6,
    netRxBytes: 1.23e9,
    netTxBytes: 986e6,
    blockReadBytes: 12.3e6,
    blockWriteBytes: 0,
    pids: 48,
  });
  assert.equal(d.rows[1]?.netRxBytes, 1e6, "go's %g exponent form");
  assert.equal(d.rows[1]?.memUsageBytes, 412.5 * MiB);
  assert.equal(d.rows[2]?.memPct, null);
  assert.equal(d.rows[2]?.cpuPct, null);
  const pct = dockerStats.metrics(d).find((m) => m.path === 'containers.memory_pct');
  assert.deepEqual(
    pct?.samples.map((s) => s.label),
    ['container api', 'container worker'],
  );
});

test('--format "table {{.Container}}\\t{{.CPUPerc}}\\t{{.MemUsage}}" (the seed runbook\'s command)', () => {
  const d = parseDockerStats(localFixture('docker-stats-format.txt'));
  assert.ok(d);
  assert.deepEqual(d.columns, ['CONTAINER', 'CPU %', 'MEM USAGE / LIMIT']);
  assert.equal(d.rows[1]?.container, '9c2d7e6f1a08');
  assert.equal(d.rows[1]?.memLimitBytes, 7.667 * GiB);
  const pct = dockerStats.metrics(d).find((m) => m.path === 'containers.memory_pct');
  assert.ok(Math.abs((pct?.samples[0]?.value as number) - 85.6) < 0.001, 'computed from used / limit');
  assert.ok(
    dockerStats.matchesCommand('docker stats --format "table {{.Container}}\\t{{.CPUPerc}}\\t{{.MemUsage}}"'),
  );
});

test('streaming output: the last redrawn frame counts', () => {
  const frame = localFixture('docker-stats-format.txt');
  const later = frame.replace('152.31%', '12.00%');
  const d = parseDockerStats(`\x1b[2J\x1b[H${frame}\x1b[2J\x1b[H${later}`);
  assert.equal(d?.rows[0]?.cpuPct, 12);
});

test('pairs, and malformed or truncated output', () => {
  assert.deepEqual(parsePair('-- / --'), [null, null]);
  assert.deepEqual(parsePair('0B / 4.1kB'), [0, 4100]);
  assert.equal(parseDockerStats('Error response from daemon: No such container: nope\n'), null);
  assert.equal(parseDockerStats('CONTAINER ID   NAME   CPU %\nabc   x   high\n'), null);
  for (const t of truncations(localFixture('docker-stats.txt'))) {
    const d = parseDockerStats(t);
    if (d) assert.ok(d.rows.length > 0);
  }
});
