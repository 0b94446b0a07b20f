// `jcmd <pid> GC.class_histogram` and `jmap -histo[:live] <pid>`: the JVM's class histogram.
//
// HotSpot prints (JDK 9+ adds the module in parentheses; jcmd first prints "<pid>:"):
//    num     #instances         #bytes  class name (module)
//   -------------------------------------------------------
//      1:         26877        3384176  [B (java.base@17.0.21.1)
//   ...
//   Total         98986        6275288
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';

export interface HistogramRow {
  readonly rank: number;
  readonly instances: number;
  readonly bytes: number;
  /** JVM name as printed: `[B`, `java.lang.String`, `Hold$Leak`. */
  readonly className: string;
  readonly module: string | null;
}

export interface JvmHistogram {
  readonly pid: number | null;
  readonly rows: HistogramRow[];
  readonly totalInstances: number | null;
  readonly totalBytes: number | null;
}

const ROW = /^\s*(\d+):\s+(\d+)\s+(\d+)\s+(\S+)(?:\s+\(([^)]*)\))?\s*$/;

/** Array descriptors as people read them: `[B` → `byte[]`, `[Ljava.lang.String;` → `java.lang.String[]`. */
export function readableClassName(name: string): string {
  const m = /^(\[+)(.*)$/.exec(name);
  if (!m) return name;
  const dims = '[]'.repeat((m[1] as string).length);
  const prim: Record<string, string> = {
    B: 'byte',
    C: 'char',
    D: 'double',
    F: 'float',
    I: 'int',
    J: 'long',
    S: 'short',
    Z: 'boolean',
  };
  const rest = m[2] as string;
  const base = rest.startsWith('L') && rest.endsWith(';') ? rest.slice(1, -1) : (prim[rest] ?? rest);
  return base + dims;
}

export function parseJvmHistogram(input: RecognizerInput): JvmHistogram | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const header = lines.findIndex((l) => /^\s*num\s+#instances\s+#bytes\s+class name/.test(l));
  if (header < 0) return null;
  const pidLine = lines.slice(0, header).find((l) => /^\d+:$/.test(l.trim()));
  const rows: HistogramRow[] = [];
  let totalInstances: number | null = null;
  let totalBytes: number | null = null;
  for (const l of lines.slice(header + 1)) {
    const m = ROW.exec(l);
    if (m) {
      rows.push({
        rank: Number(m[1]),
        instances: Number(m[2]),
        bytes: Number(m[3]),
        className: m[4] as string,
        module: m[5] ?? null,
      });
      continue;
    }
    const t = /^Total\s+(\d+)\s+(\d+)\s*$/.exec(l.trim());
    if (t) {
      totalInstances = Number(t[1]);
      totalBytes = Number(t[2]);
    }
  }
  if (!rows.length) return null;
  return { pid: pidLine ? Number(pidLine.trim().slice(0, -1)) : null, rows, totalInstances, totalBytes };
}

/** Metrics carry the biggest classes only: a histogram has thousands of rows. */
const TOP = 50;

export const jvmHistogram: Recognizer<'jvm-histogram', JvmHistogram> = {
  kind: 'jvm-histogram',
  title: 'JVM class histogram',
  matchesCommand: (c) => {
    const jcmd = findInvocation(c, ['jcmd']);
    if (jcmd?.some((w) => w === 'GC.class_histogram')) return true;
    const jmap = findInvocation(c, ['jmap']);
    return !!jmap?.some((w) => w.startsWith('-histo'));
  },
  parse: parseJvmHistogram,
  metrics: (d) => {
    const top = [...d.rows].sort((a, b) => b.bytes - a.bytes).slice(0, TOP);
    const label = (r: HistogramRow): string => `class ${readableClassName(r.className)}`;
    const whole = [d];
    return [
      metricOf(
        'heap.total',
        'bytes',
        'heap in the histogram',
        whole,
        () => 'JVM',
        (x) => x.totalBytes ?? x.rows.reduce((s, r) => s + r.bytes, 0),
      ),
      metricOf(
        'heap.instances',
        'count',
        'objects',
        whole,
        () => 'JVM',
        (x) => x.totalInstances ?? x.rows.reduce((s, r) => s + r.instances, 0),
      ),
      metricOf('heap.classes.bytes', 'bytes', 'shallow size', top, label, (r) => r.bytes),
      metricOf('heap.classes.instances', 'count', 'instances', top, label, (r) => r.instances),
    ];
  },
  defaults: [],
};
