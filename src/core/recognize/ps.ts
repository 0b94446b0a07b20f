// `ps aux` (BSD style, e.g. `ps aux --sort=-%mem`) and `ps -eo pid,rss,%mem,cmd`-style listings:
// columns named by the header; the last column (COMMAND / CMD / ARGS / COMM) takes the rest of
// the line. RSS and VSZ are in KiB.
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseNumber } from './units';

export interface PsRow {
  readonly pid: number;
  readonly user: string | null;
  readonly cpuPct: number | null;
  readonly memPct: number | null;
  readonly rssBytes: number | null;
  readonly vszBytes: number | null;
  readonly command: string;
}

export interface PsData {
  readonly columns: string[];
  readonly rows: PsRow[];
}

const LAST = /^(COMMAND|CMD|ARGS|COMM)$/;

export function parsePs(input: RecognizerInput): PsData | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const h = lines.findIndex((l) => {
    const c = l.trim().split(/\s+/);
    return (
      c.includes('PID') &&
      LAST.test(c[c.length - 1] ?? '') &&
      c.some((x) => /^(%MEM|RSS|%CPU|VSZ|RSZ)$/.test(x))
    );
  });
  if (h < 0) return null;
  const cols = (lines[h] as string).trim().split(/\s+/);
  const idx = (name: string): number => cols.indexOf(name);
  const rows: PsRow[] = [];
  for (const l of lines.slice(h + 1)) {
    const cells = l.trim().split(/\s+/);
    if (cells.length < cols.length) continue;
    const cell = (name: string): string | undefined => {
      const i = idx(name);
      return i >= 0 ? cells[i] : undefined;
    };
    const pid = Number(cell('PID'));
    if (!Number.isInteger(pid)) continue;
    const kib = (name: string): number | null => {
      const v = parseNumber(cell(name) ?? '');
      return v === null ? null : v * 1024;
    };
    rows.push({
      pid,
      user: cell('USER') ?? null,
      cpuPct: parseNumber(cell('%CPU') ?? ''),
      memPct: parseNumber(cell('%MEM') ?? ''),
      rssBytes: kib('RSS') ?? kib('RSZ'),
      vszBytes: kib('VSZ'),
      command: cells.slice(cols.length - 1).join(' '),
    });
  }
  return rows.length ? { columns: cols, rows } : null;
}

const TOP = 50;
const label = (r: PsRow): string =>
  `pid ${r.pid} (${r.command.length > 60 ? `${r.command.slice(0, 57)}...` : r.command})`;

export const ps: Recognizer<'ps', PsData> = {
  kind: 'ps',
  title: 'ps',
  matchesCommand: (c) => !!findInvocation(c, ['ps']),
  parse: parsePs,
  metrics: (d) => {
    const byMem = [...d.rows]
      .sort((a, b) => (b.memPct ?? 0) - (a.memPct ?? 0) || (b.rssBytes ?? 0) - (a.rssBytes ?? 0))
      .slice(0, TOP);
    const byCpu = [...d.rows].sort((a, b) => (b.cpuPct ?? 0) - (a.cpuPct ?? 0)).slice(0, TOP);
    return [
      metricOf('processes.memory_pct', 'percent', 'memory', byMem, label, (r) => r.memPct),
      metricOf('processes.rss', 'bytes', 'resident memory', byMem, label, (r) => r.rssBytes),
      metricOf('processes.cpu_pct', 'percent', 'CPU', byCpu, label, (r) => r.cpuPct),
    ];
  },
  // The seed's memory > 80% warning, for one process holding most of the host's memory.
  defaults: ['processes.memory_pct > 80%: warning'],
};
