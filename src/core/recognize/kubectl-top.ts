// `kubectl top pods` / `kubectl top nodes`.
//
// Layout, from kubectl's own printer (k8s.io/kubectl/pkg/metricsutil/metrics_printer.go) written
// through cli-runtime's tabwriter (min width 6, padding 3, pad ' '): every cell, the last one too,
// is followed by a tab, so columns are separated by at least three spaces and lines carry trailing
// padding. Pod columns: [NAMESPACE] [POD] NAME CPU(cores) MEMORY(bytes) [SWAP(bytes)]; POD appears
// with --containers, NAMESPACE with -A / --all-namespaces. Node columns: NAME CPU(cores) CPU(%)
// MEMORY(bytes) MEMORY(%) [SWAP(bytes) SWAP(%)]; kubectl before 1.31 headed the percentages
// `CPU%` / `MEMORY%`. CPU is printed as `<n>m`, memory as `<n>Mi`; a node without metrics shows
// `<unknown>`. `--sum` adds a `________` rule and a total row with empty leading cells.
import { findInvocation, hasFlag } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { findHeader, outputLines, parseAlignedTable } from './table';
import type { RecognizerInput } from './types';
import { parseBytes, parseCores, parsePercent } from './units';

export interface TopPodRow {
  readonly namespace: string | null;
  readonly pod: string;
  /** Set with --containers. */
  readonly container: string | null;
  readonly cpuCores: number | null;
  readonly memoryBytes: number | null;
  readonly swapBytes: number | null;
}

export interface KubectlTopPods {
  readonly containers: boolean;
  readonly rows: TopPodRow[];
  /** The --sum total row, when printed. */
  readonly sum: { cpuCores: number | null; memoryBytes: number | null } | null;
}

export interface TopNodeRow {
  readonly node: string;
  readonly cpuCores: number | null;
  readonly cpuPct: number | null;
  readonly memoryBytes: number | null;
  readonly memoryPct: number | null;
  /** True when kubectl printed `<unknown>`: the node's metrics are not available. */
  readonly unknown: boolean;
}

export interface KubectlTopNodes {
  readonly rows: TopNodeRow[];
}

const POD_WORDS = ['pod', 'pods', 'po'];
const NODE_WORDS = ['node', 'nodes', 'no'];

function topTarget(command: string): 'pods' | 'nodes' | null {
  const inv = findInvocation(command, ['kubectl', 'oc', 'k']);
  if (!inv) return null;
  const i = inv.indexOf('top');
  if (i < 0) return null;
  const what = inv.slice(i + 1).find((w) => !w.startsWith('-'));
  if (what && POD_WORDS.includes(what)) return 'pods';
  if (what && NODE_WORDS.includes(what)) return 'nodes';
  return null;
}

const isCpuHeader = (n: string): boolean => n === 'CPU(cores)';
const isMemHeader = (n: string): boolean => n === 'MEMORY(bytes)';

/** Header names for --no-headers output, from the flags the command used. */
function podColumnsFromFlags(command: string): string[] {
  const inv = findInvocation(command, ['kubectl', 'oc', 'k']) ?? [];
  const cols: string[] = [];
  if (hasFlag(inv, '-A', '--all-namespaces')) cols.push('NAMESPACE');
  if (hasFlag(inv, '--containers')) cols.push('POD');
  cols.push('NAME', 'CPU(cores)', 'MEMORY(bytes)');
  if (hasFlag(inv, '--show-swap')) cols.push('SWAP(bytes)');
  return cols;
}

function rowsFor(
  text: string,
  command: string,
  isHeader: (names: string[]) => boolean,
  flagColumns: () => string[],
): Record<string, string>[] | null {
  const lines = outputLines(text);
  const h = findHeader(lines, isHeader);
  if (h >= 0) {
    const t = parseAlignedTable(lines[h] as string, lines.slice(h + 1));
    return t.rows.length || t.skipped === 0 ? t.rows : null;
  }
  // --no-headers: whitespace-separated cells, columns known from the flags.
  const inv = findInvocation(command, ['kubectl', 'oc', 'k']);
  if (!inv || !hasFlag(inv, '--no-headers')) return null;
  const cols = flagColumns();
  const rows: Record<string, string>[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const cells = line.trim().split(/\s+/);
    if (cells.length !== cols.length) {
      if (/^_+$/.test(cells[0] ?? '') || cells.length === 2) continue; // --sum rule and total
      return null;
    }
    rows.push(Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ''])));
  }
  return rows.length ? rows : null;
}

const unknownCell = (s: string | undefined): boolean => s === '<unknown>';

export function parseTopPods(input: RecognizerInput, command = ''): KubectlTopPods | null {
  if (typeof input !== 'string') return null;
  const rows = rowsFor(
    input,
    command,
    (n) =>
      n.includes('NAME') &&
      n.some(isCpuHeader) &&
      n.some(isMemHeader) &&
      !n.includes('CPU(%)') &&
      !n.includes('CPU%'),
    () => podColumnsFromFlags(command),
  );
  if (!rows) return null;
  const out: TopPodRow[] = [];
  let sum: KubectlTopPods['sum'] = null;
  const containers = rows.length > 0 && 'POD' in (rows[0] as object);
  for (const r of rows) {
    const cpu = r['CPU(cores)'] ?? '';
    const mem = r['MEMORY(bytes)'] ?? '';
    if (/^_+$/.test(cpu) || /^_+$/.test(mem)) continue;
    const name = r['NAME'] ?? '';
    const cpuCores = parseCores(cpu);
    const memoryBytes = parseBytes(mem);
    if (name === '' && (r['POD'] ?? '') === '') {
      sum = { cpuCores, memoryBytes };
      continue;
    }
    if (cpuCores === null && memoryBytes === null) return null; // not kubectl's figures
    out.push({
      namespace: r['NAMESPACE'] ?? null,
      pod: containers ? (r['POD'] ?? '') : name,
      container: containers ? name : null,
      cpuCores,
      memoryBytes,
      swapBytes: r['SWAP(bytes)'] !== undefined ? parseBytes(r['SWAP(bytes)']) : null,
    });
  }
  return out.length ? { containers, rows: out, sum } : null;
}

export function parseTopNodes(input: RecognizerInput, command = ''): KubectlTopNodes | null {
  if (typeof input !== 'string') return null;
  const rows = rowsFor(
    input,
    command,
    (n) =>
      n[0] === 'NAME' &&
      n.some(isCpuHeader) &&
      n.some(isMemHeader) &&
      (n.includes('CPU(%)') || n.includes('CPU%')),
    () => ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'],
  );
  if (!rows) return null;
  const out: TopNodeRow[] = [];
  for (const r of rows) {
    const cells = [
      r['CPU(cores)'],
      r['CPU(%)'] ?? r['CPU%'],
      r['MEMORY(bytes)'],
      r['MEMORY(%)'] ?? r['MEMORY%'],
    ];
    const unknown = cells.some(unknownCell);
    const row: TopNodeRow = {
      node: r['NAME'] ?? '',
      cpuCores: parseCores(cells[0] ?? ''),
      cpuPct: parsePercent(cells[1] ?? ''),
      memoryBytes: parseBytes(cells[2] ?? ''),
      memoryPct: parsePercent(cells[3] ?? ''),
      unknown,
    };
    if (!unknown && row.cpuCores === null && row.memoryBytes === null) return null;
    out.push(row);
  }
  return out.length ? { rows: out } : null;
}

const podLabel = (r: TopPodRow): string => `pod ${r.namespace ? `${r.namespace}/` : ''}${r.pod}`;

export const kubectlTopPods: Recognizer<'kubectl-top-pods', KubectlTopPods> = {
  kind: 'kubectl-top-pods',
  title: 'kubectl top pods',
  matchesCommand: (c) => topTarget(c) === 'pods',
  parse: parseTopPods,
  metrics: (d) => {
    if (!d.containers) {
      return [
        metricOf('pods.cpu', 'cores', 'CPU', d.rows, podLabel, (r) => r.cpuCores),
        metricOf('pods.memory', 'bytes', 'memory', d.rows, podLabel, (r) => r.memoryBytes),
      ];
    }
    // Per-container rows, and the pod totals a person compares against pod-level limits.
    const pods = new Map<string, { label: string; cpu: number | null; mem: number | null }>();
    for (const r of d.rows) {
      const key = podLabel(r);
      const p = pods.get(key) ?? { label: key, cpu: null, mem: null };
      if (r.cpuCores !== null) p.cpu = (p.cpu ?? 0) + r.cpuCores;
      if (r.memoryBytes !== null) p.mem = (p.mem ?? 0) + r.memoryBytes;
      pods.set(key, p);
    }
    const containerLabel = (r: TopPodRow): string =>
      `container ${r.namespace ? `${r.namespace}/` : ''}${r.pod}/${r.container ?? ''}`;
    return [
      metricOf('containers.cpu', 'cores', 'CPU', d.rows, containerLabel, (r) => r.cpuCores),
      metricOf('containers.memory', 'bytes', 'memory', d.rows, containerLabel, (r) => r.memoryBytes),
      metricOf(
        'pods.cpu',
        'cores',
        'CPU',
        [...pods.values()],
        (p) => p.label,
        (p) => p.cpu,
      ),
      metricOf(
        'pods.memory',
        'bytes',
        'memory',
        [...pods.values()],
        (p) => p.label,
        (p) => p.mem,
      ),
    ];
  },
  defaults: [],
};

const nodeLabel = (r: TopNodeRow): string => `node ${r.node}`;

export const kubectlTopNodes: Recognizer<'kubectl-top-nodes', KubectlTopNodes> = {
  kind: 'kubectl-top-nodes',
  title: 'kubectl top nodes',
  matchesCommand: (c) => topTarget(c) === 'nodes',
  parse: parseTopNodes,
  metrics: (d) => [
    metricOf('nodes.cpu', 'cores', 'CPU', d.rows, nodeLabel, (r) => r.cpuCores),
    metricOf('nodes.cpu_pct', 'percent', 'CPU used', d.rows, nodeLabel, (r) => r.cpuPct),
    metricOf('nodes.memory', 'bytes', 'memory', d.rows, nodeLabel, (r) => r.memoryBytes),
    metricOf('nodes.memory_pct', 'percent', 'memory used', d.rows, nodeLabel, (r) => r.memoryPct),
    metricOf('nodes.unknown', 'text', 'metrics', d.rows, nodeLabel, (r) =>
      r.unknown ? 'unknown' : 'available',
    ),
  ],
  // The seed's alert table: memory usage > 80% is a warning.
  defaults: ['nodes.memory_pct > 80%: warning'],
};
