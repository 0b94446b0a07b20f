// `nvidia-smi --query-gpu=... --format=csv[,noheader][,nounits]` and
// `nvidia-smi --query-compute-apps=... --format=csv[...]`.
//
// CSV as nvidia-smi writes it: fields separated by ", ", a header naming each field with its unit
// in brackets (`memory.used [MiB]`), values with units (`41843 MiB`, `100 %`, `690.03 W`) unless
// nounits. Without a header the fields are taken from the command line's query list. The header
// spells some fields differently from the query (`clocks.sm` is headed `clocks.current.sm`), so
// both spellings are known.
import { findInvocation, flagValue } from './command';
import {
  emptyGpu,
  GPU_DEFAULTS,
  gpuMetrics,
  isNA,
  type GpuProcess,
  type GpuRow,
  type NvidiaSmiData,
} from './nvidia-gpu';
import type { Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseBytes, parseNumber } from './units';

/** Query aliases → the name nvidia-smi prints in the header. */
const CANONICAL: Record<string, string> = {
  'clocks.sm': 'clocks.current.sm',
  'clocks.mem': 'clocks.current.memory',
  'clocks.gr': 'clocks.current.graphics',
  'clocks.video': 'clocks.current.video',
  gpu_name: 'name',
  gpu_uuid: 'uuid',
  gpu_bus_id: 'pci.bus_id',
  pstate: 'pstate',
  'power.draw.average': 'power.draw.average',
};

const canonical = (field: string): string => CANONICAL[field.trim()] ?? field.trim();

/** The unit nvidia-smi uses for a field when nounits strips it. */
function defaultUnit(field: string): string {
  if (/^memory\.(total|used|free|reserved)$|used_gpu_memory|used_memory/.test(field)) return 'MiB';
  if (/^utilization\./.test(field)) return '%';
  if (/^power\./.test(field)) return 'W';
  if (/^clocks\./.test(field)) return 'MHz';
  return '';
}

interface Field {
  name: string;
  unit: string;
}

function headerFields(line: string): Field[] | null {
  const parts = line.split(',').map((p) => p.trim());
  const fields: Field[] = [];
  for (const p of parts) {
    const m = /^([a-z_][\w.]*)(?: \[([^\]]+)\])?$/.exec(p);
    if (!m) return null;
    fields.push({ name: canonical(m[1] as string), unit: m[2] ?? defaultUnit(canonical(m[1] as string)) });
  }
  return fields;
}

function queryFields(command: string, flag: string): Field[] | null {
  const inv = findInvocation(command, ['nvidia-smi']);
  const q = inv ? flagValue(inv, flag) : null;
  if (!q) return null;
  return q.split(',').map((f) => ({ name: canonical(f), unit: defaultUnit(canonical(f)) }));
}

/** A CSV value with or without its unit, in base units (bytes, %, W, MHz, °C). */
function value(raw: string | undefined, unit: string): number | null {
  if (raw === undefined || isNA(raw)) return null;
  const t = raw.trim();
  if (unit === 'MiB' || unit === 'KiB' || unit === 'GiB') {
    const withUnit = parseBytes(t);
    return /[a-zA-Z]$/.test(t) ? withUnit : parseBytes(`${t} ${unit}`);
  }
  const stripped = unit ? t.replace(new RegExp(`\\s*${unit}$`), '') : t;
  return parseNumber(stripped);
}

interface Table {
  fields: Field[];
  rows: string[][];
}

function readCsv(
  text: string,
  command: string,
  flag: string,
  looksLikeHeader: (f: Field[]) => boolean,
): Table | null {
  const lines = outputLines(text).filter((l) => l.trim() !== '');
  if (!lines.length) return null;
  const first = headerFields(lines[0] as string);
  let fields: Field[] | null;
  let body: string[];
  if (first && looksLikeHeader(first)) {
    fields = first;
    body = lines.slice(1);
  } else {
    fields = queryFields(command, flag);
    body = lines;
  }
  if (!fields) return null;
  const rows: string[][] = [];
  for (const l of body) {
    const cells = l.split(', ');
    if (cells.length !== fields.length) return rows.length ? { fields, rows } : null;
    rows.push(cells);
  }
  return { fields, rows };
}

const GPU_FIELDS =
  /^(index|name|uuid|memory\.|utilization\.|temperature\.|power\.|clocks\.|pstate|driver_version|pci\.)/;

export function parseQueryGpu(input: RecognizerInput, command = ''): NvidiaSmiData | null {
  if (typeof input !== 'string') return null;
  const t = readCsv(
    input,
    command,
    '--query-gpu',
    (f) => f.every((x) => GPU_FIELDS.test(x.name)) && f.some((x) => /^memory\.|^utilization\./.test(x.name)),
  );
  if (!t) return null;
  let driverVersion: string | null = null;
  const gpus: GpuRow[] = [];
  for (const [i, cells] of t.rows.entries()) {
    const get = (name: string): string | undefined => {
      const k = t.fields.findIndex((f) => f.name === name);
      return k >= 0 ? cells[k] : undefined;
    };
    const val = (name: string): number | null => {
      const k = t.fields.findIndex((f) => f.name === name);
      return k >= 0 ? value(cells[k], t.fields[k]?.unit ?? '') : null;
    };
    const index = val('index');
    const text = (name: string): string | null => {
      const v = get(name);
      return v === undefined || isNA(v) ? null : v.trim();
    };
    driverVersion ??= text('driver_version');
    const row: GpuRow = {
      ...emptyGpu(index ?? i),
      name: text('name'),
      uuid: text('uuid'),
      busId: text('pci.bus_id'),
      memoryUsedBytes: val('memory.used'),
      memoryTotalBytes: val('memory.total'),
      memoryFreeBytes: val('memory.free'),
      utilizationPct: val('utilization.gpu'),
      memoryUtilizationPct: val('utilization.memory'),
      temperatureC: val('temperature.gpu'),
      powerDrawW: val('power.draw') ?? val('power.draw.instant') ?? val('power.draw.average'),
      powerLimitW: val('power.limit') ?? val('enforced.power.limit'),
      pstate: text('pstate'),
      smClockMhz: val('clocks.current.sm'),
      memClockMhz: val('clocks.current.memory'),
    };
    // A row must carry at least one figure the query asked for; otherwise this is not our CSV.
    const figures = t.fields.filter(
      (f) => f.unit !== '' || f.name === 'index' || f.name === 'temperature.gpu',
    );
    if (figures.length && figures.every((f) => value(get(f.name), f.unit) === null && !isNA(get(f.name))))
      return null;
    gpus.push(row);
  }
  if (!gpus.length) return null;
  return { source: 'csv', driverVersion, cudaVersion: null, gpus, processes: [] };
}

export interface ComputeApps {
  readonly processes: GpuProcess[];
}

export function parseQueryComputeApps(input: RecognizerInput, command = ''): ComputeApps | null {
  if (typeof input !== 'string') return null;
  if (outputLines(input).every((l) => l.trim() === '')) {
    // No process on any GPU prints nothing at all (not even the header in noheader mode).
    return findInvocation(command, ['nvidia-smi']) && queryFields(command, '--query-compute-apps')
      ? { processes: [] }
      : null;
  }
  const t = readCsv(
    input,
    command,
    '--query-compute-apps',
    (f) =>
      f.some((x) => x.name === 'pid') &&
      f.some((x) => /^(process_name|used_gpu_memory|used_memory|gpu_uuid|gpu_name|gpu_bus_id)$/.test(x.name)),
  );
  if (!t || !t.fields.some((f) => f.name === 'pid')) return null;
  const processes: GpuProcess[] = [];
  for (const cells of t.rows) {
    const at = (name: string): [string | undefined, string] => {
      const k = t.fields.findIndex((f) => f.name === name);
      return [k >= 0 ? cells[k] : undefined, k >= 0 ? (t.fields[k]?.unit ?? '') : ''];
    };
    const pid = Number(at('pid')[0]);
    if (!Number.isInteger(pid)) return null;
    const mem = at('used_gpu_memory');
    processes.push({
      gpu: null,
      gpuUuid: at('uuid')[0]?.trim() ?? null,
      pid,
      type: null,
      name: at('process_name')[0]?.trim() ?? at('name')[0]?.trim() ?? '',
      usedMemoryBytes: value(mem[0], mem[1]),
    });
  }
  return { processes };
}

export const nvidiaSmiQueryGpu: Recognizer<'nvidia-smi-query-gpu', NvidiaSmiData> = {
  kind: 'nvidia-smi-query-gpu',
  title: 'nvidia-smi --query-gpu',
  matchesCommand: (c) => {
    const inv = findInvocation(c, ['nvidia-smi']);
    return !!inv && inv.some((w) => w.startsWith('--query-gpu'));
  },
  parse: parseQueryGpu,
  metrics: gpuMetrics,
  defaults: GPU_DEFAULTS,
};

export const nvidiaSmiComputeApps: Recognizer<'nvidia-smi-compute-apps', ComputeApps> = {
  kind: 'nvidia-smi-compute-apps',
  title: 'nvidia-smi --query-compute-apps',
  matchesCommand: (c) => {
    const inv = findInvocation(c, ['nvidia-smi']);
    return !!inv && inv.some((w) => w.startsWith('--query-compute-apps'));
  },
  parse: parseQueryComputeApps,
  metrics: (d) =>
    gpuMetrics({
      source: 'csv',
      driverVersion: null,
      cudaVersion: null,
      gpus: [],
      processes: d.processes,
    }).filter((m) => m.path.startsWith('processes.')),
  defaults: [],
};
