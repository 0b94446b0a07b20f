// `docker stats` (also `--no-stream`, and `--format "table {{.Container}}\t{{.CPUPerc}}..."`).
//
// Layout, from the docker CLI (cli/command/container/formatter_stats.go) written through its table
// formatter's tabwriter (min width 10, padding 3). Default columns: CONTAINER ID, NAME, CPU %,
// MEM USAGE / LIMIT, MEM %, NET I/O, BLOCK I/O, PIDS; a `table` template picks any of them, and
// `{{.Container}}` is headed CONTAINER. Memory is go-units BytesSize ("%.4g" + KiB/MiB/GiB);
// NET I/O and BLOCK I/O are HumanSizeWithPrecision(3) (decimal kB/MB/GB, so `1e+03kB` happens);
// percentages are "%.2f%%"; a container whose stats failed shows `--` (`-- / --` for memory).
// Without --no-stream the CLI redraws the table with ANSI clear-screen codes: the last frame counts.
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { headerColumns, outputLines, parseAlignedTable } from './table';
import type { RecognizerInput } from './types';
import { parseBytes, parsePercent } from './units';

export interface DockerStatsRow {
  readonly container: string;
  readonly name: string | null;
  readonly cpuPct: number | null;
  readonly memUsageBytes: number | null;
  readonly memLimitBytes: number | null;
  readonly memPct: number | null;
  readonly netRxBytes: number | null;
  readonly netTxBytes: number | null;
  readonly blockReadBytes: number | null;
  readonly blockWriteBytes: number | null;
  readonly pids: number | null;
}

export interface DockerStats {
  readonly columns: string[];
  readonly rows: DockerStatsRow[];
}

const ID_HEADERS = ['CONTAINER ID', 'CONTAINER', 'NAME'];
const FIGURE_HEADERS = [
  'CPU %',
  'MEM USAGE / LIMIT',
  'MEM %',
  'NET I/O',
  'BLOCK I/O',
  'PIDS',
  'PRIV WORKING SET',
];

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** `1.712GiB / 2GiB` → [used, limit]; `-- / --` → [null, null]. */
export function parsePair(cell: string | undefined): [number | null, number | null] {
  const parts = (cell ?? '').split(' / ');
  if (parts.length !== 2) return [null, null];
  return [parseBytes(parts[0] ?? ''), parseBytes(parts[1] ?? '')];
}

export function parseDockerStats(input: RecognizerInput): DockerStats | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input.replace(ANSI, '\n'));
  const isHeader = (l: string): boolean => {
    const n = headerColumns(l).map((c) => c.name);
    return n.some((x) => ID_HEADERS.includes(x)) && n.some((x) => FIGURE_HEADERS.includes(x));
  };
  let h = -1;
  for (let i = 0; i < lines.length; i++) if (isHeader(lines[i] as string)) h = i;
  if (h < 0) return null;
  const body: string[] = [];
  for (const l of lines.slice(h + 1)) body.push(l);
  const table = parseAlignedTable(lines[h] as string, body);
  const rows: DockerStatsRow[] = [];
  for (const r of table.rows) {
    const [used, limit] = parsePair(r['MEM USAGE / LIMIT']);
    const [rx, tx] = parsePair(r['NET I/O']);
    const [rd, wr] = parsePair(r['BLOCK I/O']);
    const pids = r['PIDS'] !== undefined && /^\d+$/.test(r['PIDS']) ? Number(r['PIDS']) : null;
    const row: DockerStatsRow = {
      container: r['CONTAINER ID'] ?? r['CONTAINER'] ?? r['NAME'] ?? '',
      name: r['NAME'] ?? null,
      cpuPct: r['CPU %'] !== undefined ? parsePercent(r['CPU %']) : null,
      memUsageBytes: used ?? (r['PRIV WORKING SET'] !== undefined ? parseBytes(r['PRIV WORKING SET']) : null),
      memLimitBytes: limit,
      memPct: r['MEM %'] !== undefined ? parsePercent(r['MEM %']) : null,
      netRxBytes: rx,
      netTxBytes: tx,
      blockReadBytes: rd,
      blockWriteBytes: wr,
      pids,
    };
    const cells = FIGURE_HEADERS.map((k) => r[k]).filter((c): c is string => c !== undefined);
    // Every figure cell must be a figure or docker's `--` placeholder: anything else is not this table.
    const understood = cells.every((c) => c.startsWith('--') || /^[\d.]/.test(c));
    if (!understood || row.container === '') continue;
    rows.push(row);
  }
  return rows.length ? { columns: table.columns.map((c) => c.name), rows } : null;
}

const label = (r: DockerStatsRow): string => `container ${r.name ?? r.container}`;

export const dockerStats: Recognizer<'docker-stats', DockerStats> = {
  kind: 'docker-stats',
  title: 'docker stats',
  matchesCommand: (c) => {
    const inv = findInvocation(c, ['docker', 'podman', 'nerdctl']);
    return !!inv && (inv[1] === 'stats' || (inv[1] === 'container' && inv[2] === 'stats'));
  },
  parse: parseDockerStats,
  metrics: (d) => [
    metricOf('containers.cpu_pct', 'percent', 'CPU', d.rows, label, (r) => r.cpuPct),
    metricOf('containers.memory', 'bytes', 'memory used', d.rows, label, (r) => r.memUsageBytes),
    metricOf('containers.memory_limit', 'bytes', 'memory limit', d.rows, label, (r) => r.memLimitBytes),
    metricOf(
      'containers.memory_pct',
      'percent',
      'memory used',
      d.rows,
      label,
      (r) =>
        r.memPct ??
        (r.memUsageBytes !== null && r.memLimitBytes ? (r.memUsageBytes / r.memLimitBytes) * 100 : null),
    ),
    metricOf('containers.net_rx', 'bytes', 'network received', d.rows, label, (r) => r.netRxBytes),
    metricOf('containers.net_tx', 'bytes', 'network sent', d.rows, label, (r) => r.netTxBytes),
    metricOf('containers.block_read', 'bytes', 'block read', d.rows, label, (r) => r.blockReadBytes),
    metricOf('containers.block_write', 'bytes', 'block written', d.rows, label, (r) => r.blockWriteBytes),
    metricOf('containers.pids', 'count', 'processes', d.rows, label, (r) => r.pids),
  ],
  // The seed's alert table: memory usage > 80% is a warning.
  defaults: ['containers.memory_pct > 80%: warning'],
};
