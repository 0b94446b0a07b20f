// Numbers with units as tools print them, turned into base units (bytes, cores, seconds, percent).
// Every parser returns null for text it does not understand: output is never trusted to be well formed.

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;

/** A plain decimal number (also `1e+03`, as Go's %g prints); null for anything else. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!new RegExp(`^${NUMBER}$`).test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const BINARY: Record<string, number> = {
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
  pi: 2 ** 50,
  ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18 };

/**
 * How a bare single-letter suffix (`G`, `M`) is read. Kubernetes quantities and Docker's decimal
 * sizes use powers of 1000; coreutils (`df -h`, `free -h`, `ls -h`) use powers of 1024.
 */
export type BareSuffix = 'decimal' | 'binary';

/**
 * Sizes: `45Mi`, `1.5Gi`, `500M` (Kubernetes), `5.629MiB`, `147kB`, `1e+03kB`, `0B` (Docker),
 * `41834 MiB` (nvidia-smi), `304192 KiB` (torch), `23G`, `1.9Gi` (df/free -h), plain byte counts.
 * Kubernetes' milli suffix on a byte quantity (`128974848000m`) is honoured.
 */
export function parseBytes(text: string, bare: BareSuffix = 'decimal'): number | null {
  const m = new RegExp(`^(${NUMBER})\\s*([a-zA-Z]*)$`).exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  const unit = m[2] ?? '';
  if (unit === '' || unit === 'B' || unit === 'b' || unit === 'bytes') return n;
  if (unit === 'm') return n / 1000;
  const u = unit.toLowerCase();
  // KiB, MiB, Ki, Mi ...
  const bin = /^([kmgtpe])i(?:b)?$/.exec(u);
  if (bin?.[1]) return n * (BINARY[`${bin[1]}i`] ?? NaN);
  // kB, MB, GB: decimal by every tool that prints them.
  const dec = /^([kmgtpe])b$/.exec(u);
  if (dec?.[1]) return n * (DECIMAL[dec[1]] ?? NaN);
  // Bare K, M, G: depends on the tool.
  if (/^[kmgtpe]$/.test(u)) {
    return bare === 'binary' ? n * (BINARY[`${u}i`] ?? NaN) : n * (DECIMAL[u] ?? NaN);
  }
  return null;
}

/** CPU quantities: `250m` (millicores), `2` cores, `1500u`, `3000000n`. */
export function parseCores(text: string): number | null {
  const m = new RegExp(`^(${NUMBER})([mun]?)$`).exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  // Division keeps `412m` at exactly 0.412.
  const divisor = { '': 1, m: 1e3, u: 1e6, n: 1e9 }[m[2] ?? ''] ?? 1;
  return n / divisor;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

/** Durations: `2s`, `500ms`, `1.5 h`, `3m` (minutes; `ms` is milliseconds); a bare number is seconds. */
export function parseDuration(text: string): number | null {
  const m = new RegExp(`^(${NUMBER})\\s*([a-zµ]*)$`, 'i').exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === '') return n;
  const scale = DURATION_UNITS[unit];
  return scale === undefined ? null : n * scale;
}

/** `97.1%`, `97.1 %`, or a bare number read as a percentage. */
export function parsePercent(text: string): number | null {
  const m = new RegExp(`^(${NUMBER})\\s*%?$`).exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

/** A number followed by a fixed unit word, e.g. `690.03 W`, `60 C`, `1440 MHz`; null on `N/A`. */
export function parseWithUnit(text: string, unit: string): number | null {
  const m = new RegExp(`^(${NUMBER})\\s*${unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i').exec(
    text.trim(),
  );
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

/** The share `part / whole` in percent, or null when whole is not a positive number. */
export function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || !(whole > 0)) return null;
  return (part / whole) * 100;
}

const round = (n: number, digits: number): string => {
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
};

/** Sizes for messages, in binary units: `1.5 GiB`, `512 MiB`, `0 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${bytes < 0 ? '-' : ''}${round(v, i === 0 ? 0 : v < 10 ? 2 : 1)} ${units[i]}`;
}

/** Durations for messages: `850 ms`, `2.3 s`, `4.5 min`, `2.1 h`. */
export function formatDuration(seconds: number): string {
  const a = Math.abs(seconds);
  if (a < 1e-3) return `${round(seconds * 1e6, 1)} µs`;
  if (a < 1) return `${round(seconds * 1e3, a < 0.01 ? 2 : 1)} ms`;
  if (a < 120) return `${round(seconds, 2)} s`;
  if (a < 7200) return `${round(seconds / 60, 1)} min`;
  return `${round(seconds / 3600, 1)} h`;
}

/** A figure for messages in its dimension's usual notation. */
export function formatValue(value: number | string, dimension: string): string {
  if (typeof value === 'string') return value;
  switch (dimension) {
    case 'bytes':
      return formatBytes(value);
    case 'percent':
      return `${round(value, 1)}%`;
    case 'seconds':
      return formatDuration(value);
    case 'cores':
      return value < 1 ? `${round(value * 1000, 0)}m` : `${round(value, 2)} cores`;
    case 'ratio':
      return `${round(value, value >= 10 ? 0 : 1)}x`;
    case 'watts':
      return `${round(value, 1)} W`;
    case 'celsius':
      return `${round(value, 0)} °C`;
    case 'mhz':
      return `${round(value, 0)} MHz`;
    default:
      return round(value, 2);
  }
}
