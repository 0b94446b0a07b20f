// Benchmarks are ratios, never absolute times: each measure runs a subject and a baseline on the
// same input in the same process, alternating, and reports median(subject) / median(baseline).
// A bench file (bench/*.bench.ts) default-exports a list of measures.
export interface Measure {
  /** What is measured, e.g. "parse 5 MB runbook". */
  name: string;
  /** The reference the ratio is against, e.g. "markdown-it parse()". */
  baseline: { name: string; run: () => unknown | Promise<unknown> };
  subject: { name: string; run: () => unknown | Promise<unknown> };
  /** Rounds of (baseline, subject); default 7. */
  rounds?: number;
  /** The ratio the issue asks for, when there is one (printed, and flagged when exceeded). */
  goal?: number;
  /** Called once before the rounds (e.g. to build inputs), not timed. */
  setup?: () => unknown | Promise<unknown>;
}

export interface MeasureResult {
  name: string;
  baseline: string;
  subject: string;
  baselineMs: number;
  subjectMs: number;
  ratio: number;
  goal?: number;
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

export async function runMeasure(m: Measure): Promise<MeasureResult> {
  await m.setup?.();
  // One warm-up of each so JIT and caches are comparable.
  await m.baseline.run();
  await m.subject.run();
  const rounds = m.rounds ?? 7;
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < rounds; i++) {
    b.push(await time(m.baseline.run));
    s.push(await time(m.subject.run));
  }
  const baselineMs = median(b);
  const subjectMs = median(s);
  return {
    name: m.name,
    baseline: m.baseline.name,
    subject: m.subject.name,
    baselineMs,
    subjectMs,
    ratio: subjectMs / baselineMs,
    ...(m.goal !== undefined ? { goal: m.goal } : {}),
  };
}
