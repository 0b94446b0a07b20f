// `jstat -gcutil [-t] <pid> [interval [count]]`: heap space use in percent and GC counts/times.
//
// Columns (JDK 17): S0 S1 E O M CCS YGC YGCT FGC FGCT CGC CGCT GCT; JDK 8 has no CGC/CGCT; `-t`
// adds Timestamp first. A space not in use prints `-`. One row per sample.
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseNumber } from './units';

export interface GcutilSample {
  readonly timestamp: number | null;
  readonly survivor0Pct: number | null;
  readonly survivor1Pct: number | null;
  readonly edenPct: number | null;
  readonly oldPct: number | null;
  readonly metaspacePct: number | null;
  readonly compressedClassPct: number | null;
  readonly youngGcs: number | null;
  readonly youngGcSeconds: number | null;
  readonly fullGcs: number | null;
  readonly fullGcSeconds: number | null;
  readonly concurrentGcs: number | null;
  readonly concurrentGcSeconds: number | null;
  readonly gcSeconds: number | null;
}

export interface JstatGcutil {
  readonly columns: string[];
  readonly samples: GcutilSample[];
}

const KEYS: Record<string, keyof GcutilSample> = {
  Timestamp: 'timestamp',
  S0: 'survivor0Pct',
  S1: 'survivor1Pct',
  E: 'edenPct',
  O: 'oldPct',
  M: 'metaspacePct',
  CCS: 'compressedClassPct',
  YGC: 'youngGcs',
  YGCT: 'youngGcSeconds',
  FGC: 'fullGcs',
  FGCT: 'fullGcSeconds',
  CGC: 'concurrentGcs',
  CGCT: 'concurrentGcSeconds',
  GCT: 'gcSeconds',
};

export function parseJstatGcutil(input: RecognizerInput): JstatGcutil | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const h = lines.findIndex((l) => {
    const cols = l.trim().split(/\s+/);
    return cols.includes('S0') && cols.includes('O') && cols.includes('GCT');
  });
  if (h < 0) return null;
  const columns = (lines[h] as string).trim().split(/\s+/);
  if (!columns.every((c) => c in KEYS)) return null;
  const samples: GcutilSample[] = [];
  for (const l of lines.slice(h + 1)) {
    const cells = l.trim().split(/\s+/);
    if (cells.length !== columns.length) {
      if (l.trim() === lines[h]?.trim()) continue; // jstat -h repeats the header
      continue;
    }
    const s: Record<string, number | null> = Object.fromEntries(Object.values(KEYS).map((k) => [k, null]));
    let ok = true;
    columns.forEach((c, i) => {
      const cell = cells[i] as string;
      const v = cell === '-' ? null : parseNumber(cell);
      if (v === null && cell !== '-') ok = false;
      s[KEYS[c] as string] = v;
    });
    if (ok) samples.push(s as unknown as GcutilSample);
  }
  return samples.length ? { columns, samples } : null;
}

export const jstatGcutil: Recognizer<'jstat-gcutil', JstatGcutil> = {
  kind: 'jstat-gcutil',
  title: 'jstat -gcutil',
  matchesCommand: (c) => !!findInvocation(c, ['jstat'])?.includes('-gcutil'),
  parse: parseJstatGcutil,
  metrics: (d) => {
    // Gauges from the last sample; GC activity across the samples.
    const last = d.samples[d.samples.length - 1] as GcutilSample;
    const first = d.samples[0] as GcutilSample;
    const one = [last];
    const jvm = (): string => 'JVM';
    return [
      metricOf('jvm.old_pct', 'percent', 'old generation used', one, jvm, (s) => s.oldPct),
      metricOf('jvm.eden_pct', 'percent', 'eden used', one, jvm, (s) => s.edenPct),
      metricOf('jvm.metaspace_pct', 'percent', 'metaspace used', one, jvm, (s) => s.metaspacePct),
      metricOf('jvm.full_gcs', 'count', 'full GCs', one, jvm, (s) => s.fullGcs),
      metricOf('jvm.gc_time', 'seconds', 'total GC time', one, jvm, (s) => s.gcSeconds),
      metricOf('jvm.full_gcs_during', 'count', 'full GCs while sampling', one, jvm, (s) =>
        s.fullGcs !== null && first.fullGcs !== null ? s.fullGcs - first.fullGcs : null,
      ),
    ];
  },
  // The seed's memory > 80% warning, on the old generation (what stays after young collections).
  defaults: ['jvm.old_pct > 80%: warning'],
};
