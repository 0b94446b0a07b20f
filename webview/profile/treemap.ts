// Squarified treemap layout (Bruls, Huizing and van Wijk, 2000): rectangles with areas proportional
// to the values, filled a row at a time along the shorter side of the free space, and a row is
// closed as soon as adding the next value would make its worst aspect ratio worse. Pure: no DOM.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * One rectangle per value, in the order of `values`, inside `rect`. Values are laid out largest
 * first whatever their order; zero, negative and non-finite values get an empty rectangle.
 */
export function squarify(values: readonly number[], rect: Rect): Rect[] {
  const out: Rect[] = values.map(() => ({ x: rect.x, y: rect.y, w: 0, h: 0 }));
  const idx = values
    .map((v, i) => [v, i] as const)
    .filter(([v]) => Number.isFinite(v) && v > 0)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map(([, i]) => i);
  const sum = idx.reduce((s, i) => s + (values[i] as number), 0);
  if (!idx.length || !(rect.w > 0) || !(rect.h > 0) || !(sum > 0)) return out;
  const scale = (rect.w * rect.h) / sum;
  const area = (i: number): number => (values[i] as number) * scale;
  const free: Rect = { ...rect };
  let row: number[] = [];
  let rowArea = 0;
  let rowMin = Infinity;
  let rowMax = 0;

  const worst = (total: number, min: number, max: number, side: number): number => {
    const s2 = side * side;
    const t2 = total * total;
    return Math.max((s2 * max) / t2, t2 / (s2 * min));
  };

  const place = (): void => {
    if (!row.length) return;
    if (free.w >= free.h) {
      // A column on the left, as wide as the row's area over the free height.
      const width = Math.min(free.w, rowArea / free.h);
      let y = free.y;
      for (const i of row) {
        const h = area(i) / width;
        out[i] = { x: free.x, y, w: width, h };
        y += h;
      }
      free.x += width;
      free.w -= width;
    } else {
      const height = Math.min(free.h, rowArea / free.w);
      let x = free.x;
      for (const i of row) {
        const w = area(i) / height;
        out[i] = { x, y: free.y, w, h: height };
        x += w;
      }
      free.y += height;
      free.h -= height;
    }
    row = [];
    rowArea = 0;
    rowMin = Infinity;
    rowMax = 0;
  };

  for (const i of idx) {
    const a = area(i);
    const side = Math.min(free.w, free.h);
    if (row.length) {
      const before = worst(rowArea, rowMin, rowMax, side);
      const after = worst(rowArea + a, Math.min(rowMin, a), Math.max(rowMax, a), side);
      if (after > before) place();
    }
    row.push(i);
    rowArea += a;
    rowMin = Math.min(rowMin, a);
    rowMax = Math.max(rowMax, a);
  }
  place();
  return out;
}

/** The index of the rectangle containing (x, y), or -1. */
export function rectAt(rects: readonly Rect[], x: number, y: number): number {
  for (let i = 0; i < rects.length; i++) {
    const r = rects[i] as Rect;
    if (r.w > 0 && r.h > 0 && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) return i;
  }
  return -1;
}

/** A rectangle shrunk by `pad` on every side (never below zero size). */
export function inset(r: Rect, pad: number): Rect {
  const w = Math.max(0, r.w - 2 * pad);
  const h = Math.max(0, r.h - 2 * pad);
  return { x: r.x + Math.min(pad, r.w / 2), y: r.y + Math.min(pad, r.h / 2), w, h };
}
