// `torch.cuda.memory_summary()`: PyTorch's caching-allocator report.
//
// A boxed table: a title with the device, a line with `CUDA OOMs: N | cudaMalloc retries: N`, a
// header `Metric | Cur Usage | Peak Usage | Tot Alloc | Tot Freed`, then groups of a metric row and
// its `from large pool` / `from small pool` rows. Memory rows are sizes (`304192 KiB`, `901 MiB`,
// `0 B`), the others counts.
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseBytes, parseNumber, percentOf } from './units';

export interface TorchStat {
  /** "Allocated memory", "Active allocs", ... */
  readonly name: string;
  readonly unit: 'bytes' | 'count';
  readonly current: number | null;
  readonly peak: number | null;
  readonly totalAllocated: number | null;
  readonly totalFreed: number | null;
  readonly largePool: Omit<TorchStat, 'name' | 'unit' | 'largePool' | 'smallPool'> | null;
  readonly smallPool: Omit<TorchStat, 'name' | 'unit' | 'largePool' | 'smallPool'> | null;
}

export interface TorchMemorySummary {
  readonly device: number | null;
  readonly cudaOoms: number | null;
  readonly cudaMallocRetries: number | null;
  readonly stats: TorchStat[];
}

const cellsOf = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

export function parseTorchMemorySummary(input: RecognizerInput): TorchMemorySummary | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const title = lines.findIndex((l) => /PyTorch CUDA memory summary/.test(l));
  if (title < 0) return null;
  const device = /device ID (\d+)/.exec(lines[title] as string)?.[1];
  let cudaOoms: number | null = null;
  let cudaMallocRetries: number | null = null;
  const stats: TorchStat[] = [];
  for (const line of lines.slice(title + 1)) {
    const o = /CUDA OOMs:\s*(\d+)\s*\|\s*cudaMalloc retries:\s*(\d+)/.exec(line);
    if (o) {
      cudaOoms = Number(o[1]);
      cudaMallocRetries = Number(o[2]);
      continue;
    }
    const c = cellsOf(line);
    if (c.length !== 5 || c[0] === 'Metric') continue;
    const name = c[0] as string;
    const isMem = c.slice(1).some((x) => /[KMGTP]?i?B$/.test(x));
    const val = (x: string | undefined): number | null =>
      x === undefined ? null : isMem ? parseBytes(x) : parseNumber(x);
    const figures = { current: val(c[1]), peak: val(c[2]), totalAllocated: val(c[3]), totalFreed: val(c[4]) };
    if (Object.values(figures).every((v) => v === null)) continue;
    const pool = /^from (large|small) pool$/.exec(name);
    const last = stats[stats.length - 1];
    if (pool && last) {
      stats[stats.length - 1] = { ...last, [pool[1] === 'large' ? 'largePool' : 'smallPool']: figures };
      continue;
    }
    stats.push({ name, unit: isMem ? 'bytes' : 'count', ...figures, largePool: null, smallPool: null });
  }
  if (!stats.length && cudaOoms === null) return null;
  return { device: device !== undefined ? Number(device) : null, cudaOoms, cudaMallocRetries, stats };
}

export const torchMemorySummary: Recognizer<'torch-memory-summary', TorchMemorySummary> = {
  kind: 'torch-memory-summary',
  title: 'torch.cuda.memory_summary()',
  matchesCommand: (c) => /memory_summary\s*\(/.test(c),
  parse: parseTorchMemorySummary,
  metrics: (d) => {
    const stat = (name: string): TorchStat | undefined => d.stats.find((s) => s.name === name);
    const label = `CUDA device ${d.device ?? '?'}`;
    const one = [d];
    const allocated = stat('Allocated memory');
    const reserved = stat('GPU reserved memory');
    const reservedUnused =
      allocated?.current != null && reserved?.current != null ? reserved.current - allocated.current : null;
    return [
      metricOf(
        'torch.allocated',
        'bytes',
        'memory allocated by tensors',
        one,
        () => label,
        () => allocated?.current,
      ),
      metricOf(
        'torch.allocated_peak',
        'bytes',
        'peak memory allocated',
        one,
        () => label,
        () => allocated?.peak,
      ),
      metricOf(
        'torch.reserved',
        'bytes',
        'memory reserved by the caching allocator',
        one,
        () => label,
        () => reserved?.current,
      ),
      metricOf(
        'torch.reserved_peak',
        'bytes',
        'peak memory reserved',
        one,
        () => label,
        () => reserved?.peak,
      ),
      metricOf(
        'torch.non_releasable',
        'bytes',
        'non-releasable memory',
        one,
        () => label,
        () => stat('Non-releasable memory')?.current,
      ),
      metricOf(
        'torch.reserved_unused_pct',
        'percent',
        'reserved but unallocated',
        one,
        () => label,
        () => percentOf(reservedUnused, reserved?.current ?? null),
      ),
      metricOf(
        'torch.cuda_ooms',
        'count',
        'CUDA out-of-memory errors',
        one,
        () => label,
        () => d.cudaOoms,
      ),
      metricOf(
        'torch.malloc_retries',
        'count',
        'cudaMalloc retries',
        one,
        () => label,
        () => d.cudaMallocRetries,
      ),
    ];
  },
  // An OOM already happened in this process; retries mean the allocator had to free its cache to
  // satisfy an allocation, the step before an OOM.
  defaults: ['torch.cuda_ooms > 0: critical', 'torch.malloc_retries > 0: warning'],
};
