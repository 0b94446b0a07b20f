// `df` (coreutils): file systems and how full they are. `-h` sizes use powers of 1024 (`23G`),
// `-H` / `--si` powers of 1000, plain `df` 1K-blocks (or `-B`/`-k`/`-m` blocks), `-i` inodes,
// `-T` adds Type. "Mounted on" is the last column and may hold spaces.
import { findInvocation, flagValue, hasFlag } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';
import { parseBytes, parsePercent } from './units';

export interface DfRow {
  readonly filesystem: string;
  readonly type: string | null;
  readonly mount: string;
  /** Size, used and available in bytes; for `df -i`, inode counts. */
  readonly size: number | null;
  readonly used: number | null;
  readonly available: number | null;
  readonly usedPct: number | null;
}

export interface DfData {
  readonly inodes: boolean;
  readonly rows: DfRow[];
}

function blockSize(header: string, command: string): number {
  const m = /^(\d+)([KMG]?)-blocks$/.exec(header);
  if (m) return Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] ?? ''] ?? 1);
  const inv = findInvocation(command, ['df']) ?? [];
  const b = flagValue(inv, '-B') ?? flagValue(inv, '--block-size');
  return (b ? parseBytes(b, 'binary') : null) ?? 1024;
}

export function parseDf(input: RecognizerInput, command = ''): DfData | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const h = lines.findIndex((l) => /^Filesystem\s/.test(l) && /Mounted on\s*$/.test(l));
  if (h < 0) return null;
  const header = (lines[h] as string)
    .replace(/Mounted on\s*$/, 'Mounted_on')
    .trim()
    .split(/\s+/);
  const inodes = header.includes('Inodes');
  const hasType = header[1] === 'Type';
  const sizeCol = hasType ? 2 : 1;
  const human = /^(Size|Inodes)$/.test(header[sizeCol] ?? '');
  const inv = findInvocation(command, ['df']) ?? [];
  const si = hasFlag(inv, '-H', '--si');
  const unit = human ? 1 : blockSize(header[sizeCol] ?? '', command);
  const amount = (cell: string | undefined): number | null => {
    if (cell === undefined || cell === '-') return null;
    if (/^\d+$/.test(cell)) return inodes ? Number(cell) : Number(cell) * unit;
    if (inodes) return parseBytes(cell, si ? 'decimal' : 'binary'); // -ih: `1.5M` inodes
    return parseBytes(cell, si ? 'decimal' : 'binary');
  };
  const rows: DfRow[] = [];
  const n = header.length;
  let pending = '';
  for (const raw of lines.slice(h + 1)) {
    const l = pending ? `${pending} ${raw.trim()}` : raw;
    const cells = l.trim().split(/\s+/);
    // Old df put a long device name alone on its line and the figures on the next.
    if (cells.length === 1) {
      pending = cells[0] as string;
      continue;
    }
    pending = '';
    if (cells.length < n) continue;
    const mount = cells.slice(n - 1).join(' ');
    const pctCell = cells[n - 2] as string;
    rows.push({
      filesystem: cells[0] as string,
      type: hasType ? (cells[1] ?? null) : null,
      mount,
      size: amount(cells[sizeCol]),
      used: amount(cells[sizeCol + 1]),
      available: amount(cells[sizeCol + 2]),
      usedPct: pctCell === '-' ? null : parsePercent(pctCell),
    });
  }
  return rows.length ? { inodes, rows } : null;
}

const label = (r: DfRow): string => `${r.mount} (${r.filesystem})`;

export const df: Recognizer<'df', DfData> = {
  kind: 'df',
  title: 'df',
  matchesCommand: (c) => !!findInvocation(c, ['df']),
  parse: parseDf,
  metrics: (d) =>
    d.inodes
      ? [metricOf('disk.inodes_used_pct', 'percent', 'inodes used', d.rows, label, (r) => r.usedPct)]
      : [
          metricOf('disk.used_pct', 'percent', 'disk used', d.rows, label, (r) => r.usedPct),
          metricOf('disk.available', 'bytes', 'disk available', d.rows, label, (r) => r.available),
          metricOf('disk.size', 'bytes', 'disk size', d.rows, label, (r) => r.size),
        ],
  // disk.used_pct > 85% is the seed's global default; inodes run out the same way.
  defaults: ['disk.inodes_used_pct > 85%: warning'],
};
