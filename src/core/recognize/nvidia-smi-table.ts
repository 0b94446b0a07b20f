// `nvidia-smi` with no arguments: the boxed summary table.
//
// Read cell by cell between the `|` borders, so column widths (which changed across driver
// releases) do not matter. Each GPU is two or three lines under the `|===` rule: index, name,
// persistence | bus id, display | ECC; then fan, temperature, perf state, power usage / cap |
// memory used / total | utilization, compute mode; then (newer drivers) the MIG mode. The
// Processes box lists GPU, [GI, CI,] PID, type, process name and GPU memory usage.
import { findInvocation } from './command';
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
import { parseBytes } from './units';

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

const num = (s: string | undefined): number | null => (s === undefined || isNA(s) ? null : Number(s));

export function parseNvidiaSmiTable(input: RecognizerInput): NvidiaSmiData | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const banner = lines.findIndex((l) => /NVIDIA-SMI\s+\S+/.test(l));
  if (banner < 0) return null;
  const bannerLine = lines[banner] as string;
  const driverVersion = /Driver Version:\s*(\S+)/.exec(bannerLine)?.[1] ?? null;
  const cudaVersion = /CUDA Version:\s*(\S+)/.exec(bannerLine)?.[1] ?? null;

  const gpus: GpuRow[] = [];
  const processes: GpuProcess[] = [];
  let inProcesses = false;
  for (let i = banner + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\|\s*Processes:/.test(line)) inProcesses = true;
    if (!line.startsWith('|') || /^\|[=\-+ ]*\|$/.test(line)) continue;
    const c = cells(line);
    if (!inProcesses) {
      // "0  NVIDIA H200  On" | "00000000:00:06.0 Off" | "0"
      const head = /^(\d+)\s+(.+?)\s+(On|Off)$/.exec(c[0] ?? '');
      if (head && c.length >= 2) {
        gpus.push({
          ...emptyGpu(Number(head[1])),
          name: head[2] ?? null,
          busId: /^([0-9A-Fa-f:.]+)/.exec(c[1] ?? '')?.[1] ?? null,
        });
        continue;
      }
      // "N/A   37C    P0            110W /  700W" | "0MiB / 143771MiB" | "0%      Default"
      const stat = /^(\S+)\s+(\S+?)C?\s+(P\d+|\S+)\s+(\S+?)W?\s*\/\s*(\S+?)W?$/.exec(c[0] ?? '');
      const mem = /^(\S+)\s*\/\s*(\S+)$/.exec(c[1] ?? '');
      const last = gpus[gpus.length - 1];
      if (stat && mem && last && last.memoryTotalBytes === null) {
        const used = parseBytes(mem[1] ?? '');
        const total = parseBytes(mem[2] ?? '');
        const util = /^(\d+)%/.exec(c[2] ?? '');
        gpus[gpus.length - 1] = {
          ...last,
          temperatureC: num(stat[2]),
          pstate: isNA(stat[3]) ? null : (stat[3] ?? null),
          powerDrawW: num(stat[4]),
          powerLimitW: num(stat[5]),
          memoryUsedBytes: used,
          memoryTotalBytes: total,
          // Not total − used: the driver also reserves memory, which only the CSV and XML forms report.
          memoryFreeBytes: null,
          utilizationPct: util ? Number(util[1]) : null,
        };
      }
      continue;
    }
    // "0   N/A  N/A             432      C   python3                               41834MiB"
    const p = /^(\d+|N\/A)\s+(?:(\S+)\s+(\S+)\s+)?(\d+)\s+(C\+G|[CGM])\s+(.+?)\s+(\d+MiB|N\/A)$/.exec(
      c[0] ?? '',
    );
    if (p) {
      processes.push({
        gpu: p[1] === 'N/A' ? null : Number(p[1]),
        gpuUuid: null,
        pid: Number(p[4]),
        type: p[5] ?? null,
        name: p[6] ?? '',
        usedMemoryBytes: p[7] === 'N/A' ? null : parseBytes(p[7] ?? ''),
      });
    }
  }
  if (!gpus.length) return null;
  return { source: 'table', driverVersion, cudaVersion, gpus, processes };
}

export const nvidiaSmiTable: Recognizer<'nvidia-smi', NvidiaSmiData> = {
  kind: 'nvidia-smi',
  title: 'nvidia-smi',
  matchesCommand: (c) => {
    const inv = findInvocation(c, ['nvidia-smi']);
    return !!inv && inv.length === 1;
  },
  parse: parseNvidiaSmiTable,
  metrics: gpuMetrics,
  defaults: GPU_DEFAULTS,
};
