// Weights as people read them: 1.52 s, 830 µs, 12.4 MB, 1,204 samples. Pure, so the webview can
// use it too.
import type { FlameUnit } from '../model';

const TIME_NS: Partial<Record<FlameUnit, number>> = {
  nanoseconds: 1,
  microseconds: 1e3,
  milliseconds: 1e6,
  seconds: 1e9,
};

export function formatWeight(value: number, unit: FlameUnit): string {
  const ns = TIME_NS[unit];
  if (ns !== undefined) {
    const v = value * ns;
    const a = Math.abs(v);
    if (a >= 1e9) return `${trim(v / 1e9)} s`;
    if (a >= 1e6) return `${trim(v / 1e6)} ms`;
    if (a >= 1e3) return `${trim(v / 1e3)} µs`;
    return `${trim(v)} ns`;
  }
  if (unit === 'bytes') {
    const a = Math.abs(value);
    if (a >= 1024 ** 3) return `${trim(value / 1024 ** 3)} GB`;
    if (a >= 1024 ** 2) return `${trim(value / 1024 ** 2)} MB`;
    if (a >= 1024) return `${trim(value / 1024)} KB`;
    return `${value} B`;
  }
  const n = Number.isInteger(value) ? value.toLocaleString('en-US') : trim(value);
  return unit === 'samples' ? `${n} samples` : n;
}

function trim(v: number): string {
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
