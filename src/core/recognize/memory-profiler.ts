// `python -m memory_profiler script.py` (and @profile output): per-line memory tables.
//
//   Filename: mp_demo.py
//
//   Line #    Mem usage    Increment  Occurrences   Line Contents
//   =============================================================
//        3     22.1 MiB     22.1 MiB           1   @profile
//        4                                         def grow():
//        6    182.3 MiB    152.6 MiB           1       b = [2] * (2 * 10 ** 7)
//
// memory_profiler 0.58+ has the Occurrences column; older versions do not. One table per function.
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseBytes } from './units';

export interface ProfiledLine {
  readonly file: string | null;
  readonly line: number;
  readonly memBytes: number | null;
  /** May be negative (memory given back). */
  readonly incrementBytes: number | null;
  readonly occurrences: number | null;
  readonly code: string;
}

export interface MemoryProfile {
  readonly lines: ProfiledLine[];
  readonly peakBytes: number | null;
}

const SIZE = String.raw`(-?\d+(?:\.\d+)?\s+[KMGT]?i?B)`;

export function parseMemoryProfile(input: RecognizerInput): MemoryProfile | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const out: ProfiledLine[] = [];
  let file: string | null = null;
  let inTable = false;
  let withOccurrences = false;
  for (const l of lines) {
    const f = /^Filename: (.+)$/.exec(l);
    if (f) {
      file = (f[1] as string).trim();
      inTable = false;
      continue;
    }
    if (/^Line #\s+Mem usage\s+Increment/.test(l)) {
      withOccurrences = /Occurrences/.test(l);
      continue;
    }
    if (/^=+$/.test(l.trim())) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    const full = new RegExp(
      `^\\s*(\\d+)\\s+${SIZE}\\s+${SIZE}${withOccurrences ? String.raw`\s+(\d+)` : ''}(?:\\s{3}(.*))?$`,
    ).exec(l);
    if (full) {
      out.push({
        file,
        line: Number(full[1]),
        memBytes: parseBytes((full[2] as string).replace(/\s+/, '')),
        incrementBytes: parseBytes((full[3] as string).replace(/\s+/, '')),
        occurrences: withOccurrences ? Number(full[4]) : null,
        code: (withOccurrences ? full[5] : full[4]) ?? '',
      });
      continue;
    }
    const bare = /^\s*(\d+)(?:\s{2,}(.*))?$/.exec(l);
    if (bare) {
      out.push({
        file,
        line: Number(bare[1]),
        memBytes: null,
        incrementBytes: null,
        occurrences: null,
        code: bare[2] ?? '',
      });
      continue;
    }
    if (l.trim() === '') inTable = false;
  }
  if (!out.some((x) => x.memBytes !== null)) return null;
  const peak = Math.max(...out.map((x) => x.memBytes ?? -Infinity));
  return { lines: out, peakBytes: Number.isFinite(peak) ? peak : null };
}

const label = (l: ProfiledLine): string => `${l.file ?? '?'}:${l.line} ${l.code.trim().slice(0, 60)}`;

export const memoryProfiler: Recognizer<'memory-profiler', MemoryProfile> = {
  kind: 'memory-profiler',
  title: 'memory_profiler',
  matchesCommand: (c) => /memory_profiler|mprof\b/.test(c) || !!findInvocation(c, ['mprof']),
  parse: parseMemoryProfile,
  metrics: (d) => {
    const measured = d.lines.filter((l) => l.memBytes !== null);
    return [
      metricOf(
        'python.peak_memory',
        'bytes',
        'peak memory',
        [d],
        () => 'process',
        (x) => x.peakBytes,
      ),
      metricOf(
        'python.lines.increment',
        'bytes',
        'memory increment',
        measured,
        label,
        (l) => l.incrementBytes,
      ),
      metricOf('python.lines.memory', 'bytes', 'memory usage', measured, label, (l) => l.memBytes),
    ];
  },
  defaults: [],
};
