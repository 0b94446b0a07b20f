// psql's result tables read back into rows: the aligned format (` a | b `, a `---+---` rule,
// `(N rows)`) and the unaligned one (`a|b`, from psql -A). Lets a runbook's `psql -c "SELECT ..."`
// step be recognized like a query step's rows.
import { outputLines } from './table';
import type { QueryRows } from './types';

const FOOTER = /^\(\d+ rows?\)$/;

export function parsePsqlTable(text: string): QueryRows | null {
  const lines = outputLines(text);
  const rule = lines.findIndex((l) => /^-+(\+-+)*$/.test(l.trim()) && l.trim().length >= 1);
  if (rule >= 1) {
    // Aligned: header just above the rule; column widths from the rule's `+` positions.
    const ruleLine = lines[rule] as string;
    const cuts: number[] = [];
    for (let i = 0; i < ruleLine.length; i++) if (ruleLine[i] === '+') cuts.push(i);
    const split = (l: string): string[] => {
      const cells: string[] = [];
      let from = 0;
      for (const c of cuts) {
        cells.push(l.slice(from, c).trim());
        from = c + 1;
      }
      cells.push(l.slice(from).trim());
      return cells;
    };
    const columns = split(lines[rule - 1] as string);
    if (columns.some((c) => c === '')) return null;
    const rows: unknown[][] = [];
    for (const l of lines.slice(rule + 1)) {
      if (FOOTER.test(l.trim()) || l.trim() === '') break;
      // psql marks a wrapped or multi-line cell with + at the column edge: keep the first line only.
      const cells = split(l);
      if (cells.length !== columns.length) return null;
      rows.push(cells.map(cellValue));
    }
    return { columns, rows };
  }
  // Unaligned (-A): `a|b` header, rows, `(N rows)` footer.
  const footer = lines.findIndex((l) => FOOTER.test(l.trim()));
  if (footer >= 1 && (lines[0] ?? '').includes('|')) {
    const columns = (lines[0] as string).split('|');
    const rows = lines.slice(1, footer).map((l) => l.split('|'));
    if (rows.every((r) => r.length === columns.length))
      return { columns, rows: rows.map((r) => r.map(cellValue)) };
  }
  return null;
}

const cellValue = (s: string): unknown => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s === '' ? null : s);
