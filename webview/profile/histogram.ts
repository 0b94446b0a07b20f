// The class histogram's rows, sorted and filtered as the table shows them. Pure (tested in Node).
import type { HeapHistogram } from './protocol';
import type { Matcher } from './search';

export type HistogramSort = 'name' | 'count' | 'shallow' | 'retained';

/** Class indexes in table order: largest first for numbers, A-Z for names; ties by name. */
export function sortClasses(h: HeapHistogram, sort: HistogramSort): Int32Array {
  const n = h.names.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const byName = (a: number, b: number): number => {
    const x = h.names[a] as string;
    const y = h.names[b] as string;
    return x < y ? -1 : x > y ? 1 : a - b;
  };
  const col =
    sort === 'count'
      ? h.count
      : sort === 'shallow'
        ? h.shallow
        : sort === 'retained'
          ? h.retained
          : undefined;
  if (!col) return idx.sort(byName);
  return idx.sort((a, b) => (col[b] as number) - (col[a] as number) || byName(a, b));
}

/** The first `limit` classes (in `order`) whose name matches, and how many matching ones were left out. */
export function filterClasses(
  h: HeapHistogram,
  order: Int32Array,
  matcher: Matcher | undefined,
  limit: number,
): { rows: number[]; hidden: number } {
  const rows: number[] = [];
  let matching = 0;
  for (const i of order) {
    if (matcher && !matcher(h.names[i] as string)) continue;
    matching++;
    if (rows.length < limit) rows.push(i);
  }
  return { rows, hidden: matching - rows.length };
}

/** The largest value of a column (for bar widths); 0 when empty. */
export function columnMax(col: Float64Array | undefined): number {
  let m = 0;
  if (col) for (const v of col) if (v > m) m = v;
  return m;
}
