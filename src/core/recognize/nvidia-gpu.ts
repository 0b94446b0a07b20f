// What nvidia-smi says about GPUs, whichever form it printed (table, CSV query, XML): one shape, so
// checks and the results view treat them alike.
import { metricOf } from './recognizer';
import type { Metric } from './types';
import { percentOf } from './units';

export interface GpuRow {
  readonly index: number;
  readonly name: string | null;
  readonly uuid: string | null;
  readonly busId: string | null;
  readonly memoryUsedBytes: number | null;
  readonly memoryTotalBytes: number | null;
  readonly memoryFreeBytes: number | null;
  readonly utilizationPct: number | null;
  /** Memory controller (bandwidth) utilization, not capacity. */
  readonly memoryUtilizationPct: number | null;
  readonly temperatureC: number | null;
  readonly powerDrawW: number | null;
  readonly powerLimitW: number | null;
  readonly pstate: string | null;
  readonly smClockMhz: number | null;
  readonly memClockMhz: number | null;
}

export interface GpuProcess {
  /** GPU index; null when only a UUID or bus id was printed (see gpuUuid). */
  readonly gpu: number | null;
  readonly gpuUuid: string | null;
  readonly pid: number;
  readonly type: string | null;
  readonly name: string;
  readonly usedMemoryBytes: number | null;
}

export interface NvidiaSmiData {
  readonly source: 'table' | 'csv' | 'xml';
  readonly driverVersion: string | null;
  readonly cudaVersion: string | null;
  readonly gpus: GpuRow[];
  readonly processes: GpuProcess[];
}

export const emptyGpu = (index: number): GpuRow => ({
  index,
  name: null,
  uuid: null,
  busId: null,
  memoryUsedBytes: null,
  memoryTotalBytes: null,
  memoryFreeBytes: null,
  utilizationPct: null,
  memoryUtilizationPct: null,
  temperatureC: null,
  powerDrawW: null,
  powerLimitW: null,
  pstate: null,
  smClockMhz: null,
  memClockMhz: null,
});

/** nvidia-smi's placeholders for a missing figure. */
export const isNA = (s: string | undefined): boolean =>
  s === undefined ||
  /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions|Requested functionality has been deprecated)\]?$/i.test(
    s.trim(),
  );

const gpuLabel = (g: GpuRow): string => `GPU ${g.index}`;

export function gpuMetrics(d: NvidiaSmiData): Metric[] {
  const procLabel = (p: GpuProcess): string =>
    `process ${p.pid} (${p.name})${p.gpu !== null ? ` on GPU ${p.gpu}` : ''}`;
  return [
    metricOf('gpu.memory.used', 'bytes', 'memory used', d.gpus, gpuLabel, (g) => g.memoryUsedBytes),
    metricOf('gpu.memory.total', 'bytes', 'memory total', d.gpus, gpuLabel, (g) => g.memoryTotalBytes),
    metricOf('gpu.memory.free', 'bytes', 'memory free', d.gpus, gpuLabel, (g) => g.memoryFreeBytes),
    metricOf('gpu.memory.used_pct', 'percent', 'memory used', d.gpus, gpuLabel, (g) =>
      percentOf(g.memoryUsedBytes, g.memoryTotalBytes),
    ),
    metricOf('gpu.utilization', 'percent', 'utilization', d.gpus, gpuLabel, (g) => g.utilizationPct),
    metricOf(
      'gpu.memory_utilization',
      'percent',
      'memory bandwidth used',
      d.gpus,
      gpuLabel,
      (g) => g.memoryUtilizationPct,
    ),
    metricOf('gpu.temperature', 'celsius', 'temperature', d.gpus, gpuLabel, (g) => g.temperatureC),
    metricOf('gpu.power', 'watts', 'power draw', d.gpus, gpuLabel, (g) => g.powerDrawW),
    metricOf('gpu.power_pct', 'percent', 'power draw', d.gpus, gpuLabel, (g) =>
      percentOf(g.powerDrawW, g.powerLimitW),
    ),
    metricOf('processes.gpu_memory', 'bytes', 'GPU memory', d.processes, procLabel, (p) => p.usedMemoryBytes),
  ];
}

/**
 * GPU checks by default: the seed's memory > 80% warning, critical near full (the next allocation
 * fails: "CUDA out of memory"), and a hot GPU (datacenter GPUs start throttling in the high 80s °C).
 */
export const GPU_DEFAULTS = [
  'gpu.memory.used_pct > 80%: warning, > 95%: critical',
  'gpu.temperature > 85C: warning',
];
