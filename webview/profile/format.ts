// Numbers as the viewer shows them: weights in their unit (time scaled to ns/µs/ms/s, bytes to
// KB/MB/GB), percentages with enough digits to tell small ones apart.
import type { FlameUnit } from '../../src/core/profile/model';

const SECONDS: Partial<Record<FlameUnit, number>> = {
  nanoseconds: 1e-9,
  microseconds: 1e-6,
  milliseconds: 1e-3,
  seconds: 1,
};

/** Three significant digits, no exponent, trailing zeros dropped ("1.5", "12", "0.025"). */
export function sig3(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const a = Math.abs(n);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(a)));
  return String(Number(n.toFixed(digits)));
}

export function formatTime(seconds: number): string {
  const a = Math.abs(seconds);
  if (a === 0) return '0 s';
  if (a < 1e-6) return `${sig3(seconds * 1e9)} ns`;
  if (a < 1e-3) return `${sig3(seconds * 1e6)} µs`;
  if (a < 1) return `${sig3(seconds * 1e3)} ms`;
  if (a < 120) return `${sig3(seconds)} s`;
  const m = Math.floor(a / 60);
  return `${seconds < 0 ? '-' : ''}${m} min ${Math.round(a - m * 60)} s`;
}

export function formatBytes(bytes: number): string {
  const a = Math.abs(bytes);
  if (a < 1024) return `${Math.round(bytes)} B`;
  if (a < 1024 ** 2) return `${sig3(bytes / 1024)} KB`;
  if (a < 1024 ** 3) return `${sig3(bytes / 1024 ** 2)} MB`;
  return `${sig3(bytes / 1024 ** 3)} GB`;
}

/** Integers with thousands separators (a thin space, so it reads the same in every locale). */
export function formatCount(n: number): string {
  const rounded = Math.round(n);
  if (Math.abs(n - rounded) > 1e-9) return sig3(n);
  return String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

export function formatWeight(value: number, unit: FlameUnit): string {
  const toSeconds = SECONDS[unit];
  if (toSeconds !== undefined) return formatTime(value * toSeconds);
  if (unit === 'bytes') return formatBytes(value);
  if (unit === 'samples') return `${formatCount(value)} ${Math.round(value) === 1 ? 'sample' : 'samples'}`;
  return formatCount(value);
}

/** part / whole as a percentage: "12.3%", "0.04%", "<0.01%" for a sliver, "–" without a whole. */
export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0) || !Number.isFinite(part)) return '–';
  const p = (100 * part) / whole;
  if (p === 0) return '0%';
  if (p < 0.01) return '<0.01%';
  if (p < 1) return `${p.toFixed(2)}%`;
  if (p < 100) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** "src/app/main.ts:42" from a file (path or URL) and a 1-based line (0: unknown). */
export function formatLocation(file: string | undefined, line: number): string {
  if (!file) return '';
  return line > 0 ? `${file}:${line}` : file;
}
