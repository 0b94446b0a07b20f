// `nvidia-smi -q -x`: the XML report (nvidia_smi_log, nvsmi_device_vNN.dtd). Parsed with
// fast-xml-parser with entity and DOCTYPE processing off: the DTD reference is never fetched.
import { XMLParser } from 'fast-xml-parser';
import { findInvocation, hasFlag } from './command';
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
import type { RecognizerInput } from './types';
import { parseBytes, parseWithUnit } from './units';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'gpu' || name === 'process_info',
});

const obj = (x: unknown): Node | null =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Node) : null;
const text = (x: unknown): string | null => (typeof x === 'string' && !isNA(x) ? x : null);
const at = (n: Node | null, ...path: string[]): unknown => {
  let cur: unknown = n;
  for (const p of path) cur = obj(cur)?.[p];
  return cur;
};
const bytes = (x: unknown): number | null => {
  const t = text(x);
  return t === null ? null : parseBytes(t);
};
const withUnit = (x: unknown, unit: string): number | null => {
  const t = text(x);
  return t === null ? null : parseWithUnit(t, unit);
};

/** Largest input parsed: `-q -x` is ~30 KB per GPU. */
const MAX_XML = 16 * 1024 * 1024;

export function parseNvidiaSmiXml(input: RecognizerInput): NvidiaSmiData | null {
  if (typeof input !== 'string' || input.length > MAX_XML || !input.includes('<nvidia_smi_log')) return null;
  let doc: Node;
  try {
    doc = parser.parse(input) as Node;
  } catch {
    return null;
  }
  const log = obj(doc['nvidia_smi_log']);
  const list = at(log, 'gpu');
  if (!log || !Array.isArray(list)) return null;
  const gpus: GpuRow[] = [];
  const processes: GpuProcess[] = [];
  list.forEach((raw, i) => {
    const g = obj(raw);
    if (!g) return;
    const fb = obj(g['fb_memory_usage']);
    const power = obj(g['gpu_power_readings']) ?? obj(g['power_readings']);
    gpus.push({
      ...emptyGpu(i),
      name: text(g['product_name']),
      uuid: text(g['uuid']),
      busId: text(g['@id']) ?? text(at(g, 'pci', 'pci_bus_id')),
      memoryUsedBytes: bytes(fb?.['used']),
      memoryTotalBytes: bytes(fb?.['total']),
      memoryFreeBytes: bytes(fb?.['free']),
      utilizationPct: withUnit(at(g, 'utilization', 'gpu_util'), '%'),
      memoryUtilizationPct: withUnit(at(g, 'utilization', 'memory_util'), '%'),
      temperatureC: withUnit(at(g, 'temperature', 'gpu_temp'), 'C'),
      // Newer drivers report average and instant draw; older ones a single power_draw.
      powerDrawW:
        withUnit(power?.['average_power_draw'], 'W') ??
        withUnit(power?.['power_draw'], 'W') ??
        withUnit(power?.['instant_power_draw'], 'W'),
      powerLimitW: withUnit(power?.['current_power_limit'], 'W') ?? withUnit(power?.['power_limit'], 'W'),
      pstate: text(g['performance_state']),
      smClockMhz: withUnit(at(g, 'clocks', 'sm_clock'), 'MHz'),
      memClockMhz: withUnit(at(g, 'clocks', 'mem_clock'), 'MHz'),
    });
    const procs = at(g, 'processes', 'process_info');
    if (Array.isArray(procs)) {
      for (const p of procs.map(obj)) {
        const pid = Number(text(p?.['pid']));
        if (!p || !Number.isInteger(pid)) continue;
        processes.push({
          gpu: i,
          gpuUuid: text(g['uuid']),
          pid,
          type: text(p['type']),
          name: text(p['process_name']) ?? '',
          usedMemoryBytes: bytes(p['used_memory']),
        });
      }
    }
  });
  if (!gpus.length) return null;
  return {
    source: 'xml',
    driverVersion: text(log['driver_version']),
    cudaVersion: text(log['cuda_version']),
    gpus,
    processes,
  };
}

export const nvidiaSmiXml: Recognizer<'nvidia-smi-xml', NvidiaSmiData> = {
  kind: 'nvidia-smi-xml',
  title: 'nvidia-smi -q -x',
  matchesCommand: (c) => {
    const inv = findInvocation(c, ['nvidia-smi']);
    return !!inv && (hasFlag(inv, '-x', '--xml-format') || inv.includes('-qx') || inv.includes('-xq'));
  },
  parse: parseNvidiaSmiXml,
  metrics: gpuMetrics,
  defaults: GPU_DEFAULTS,
};
