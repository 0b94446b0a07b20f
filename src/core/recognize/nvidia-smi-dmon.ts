// `nvidia-smi dmon` (device monitoring) and `nvidia-smi pmon` (process monitoring).
//
// Both print a `#` line of column names and a `#` line of units (dmon: `# gpu pwr gtemp mtemp sm
// mem ... mclk pclk` / `# Idx W C C % % ... MHz MHz`; pmon: `# gpu pid type sm mem ... command` /
// `# Idx # C/G % % ... name`), repeated now and then, then one whitespace-separated row per GPU (or
// process) per sample; `-` marks a figure that is not available. The columns depend on `-s`, so
// they are always read from the header.
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseNumber } from './units';

export interface MonitorTable {
  readonly columns: string[];
  readonly units: string[];
  /** One row per line, in order: figures by column name (null for `-`), text columns kept as text. */
  readonly rows: Record<string, number | string | null>[];
}

function readMonitor(text: string, first: string, textColumns: readonly string[]): MonitorTable | null {
  const lines = outputLines(text);
  const h = lines.findIndex((l) => new RegExp(`^#\\s*${first}\\b`).test(l));
  if (h < 0) return null;
  const columns = (lines[h] as string).replace(/^#/, '').trim().split(/\s+/);
  const unitLine = lines[h + 1] ?? '';
  const units = unitLine.startsWith('#') ? unitLine.replace(/^#/, '').trim().split(/\s+/) : [];
  const rows: Record<string, number | string | null>[] = [];
  for (const line of lines.slice(h + 1)) {
    if (line.startsWith('#') || !line.trim()) continue;
    const cells = line.trim().split(/\s+/);
    if (cells.length < columns.length) continue; // a line cut short
    const row: Record<string, number | string | null> = {};
    let bad = false;
    columns.forEach((c, i) => {
      const cell = i === columns.length - 1 ? cells.slice(i).join(' ') : (cells[i] as string);
      if (textColumns.includes(c)) row[c] = cell;
      else if (cell === '-') row[c] = null;
      else {
        const n = parseNumber(cell);
        if (n === null) bad = true;
        row[c] = n;
      }
    });
    if (bad) return rows.length ? { columns, units, rows } : null;
    rows.push(row);
  }
  return rows.length ? { columns, units, rows } : null;
}

export interface DmonData extends MonitorTable {
  /** Per GPU over the samples: average and peak SM utilization, peak temperature, average power. */
  readonly gpus: {
    index: number;
    samples: number;
    smAvg: number | null;
    smMax: number | null;
    memAvg: number | null;
    tempMax: number | null;
    powerAvg: number | null;
  }[];
}

const avg = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const max = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);

export function parseDmon(input: RecognizerInput): DmonData | null {
  if (typeof input !== 'string') return null;
  const t = readMonitor(input, 'gpu', ['Date', 'Time']);
  if (!t || t.columns.includes('pid') || !t.columns.some((c) => ['sm', 'pwr', 'gtemp', 'fb'].includes(c)))
    return null;
  const by = new Map<number, Record<string, number | string | null>[]>();
  for (const r of t.rows) {
    const g = r['gpu'];
    if (typeof g !== 'number') continue;
    by.set(g, [...(by.get(g) ?? []), r]);
  }
  const nums = (rs: Record<string, number | string | null>[], k: string): number[] =>
    rs.map((r) => r[k]).filter((v): v is number => typeof v === 'number');
  const gpus = [...by.entries()].map(([index, rs]) => ({
    index,
    samples: rs.length,
    smAvg: avg(nums(rs, 'sm')),
    smMax: max(nums(rs, 'sm')),
    memAvg: avg(nums(rs, 'mem')),
    tempMax: max(nums(rs, 'gtemp')),
    powerAvg: avg(nums(rs, 'pwr')),
  }));
  return { ...t, gpus };
}

export interface PmonData extends MonitorTable {
  /** Per process over the samples: peak SM and memory utilization. */
  readonly processes: {
    gpu: number;
    pid: number;
    command: string;
    smMax: number | null;
    memMax: number | null;
  }[];
}

export function parsePmon(input: RecognizerInput): PmonData | null {
  if (typeof input !== 'string') return null;
  const t = readMonitor(input, 'gpu', ['type', 'command', 'Date', 'Time']);
  if (!t || !t.columns.includes('pid')) return null;
  const by = new Map<string, PmonData['processes'][number]>();
  for (const r of t.rows) {
    if (typeof r['gpu'] !== 'number' || typeof r['pid'] !== 'number') continue; // idle GPUs print pid "-"
    const key = `${r['gpu']}:${r['pid']}`;
    const p = by.get(key) ?? {
      gpu: r['gpu'],
      pid: r['pid'],
      command: String(r['command'] ?? ''),
      smMax: null,
      memMax: null,
    };
    const sm = r['sm'];
    const mem = r['mem'];
    if (typeof sm === 'number') p.smMax = Math.max(p.smMax ?? 0, sm);
    if (typeof mem === 'number') p.memMax = Math.max(p.memMax ?? 0, mem);
    by.set(key, p);
  }
  return { ...t, processes: [...by.values()] };
}

const isSub = (c: string, sub: string): boolean => {
  const inv = findInvocation(c, ['nvidia-smi']);
  return !!inv && inv[1] === sub;
};

export const nvidiaSmiDmon: Recognizer<'nvidia-smi-dmon', DmonData> = {
  kind: 'nvidia-smi-dmon',
  title: 'nvidia-smi dmon',
  matchesCommand: (c) => isSub(c, 'dmon'),
  parse: parseDmon,
  metrics: (d) => {
    const label = (g: DmonData['gpus'][number]): string => `GPU ${g.index}`;
    return [
      metricOf('gpu.utilization', 'percent', 'average SM utilization', d.gpus, label, (g) => g.smAvg),
      metricOf('gpu.utilization_max', 'percent', 'peak SM utilization', d.gpus, label, (g) => g.smMax),
      metricOf(
        'gpu.memory_utilization',
        'percent',
        'average memory bandwidth used',
        d.gpus,
        label,
        (g) => g.memAvg,
      ),
      metricOf('gpu.temperature', 'celsius', 'peak temperature', d.gpus, label, (g) => g.tempMax),
      metricOf('gpu.power', 'watts', 'average power draw', d.gpus, label, (g) => g.powerAvg),
    ];
  },
  defaults: ['gpu.temperature > 85C: warning'],
};

export const nvidiaSmiPmon: Recognizer<'nvidia-smi-pmon', PmonData> = {
  kind: 'nvidia-smi-pmon',
  title: 'nvidia-smi pmon',
  matchesCommand: (c) => isSub(c, 'pmon'),
  parse: parsePmon,
  metrics: (d) => {
    const label = (p: PmonData['processes'][number]): string =>
      `process ${p.pid} (${p.command}) on GPU ${p.gpu}`;
    return [
      metricOf(
        'processes.gpu_utilization',
        'percent',
        'peak SM utilization',
        d.processes,
        label,
        (p) => p.smMax,
      ),
      metricOf(
        'processes.gpu_memory_utilization',
        'percent',
        'peak memory bandwidth used',
        d.processes,
        label,
        (p) => p.memMax,
      ),
    ];
  },
  defaults: [],
};
