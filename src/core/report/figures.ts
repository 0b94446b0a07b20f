// The few numbers a report reader wants next to a step — "host memory used 14.4%", "highest
// resident memory 445.6 MiB (pid 11710 ...) of 14" — taken from a recognition's metrics, and the
// last lines of a failed command's output (its error), so the report tells why without the log.
import { formatValue } from '../recognize/units';
import type { Metric, Recognition } from '../recognize/types';

/** Figures the runner adds itself (duration, exit code) are in the report's own columns. */
const SKIP = /^(?:run\.|failures\.)/;

function figure(m: Metric): string | undefined {
  const nums = m.samples.filter((s): s is typeof s & { value: number } => typeof s.value === 'number');
  if (m.samples.length === 1) {
    const s = m.samples[0]!;
    return `${s.label} ${m.description} ${formatValue(s.value, m.dimension)}`;
  }
  if (!nums.length) return undefined;
  const top = nums.reduce((a, b) => (b.value > a.value ? b : a));
  return `highest ${m.description} ${formatValue(top.value, m.dimension)} (${top.label}) of ${m.samples.length}`;
}

/** Up to `max` figures, in the recognizer's order (which puts the headline figure first). */
export function keyFigures(recognition: Pick<Recognition, 'metrics' | 'failures'>, max = 4): string[] {
  const out: string[] = recognition.failures.map((f) => f.summary);
  for (const m of recognition.metrics) {
    if (out.length >= max) break;
    if (SKIP.test(m.path) || m.dimension === 'text') continue;
    const f = figure(m);
    if (f && !out.includes(f)) out.push(f);
  }
  return out.slice(0, max);
}

const ERROR_WORDS =
  /error|exception|fatal|denied|refused|not found|no such|cannot|can't|unable|failed|timed? ?out|killed/i;

/**
 * Why a command failed, in a few lines: among the last 40 non-empty lines of its output, the last
 * ones that say error/exception/refused/...; the plain last lines when none do (a stack trace's
 * frames say less than its first line). Each line is cut to `width`.
 */
export function errorExcerpt(output: string, lines = 3, width = 200): string {
  const tail: string[] = [];
  // Walk back from the end so a huge log costs only its tail.
  let end = output.length;
  while (end > 0 && tail.length < 40) {
    const start = output.lastIndexOf('\n', end - 1);
    const line = output
      .slice(start + 1, end)
      .replace(/\r$/, '')
      .trim();
    if (line) tail.unshift(line.length > width ? `${line.slice(0, width - 1)}…` : line);
    end = start < 0 ? 0 : start;
  }
  const errors = tail.filter((l) => ERROR_WORDS.test(l));
  return (errors.length ? errors : tail).slice(-lines).join('\n');
}
