import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTorchMemorySummary, torchMemorySummary } from './torch-memory-summary';
import { recognize } from './index';
import { evaluate } from '../check/evaluate';
import { sharedFixture, truncations } from './fixtures/load';

const stats = JSON.parse(sharedFixture('gpu', 'torch.memory_stats.json')) as Record<string, number>;

test('memory_summary() agrees with memory_stats() from the same run (within the printed rounding)', () => {
  const d = parseTorchMemorySummary(sharedFixture('gpu', 'torch.memory_summary.txt'));
  assert.ok(d);
  assert.equal(d.device, 0);
  assert.equal(d.cudaOoms, stats['num_ooms']);
  assert.equal(d.cudaMallocRetries, stats['num_alloc_retries']);
  const pairs: [string, string][] = [
    ['Allocated memory', 'allocated_bytes'],
    ['Active memory', 'active_bytes'],
    ['GPU reserved memory', 'reserved_bytes'],
    ['Non-releasable memory', 'inactive_split_bytes'],
    ['Allocations', 'allocation'],
    ['GPU reserved segments', 'segment'],
  ];
  for (const [name, key] of pairs) {
    const s = d.stats.find((x) => x.name === name);
    assert.ok(s, name);
    for (const [field, suffix] of [
      ['current', 'current'],
      ['peak', 'peak'],
      ['totalAllocated', 'allocated'],
      ['totalFreed', 'freed'],
    ] as const) {
      const want = stats[`${key}.all.${suffix}`] as number;
      const got = s[field] as number;
      // The summary prints sizes in KiB or whole MiB, so allow 1 MiB.
      assert.ok(
        Math.abs(got - want) <= (s.unit === 'bytes' ? 2 ** 20 : 0),
        `${name} ${field}: ${got} vs ${want}`,
      );
    }
    const large = stats[`${key}.large_pool.current`] as number;
    assert.ok(Math.abs((s.largePool?.current ?? NaN) - large) <= 2 ** 20, `${name} large pool`);
  }
});

test('figures for checks, and the default OOM check', () => {
  const r = recognize(
    'python -c "import torch; print(torch.cuda.memory_summary())"',
    sharedFixture('gpu', 'torch.memory_summary.txt'),
  );
  assert.equal(r?.kind, 'torch-memory-summary');
  const m = Object.fromEntries(
    torchMemorySummary.metrics(r?.data as never).map((x) => [x.path, x.samples[0]?.value]),
  );
  assert.equal(m['torch.allocated'], 304192 * 1024);
  assert.equal(m['torch.reserved'], 559104 * 1024);
  assert.ok(Math.abs((m['torch.reserved_unused_pct'] as number) - ((559104 - 304192) / 559104) * 100) < 1e-9);
  const e = evaluate(r);
  assert.equal(e.level, 'ok');
  const oomed = sharedFixture('gpu', 'torch.memory_summary.txt').replace('CUDA OOMs: 0 ', 'CUDA OOMs: 2 ');
  assert.equal(
    evaluate(recognize('', oomed)).findings[0]?.message,
    'CUDA device 0 CUDA out-of-memory errors 2 > 0 (critical)',
  );
});

test('truncated summaries parse partially or not at all', () => {
  for (const t of truncations(sharedFixture('gpu', 'torch.memory_summary.txt'))) {
    const d = parseTorchMemorySummary(t);
    if (d) assert.ok(d.stats.every((s) => s.name.length > 0));
  }
  assert.equal(parseTorchMemorySummary('| a | b | c | d | e |'), null);
});
