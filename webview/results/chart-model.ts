// What to draw for a recognized output, where a person would rather look than read: bars sorted
// largest first (pod memory and CPU, process RSS, classes by size, latency percentiles) and gauges
// of used against a limit (GPU memory, disks, memory and swap, connections against max_connections).
// A bar or gauge whose row crossed a check carries that finding's level. Pure: the page draws it.
import { formatValue } from '../../src/core/recognize/units';

export type Level = 'ok' | 'warning' | 'critical';

export interface Bar {
  /** What the bar is called on screen. */
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly level?: Level;
}

export interface BarChart {
  readonly type: 'bars';
  readonly title: string;
  readonly bars: readonly Bar[];
  /** The longest bar's value (the scale). */
  readonly max: number;
  /** Rows left out after the first MAX_BARS. */
  readonly more: number;
}

export interface Gauge {
  readonly label: string;
  /** 0–100. */
  readonly pct: number;
  /** "41.8 GiB of 140.4 GiB (29.1%)". */
  readonly text: string;
  readonly level?: Level;
}

export interface GaugeChart {
  readonly type: 'gauges';
  readonly title: string;
  readonly gauges: readonly Gauge[];
}

export type Chart = BarChart | GaugeChart;

/** The findings a chart needs: a level and the row label a check named (evaluate.ts `label`). */
export interface LabelledFinding {
  readonly level: Level;
  readonly label?: string;
}

export const MAX_BARS = 15;

/** The worst level among the non-ok findings about this row. */
export function levelFor(key: string, findings: readonly LabelledFinding[]): Level | undefined {
  let level: Level | undefined;
  for (const f of findings) {
    if (f.level === 'ok' || f.label !== key) continue;
    if (!level || f.level === 'critical') level = f.level;
  }
  return level;
}

interface Row {
  label: string;
  /** The label the recognizer's figures use for this row, which findings name. */
  key?: string;
  value: number | null | undefined;
}

/** Bars, largest first, the first MAX_BARS of them; rows without a value (or zero, when `positive`) are left out. */
export function barChart(
  title: string,
  rows: readonly Row[],
  unit: string,
  findings: readonly LabelledFinding[] = [],
  opts: { positive?: boolean; keepOrder?: boolean } = {},
): BarChart | null {
  const valid = rows.filter(
    (r): r is Row & { value: number } =>
      typeof r.value === 'number' && Number.isFinite(r.value) && (opts.positive ? r.value > 0 : r.value >= 0),
  );
  if (!valid.length) return null;
  if (!opts.keepOrder) valid.sort((a, b) => b.value - a.value);
  const shown = valid.slice(0, MAX_BARS);
  return {
    type: 'bars',
    title,
    max: Math.max(...shown.map((r) => r.value)),
    more: valid.length - shown.length,
    bars: shown.map((r) => {
      const level = levelFor(r.key ?? r.label, findings);
      return {
        label: r.label,
        value: r.value,
        text: formatValue(r.value, unit),
        ...(level ? { level } : {}),
      };
    }),
  };
}

interface GaugeRow {
  label: string;
  key?: string;
  used: number | null | undefined;
  total: number | null | undefined;
  /** When the tool printed its own percentage (df's Use%), that one is shown. */
  pct?: number | null | undefined;
}

export function gaugeChart(
  title: string,
  rows: readonly GaugeRow[],
  unit: string,
  findings: readonly LabelledFinding[] = [],
): GaugeChart | null {
  const gauges: Gauge[] = [];
  for (const r of rows) {
    const { used, total } = r;
    const pct =
      typeof r.pct === 'number'
        ? r.pct
        : typeof used === 'number' && typeof total === 'number' && total > 0
          ? (100 * used) / total
          : null;
    if (pct === null || !Number.isFinite(pct)) continue;
    const amounts =
      typeof used === 'number' && typeof total === 'number'
        ? `${formatValue(used, unit)} of ${formatValue(total, unit)} (${formatValue(pct, 'percent')})`
        : formatValue(pct, 'percent');
    const level = levelFor(r.key ?? r.label, findings);
    gauges.push({
      label: r.label,
      pct: Math.max(0, Math.min(100, pct)),
      text: amounts,
      ...(level ? { level } : {}),
    });
  }
  return gauges.length ? { type: 'gauges', title, gauges } : null;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown): string =>
  typeof x === 'string' ? x : x === null || x === undefined ? '' : String(x);
const records = (x: unknown): Record<string, unknown>[] => (Array.isArray(x) ? x.filter(isRecord) : []);

/** Charts for one recognized output; none for kinds better read as a table (or the plan view). */
export function chartsFor(kind: string, data: unknown, findings: readonly LabelledFinding[] = []): Chart[] {
  if (!isRecord(data)) return [];
  const out: (Chart | null)[] = [];
  const rows = records(data['rows']);
  switch (kind) {
    case 'kubectl-top-pods': {
      const name = (r: Record<string, unknown>): string =>
        `${r['namespace'] ? `${str(r['namespace'])}/` : ''}${str(r['pod'])}${r['container'] ? ` · ${str(r['container'])}` : ''}`;
      const key = (r: Record<string, unknown>): string =>
        r['container'] ? `container ${name(r).replace(' · ', '/')}` : `pod ${name(r)}`;
      out.push(
        barChart(
          'Memory by pod',
          rows.map((r) => ({ label: name(r), key: key(r), value: num(r['memoryBytes']) })),
          'bytes',
          findings,
        ),
        barChart(
          'CPU by pod',
          rows.map((r) => ({ label: name(r), key: key(r), value: num(r['cpuCores']) })),
          'cores',
          findings,
        ),
      );
      break;
    }
    case 'kubectl-top-nodes':
      out.push(
        gaugeChart(
          'Node memory',
          rows.map((r) => ({
            label: str(r['node']),
            key: `node ${str(r['node'])}`,
            used: null,
            total: null,
            pct: num(r['memoryPct']),
          })),
          'bytes',
          findings,
        ),
        gaugeChart(
          'Node CPU',
          rows.map((r) => ({
            label: str(r['node']),
            key: `node ${str(r['node'])}`,
            used: null,
            total: null,
            pct: num(r['cpuPct']),
          })),
          'cores',
          findings,
        ),
      );
      break;
    case 'kubectl-get-pods':
      out.push(
        barChart(
          'Restarts by pod',
          rows.map((r) => {
            const label = `${r['namespace'] ? `${str(r['namespace'])}/` : ''}${str(r['name'])}`;
            return { label, key: `pod ${label}`, value: num(r['restarts']) };
          }),
          'count',
          findings,
          { positive: true },
        ),
      );
      break;
    case 'docker-stats': {
      const label = (r: Record<string, unknown>): string =>
        str(r['name'] ?? r['container']) || str(r['container']);
      const key = (r: Record<string, unknown>): string => `container ${label(r)}`;
      const limited = rows.some((r) => num(r['memLimitBytes']));
      out.push(
        limited
          ? gaugeChart(
              'Memory against limit',
              rows.map((r) => ({
                label: label(r),
                key: key(r),
                used: num(r['memUsageBytes']),
                total: num(r['memLimitBytes']),
                pct: num(r['memPct']),
              })),
              'bytes',
              findings,
            )
          : barChart(
              'Memory by container',
              rows.map((r) => ({ label: label(r), key: key(r), value: num(r['memUsageBytes']) })),
              'bytes',
              findings,
            ),
        barChart(
          'CPU by container',
          rows.map((r) => ({ label: label(r), key: key(r), value: num(r['cpuPct']) })),
          'percent',
          findings,
        ),
      );
      break;
    }
    case 'nvidia-smi':
    case 'nvidia-smi-xml':
    case 'nvidia-smi-query-gpu':
    case 'nvidia-smi-compute-apps': {
      const gpus = records(data['gpus']);
      const gpuName = (g: Record<string, unknown>): string =>
        `GPU ${str(g['index'])}${g['name'] ? ` · ${str(g['name'])}` : ''}`;
      out.push(
        gaugeChart(
          'GPU memory used',
          gpus.map((g) => ({
            label: gpuName(g),
            key: `GPU ${str(g['index'])}`,
            used: num(g['memoryUsedBytes']),
            total: num(g['memoryTotalBytes']),
          })),
          'bytes',
          findings,
        ),
        gaugeChart(
          'GPU utilization',
          gpus.map((g) => ({
            label: gpuName(g),
            key: `GPU ${str(g['index'])}`,
            used: null,
            total: null,
            pct: num(g['utilizationPct']),
          })),
          'percent',
          findings,
        ),
        barChart(
          'GPU memory by process',
          records(data['processes']).map((p) => {
            const onGpu = p['gpu'] !== null && p['gpu'] !== undefined;
            return {
              label: `${str(p['pid'])} ${str(p['name'])}${onGpu ? ` (GPU ${str(p['gpu'])})` : ''}`,
              key: `process ${str(p['pid'])} (${str(p['name'])})${onGpu ? ` on GPU ${str(p['gpu'])}` : ''}`,
              value: num(p['usedMemoryBytes']),
            };
          }),
          'bytes',
          findings,
          { positive: true },
        ),
      );
      break;
    }
    case 'pg-connections': {
      out.push(
        gaugeChart(
          'Connections against max_connections',
          [
            {
              label: 'database server',
              key: 'database server',
              used: num(data['used']),
              total: num(data['max']),
            },
          ],
          'count',
          findings,
        ),
      );
      if (isRecord(data['byState']))
        out.push(
          barChart(
            'Connections by state',
            Object.entries(data['byState']).map(([label, v]) => ({ label, value: num(v) })),
            'count',
            findings,
          ),
        );
      break;
    }
    case 'free': {
      const total = num(data['totalBytes']);
      const available = num(data['availableBytes']);
      // As the memory check counts it: in use is what cannot be reclaimed, total − available.
      const used = total !== null && available !== null ? total - available : num(data['usedBytes']);
      out.push(
        gaugeChart(
          'Memory',
          [
            { label: 'Memory in use', key: 'host', used, total },
            { label: 'Swap', used: num(data['swapUsedBytes']), total: num(data['swapTotalBytes']) },
          ],
          'bytes',
          findings,
        ),
      );
      break;
    }
    case 'df':
      out.push(
        gaugeChart(
          data['inodes'] ? 'Inodes used' : 'Disk used',
          rows.map((r) => ({
            label: `${str(r['mount'])} (${str(r['filesystem'])})`,
            used: num(r['used']),
            total: num(r['size']),
            pct: num(r['usedPct']),
          })),
          data['inodes'] ? 'count' : 'bytes',
          findings,
        ),
      );
      break;
    case 'ps': {
      const label = (r: Record<string, unknown>): string =>
        `${str(r['pid'])} ${str(r['command']).slice(0, 60)}`;
      const key = (r: Record<string, unknown>): string => {
        const c = str(r['command']);
        return `pid ${str(r['pid'])} (${c.length > 60 ? `${c.slice(0, 57)}...` : c})`;
      };
      out.push(
        barChart(
          'Resident memory by process',
          rows.map((r) => ({ label: label(r), key: key(r), value: num(r['rssBytes']) })),
          'bytes',
          findings,
          { positive: true },
        ),
        barChart(
          'CPU by process',
          rows.map((r) => ({ label: label(r), key: key(r), value: num(r['cpuPct']) })),
          'percent',
          findings,
          { positive: true },
        ),
      );
      break;
    }
    case 'jvm-histogram':
      out.push(
        barChart(
          'Heap by class (shallow size)',
          rows.map((r) => ({ label: str(r['className']), value: num(r['bytes']) })),
          'bytes',
          findings,
        ),
      );
      break;
    case 'jstat-gcutil': {
      const last = records(data['samples']).at(-1);
      if (last)
        out.push(
          gaugeChart(
            'Heap spaces used (last sample)',
            [
              ['Survivor 0', 'survivor0Pct'],
              ['Survivor 1', 'survivor1Pct'],
              ['Eden', 'edenPct'],
              ['Old', 'oldPct'],
              ['Metaspace', 'metaspacePct'],
              ['Compressed class', 'compressedClassPct'],
            ].map(([label, k]) => ({ label: label!, used: null, total: null, pct: num(last[k!]) })),
            'percent',
            findings,
          ),
        );
      break;
    }
    case 'memory-profiler':
      out.push(
        barChart(
          'Memory added by line',
          records(data['lines']).map((l) => ({
            label: `${str(l['line'])}: ${str(l['code']).trim().slice(0, 60)}`,
            value: num(l['incrementBytes']),
          })),
          'bytes',
          findings,
          { positive: true },
        ),
      );
      break;
    case 'apache-bench':
      if (isRecord(data['percentilesMs']))
        out.push(
          barChart(
            'Latency percentiles',
            Object.entries(data['percentilesMs']).map(([p, v]) => ({
              label: `${p}%`,
              value: num(v) !== null ? (num(v) as number) / 1000 : null,
            })),
            'seconds',
            findings,
            { keepOrder: true },
          ),
        );
      break;
    case 'torch-memory-summary':
      out.push(
        barChart(
          'CUDA memory (peak)',
          records(data['stats'])
            .filter((s) => s['unit'] === 'bytes')
            .map((s) => ({ label: str(s['name']), value: num(s['peak']) })),
          'bytes',
          findings,
          { positive: true },
        ),
      );
      break;
    default:
      break;
  }
  return out.filter((c): c is Chart => c !== null);
}
