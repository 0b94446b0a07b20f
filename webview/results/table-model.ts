// Recognized data as tables: every list of records a recognizer returns (pods, GPUs, processes, file
// systems, samples, ...) becomes a table whose columns come from the record fields, their units from
// the field names (memoryBytes, cpuPct, meanMs, ...), and a few small records (free, connection
// counts, percentiles) become a table of their own. Pure: the page renders it, tests read it.
import { formatValue } from '../../src/core/recognize/units';

export type Unit =
  'bytes' | 'percent' | 'cores' | 'seconds' | 'ms' | 'count' | 'celsius' | 'watts' | 'mhz' | 'ratio' | 'text';

export interface Column {
  readonly key: string;
  readonly label: string;
  readonly unit: Unit;
}

export interface Cell {
  /** What sorting compares: numbers numerically, text by locale; null (no value) sorts last. */
  readonly value: number | string | null;
  readonly text: string;
}

export interface Table {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
}

const SUFFIX_UNITS: readonly [RegExp, Unit][] = [
  [/Bytes$/, 'bytes'],
  [/Pct$/, 'percent'],
  [/Cores$/, 'cores'],
  [/Ms$/, 'ms'],
  [/Seconds$/, 'seconds'],
  [/^temperature|TempC$|[a-z]C$/, 'celsius'],
  [/W$/, 'watts'],
  [/Mhz$/, 'mhz'],
  [/Factor$/, 'ratio'],
];

/** The unit a field holds, from its name: `memoryUsedBytes` is bytes, `cpuPct` a percentage. */
export function unitOf(key: string): Unit {
  for (const [re, unit] of SUFFIX_UNITS) if (re.test(key)) return unit;
  return 'count';
}

const WORDS: Record<string, string> = {
  cpu: 'CPU',
  gpu: 'GPU',
  cuda: 'CUDA',
  gpus: 'GPUs',
  pid: 'PID',
  pids: 'PIDs',
  uuid: 'UUID',
  rss: 'RSS',
  vsz: 'VSZ',
  sm: 'SM',
  mem: 'memory',
  net: 'network',
  rx: 'received',
  tx: 'sent',
  id: 'ID',
  gc: 'GC',
  gcs: 'GCs',
  pct: '%',
};

/** A field name as a column heading: `memoryUsedBytes` → "Memory used", `cpuPct` → "CPU %". */
export function labelOf(key: string): string {
  const unit = unitOf(key);
  const bare =
    unit === 'percent'
      ? key.replace(/Pct$/, '')
      : unit === 'count' || unit === 'text'
        ? key
        : key.replace(/(Bytes|Cores|Ms|Seconds|TempC|C|W|Mhz|Factor)$/, '');
  const words = (bare || key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(' ');
  const suffix = unit === 'percent' ? ' %' : unit === 'ms' ? ' (ms)' : '';
  return text.charAt(0).toUpperCase() + text.slice(1) + suffix;
}

export function formatCell(value: unknown, unit: Unit): Cell {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)))
    return { value: null, text: '' };
  if (typeof value === 'boolean') return { value: value ? 'yes' : 'no', text: value ? 'yes' : 'no' };
  if (typeof value === 'number') {
    if (unit === 'ms') return { value, text: `${formatValue(value, 'count')} ms` };
    if (unit === 'count' || unit === 'text') return { value, text: value.toLocaleString('en-US') };
    return { value, text: formatValue(value, unit) };
  }
  if (typeof value === 'string') return { value, text: value };
  return { value: null, text: JSON.stringify(value) };
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const isScalar = (x: unknown): boolean => x === null || ['number', 'string', 'boolean'].includes(typeof x);

/** A table from records: columns in first-seen field order, nested values and all-empty columns left out. */
export function tableFromRecords(
  title: string,
  records: readonly unknown[],
  hide: readonly string[] = [],
): Table | null {
  const rows = records.filter(isRecord);
  if (!rows.length) return null;
  const keys: string[] = [];
  for (const r of rows.slice(0, 200))
    for (const [k, v] of Object.entries(r))
      if (!keys.includes(k) && !hide.includes(k) && isScalar(v)) keys.push(k);
  const used = keys.filter((k) => rows.some((r) => r[k] !== null && r[k] !== undefined && r[k] !== ''));
  if (!used.length) return null;
  const columns: Column[] = used.map((key) => {
    const numeric = rows.some((r) => typeof r[key] === 'number');
    return { key, label: labelOf(key), unit: numeric ? unitOf(key) : 'text' };
  });
  return {
    title,
    columns,
    rows: rows.map((r) => columns.map((c) => formatCell(r[c.key], c.unit))),
  };
}

function recordTable(title: string, record: Record<string, unknown>, keyLabel: string, unit: Unit): Table {
  return {
    title,
    columns: [
      { key: 'key', label: keyLabel, unit: 'text' },
      { key: 'value', label: unit === 'ms' ? 'Time (ms)' : 'Count', unit },
    ],
    rows: Object.entries(record).map(([k, v]) => [formatCell(k, 'text'), formatCell(v, unit)]),
  };
}

/** Lists a recognizer's data may hold, with a heading each; the first present wins the main table. */
const LISTS: readonly [string, string][] = [
  ['rows', 'Rows'],
  ['gpus', 'GPUs'],
  ['processes', 'Processes'],
  ['samples', 'Samples'],
  ['lines', 'Lines'],
  ['stats', 'Statistics'],
  ['failures', 'Known failures'],
];

/** What the rows of each kind are, as a table heading. */
const ROW_TITLES: Record<string, string> = {
  'kubectl-top-pods': 'Pods',
  'kubectl-get-pods': 'Pods',
  'kubectl-top-nodes': 'Nodes',
  'docker-stats': 'Containers',
  df: 'File systems',
  ps: 'Processes',
  'jvm-histogram': 'Classes',
  'nvidia-smi-dmon': 'Samples',
};

/** Every table worth showing for one recognized output. EXPLAIN plans get the plan view instead. */
export function tablesFor(kind: string, data: unknown): Table[] {
  if (!isRecord(data) || kind === 'explain') return [];
  const out: Table[] = [];
  const push = (t: Table | null): void => {
    if (t && t.rows.length) out.push(t);
  };
  switch (kind) {
    case 'free':
      push({
        title: 'Memory',
        columns: ['', 'Total', 'Used', 'Free', 'Available', 'Buff/cache'].map((label, i) => ({
          key: String(i),
          label,
          unit: i ? 'bytes' : 'text',
        })),
        rows: [
          [
            'Memory',
            data['totalBytes'],
            data['usedBytes'],
            data['freeBytes'],
            data['availableBytes'],
            data['buffCacheBytes'],
          ],
          ['Swap', data['swapTotalBytes'], data['swapUsedBytes'], null, null, null],
        ].map((r) => r.map((v, i) => formatCell(v, i ? 'bytes' : 'text'))),
      });
      return out;
    case 'pg-connections':
      push({
        title: 'Connections',
        columns: [
          { key: 'used', label: 'In use', unit: 'count' },
          { key: 'max', label: 'max_connections', unit: 'count' },
          { key: 'pct', label: 'Used %', unit: 'percent' },
        ],
        rows: [
          [
            formatCell(data['used'], 'count'),
            formatCell(data['max'], 'count'),
            formatCell(
              typeof data['used'] === 'number' && typeof data['max'] === 'number' && data['max'] > 0
                ? (100 * data['used']) / data['max']
                : null,
              'percent',
            ),
          ],
        ],
      });
      if (isRecord(data['byState'])) push(recordTable('By state', data['byState'], 'State', 'count'));
      if (isRecord(data['byDatabase']))
        push(recordTable('By database', data['byDatabase'], 'Database', 'count'));
      return out;
    case 'apache-bench':
      if (isRecord(data['percentilesMs']))
        push({
          ...recordTable('Latency percentiles', data['percentilesMs'], 'Percentile', 'ms'),
          rows: Object.entries(data['percentilesMs']).map(([k, v]) => [
            formatCell(`${k}%`, 'text'),
            formatCell(v, 'ms'),
          ]),
        });
      return out;
    default:
      for (const [key, title] of LISTS) {
        const list = data[key];
        if (Array.isArray(list))
          push(tableFromRecords(key === 'rows' ? (ROW_TITLES[kind] ?? title) : title, list));
      }
      return out;
  }
}

/** Top-level figures and words of the data (driver version, totals, peak): shown above the tables. */
export function factsFor(kind: string, data: unknown): [string, string][] {
  if (!isRecord(data) || kind === 'explain' || kind === 'free' || kind === 'pg-connections') return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'number' || (typeof v === 'string' && v.length < 200)) {
      const unit = typeof v === 'number' ? unitOf(k) : 'text';
      out.push([labelOf(k), formatCell(v, unit).text]);
    }
  }
  return out;
}

/**
 * Row order for a sort on column `col`: stable, empty cells last whichever the direction, numbers
 * numerically and text in natural order ("pod-2" before "pod-10").
 */
export function sortOrder(rows: readonly (readonly Cell[])[], col: number, dir: 'asc' | 'desc'): number[] {
  const idx = rows.map((_, i) => i);
  const sign = dir === 'asc' ? 1 : -1;
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return idx.sort((a, b) => {
    const x = rows[a]?.[col]?.value ?? null;
    const y = rows[b]?.[col]?.value ?? null;
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return c !== 0 ? sign * c : a - b;
  });
}
