// Column-aligned tables as Go's text/tabwriter prints them (kubectl, docker) and as procps/coreutils
// print them (ps, df, free). Cells are cut at the header's column starts, so a cell may hold single
// spaces ("MEM USAGE / LIMIT", "3 (5m ago)") and may be empty.

export interface Column {
  readonly name: string;
  readonly start: number;
}

/** Column names and their start offsets: header cells are separated by two or more spaces. */
export function headerColumns(header: string): Column[] {
  const cols: Column[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(header); m; m = re.exec(header)) cols.push({ name: m[0], start: m.index });
  return cols;
}

/** Lines of text output: CR stripped, trailing blank lines dropped. */
export function outputLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines;
}

/**
 * Cuts a row into cells at the columns' starts. When the row is not aligned with the header (a
 * cell starts mid-word), falls back to splitting on runs of two or more spaces; null when neither
 * gives one cell per column.
 */
export function splitRow(row: string, cols: readonly Column[]): string[] | null {
  const first = cols[0];
  if (!first) return null;
  const aligned =
    row.slice(0, first.start).trim() === '' &&
    cols.every((c, i) => i === 0 || c.start >= row.length || row[c.start - 1] === ' ');
  if (aligned) return cols.map((c, i) => row.slice(c.start, cols[i + 1]?.start ?? row.length).trim());
  const loose = row.trim().split(/\s{2,}/);
  return loose.length === cols.length ? loose : null;
}

export interface ParsedTable {
  readonly columns: Column[];
  /** Rows as name → cell; rows that could not be split are left out and counted. */
  readonly rows: Record<string, string>[];
  readonly skipped: number;
}

/** Parses a header line and the rows below it. */
export function parseAlignedTable(header: string, rows: readonly string[]): ParsedTable {
  const columns = headerColumns(header);
  const out: Record<string, string>[] = [];
  let skipped = 0;
  for (const line of rows) {
    if (line.trim() === '') continue;
    const cells = splitRow(line, columns);
    if (!cells) {
      skipped++;
      continue;
    }
    const rec: Record<string, string> = {};
    columns.forEach((c, i) => (rec[c.name] = cells[i] ?? ''));
    out.push(rec);
  }
  return { columns, rows: out, skipped };
}

/** Index of the first line whose columns are exactly `names` in order (header detection). */
export function findHeader(lines: readonly string[], test: (names: string[]) => boolean): number {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (l.trim() === '') continue;
    if (test(headerColumns(l).map((c) => c.name))) return i;
  }
  return -1;
}
