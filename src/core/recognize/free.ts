// `free` (procps): memory and swap. `-b/-k/-m/-g` (bytes, KiB default, MiB, GiB), `-h` (human,
// `1.9Gi`), `--si` (powers of 1000). Newer procps prints an "available" column; older ones a
// "-/+ buffers/cache:" line instead.
import { findInvocation, hasFlag } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseBytes, percentOf } from './units';

export interface FreeData {
  readonly totalBytes: number | null;
  readonly usedBytes: number | null;
  readonly freeBytes: number | null;
  readonly sharedBytes: number | null;
  readonly buffCacheBytes: number | null;
  readonly availableBytes: number | null;
  readonly swapTotalBytes: number | null;
  readonly swapUsedBytes: number | null;
}

function scaleFor(command: string): { unit: number; si: boolean } {
  const inv = findInvocation(command, ['free']) ?? [];
  const si = hasFlag(inv, '--si');
  const k = si ? 1000 : 1024;
  if (hasFlag(inv, '-b', '--bytes')) return { unit: 1, si };
  if (hasFlag(inv, '-m', '--mebi')) return { unit: k ** 2, si };
  if (hasFlag(inv, '-g', '--gibi')) return { unit: k ** 3, si };
  if (hasFlag(inv, '--tebi')) return { unit: k ** 4, si };
  if (hasFlag(inv, '--mega')) return { unit: 1e6, si };
  if (hasFlag(inv, '--giga')) return { unit: 1e9, si };
  return { unit: k, si };
}

export function parseFree(input: RecognizerInput, command = ''): FreeData | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const h = lines.findIndex((l) => /^\s+total\s+used\s+free\b/.test(l));
  if (h < 0) return null;
  const cols = (lines[h] as string).trim().split(/\s+/);
  const { unit, si } = scaleFor(command);
  const value = (cell: string | undefined): number | null => {
    if (cell === undefined) return null;
    if (/^\d+$/.test(cell)) return Number(cell) * unit;
    // -h: `1.9Gi`, `512Mi`, `0B`; with --si `2.0G`.
    return parseBytes(cell, si ? 'decimal' : 'binary');
  };
  const row = (label: RegExp): (string | undefined)[] | null => {
    const l = lines.slice(h + 1).find((x) => label.test(x));
    return l ? l.replace(label, '').trim().split(/\s+/) : null;
  };
  const mem = row(/^Mem:/);
  if (!mem) return null;
  const at = (name: string): number | null => {
    const i = cols.indexOf(name);
    return i >= 0 ? value(mem[i]) : null;
  };
  const buffers = at('buffers');
  const cache = at('cached') ?? at('cache');
  const buffCache =
    at('buff/cache') ?? (buffers !== null || cache !== null ? (buffers ?? 0) + (cache ?? 0) : null);
  let available = at('available');
  // Old procps: "-/+ buffers/cache:  used  free" — free there is what applications can still get.
  const old = row(/^-\/\+ buffers\/cache:/);
  if (available === null && old) available = value(old[1]);
  const swap = row(/^Swap:/);
  const data: FreeData = {
    totalBytes: at('total'),
    usedBytes: at('used'),
    freeBytes: at('free'),
    sharedBytes: at('shared'),
    buffCacheBytes: buffCache,
    availableBytes: available,
    swapTotalBytes: swap ? value(swap[0]) : null,
    swapUsedBytes: swap ? value(swap[1]) : null,
  };
  return data.totalBytes === null ? null : data;
}

export const free: Recognizer<'free', FreeData> = {
  kind: 'free',
  title: 'free',
  matchesCommand: (c) => !!findInvocation(c, ['free']),
  parse: parseFree,
  metrics: (d) => {
    const one = [d];
    const host = (): string => 'host';
    // "Used" is what cannot be reclaimed: total − available (the cache is given back on demand).
    const inUse =
      d.availableBytes !== null && d.totalBytes !== null ? d.totalBytes - d.availableBytes : d.usedBytes;
    return [
      metricOf('memory.used_pct', 'percent', 'memory used', one, host, () => percentOf(inUse, d.totalBytes)),
      metricOf('memory.total', 'bytes', 'memory', one, host, (x) => x.totalBytes),
      metricOf('memory.available', 'bytes', 'memory available', one, host, (x) => x.availableBytes),
      metricOf('memory.used', 'bytes', 'memory used', one, host, () => inUse),
      metricOf('swap.used_pct', 'percent', 'swap used', one, host, (x) =>
        percentOf(x.swapUsedBytes, x.swapTotalBytes),
      ),
      metricOf('swap.used', 'bytes', 'swap used', one, host, (x) => x.swapUsedBytes),
    ];
  },
  defaults: [],
};
