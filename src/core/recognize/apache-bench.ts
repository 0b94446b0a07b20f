// ApacheBench (`ab -n N -c C URL`): request latency percentiles and the error rate, the figures
// of the seed guide's alert table (error rate > 5%, P95 > 2 s / > 5 s).
//
// ab prints `Complete requests:`, `Failed requests:` (connection, length, exception failures),
// `Non-2xx responses:` (only when there are some), `Requests per second:`, `Time per request:`, and
// "Percentage of the requests served within a certain time (ms)" with lines `  95%     31`
// (the last one `100%  52 (longest request)`).
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { outputLines } from './table';
import type { RecognizerInput } from './types';

export interface ApacheBench {
  readonly url: string | null;
  readonly complete: number;
  readonly failed: number;
  readonly non2xx: number;
  readonly requestsPerSecond: number | null;
  readonly meanMs: number | null;
  /** Percentile → milliseconds, e.g. { 50: 3, 95: 31, 100: 52 }. */
  readonly percentilesMs: Record<number, number>;
}

export function parseApacheBench(input: RecognizerInput): ApacheBench | null {
  if (typeof input !== 'string' || !/This is ApacheBench|Complete requests:/.test(input)) return null;
  const lines = outputLines(input);
  const field = (name: string): string | null => {
    const l = lines.find((x) => x.startsWith(`${name}:`));
    return l ? l.slice(name.length + 1).trim() : null;
  };
  const int = (name: string): number | null => {
    const m = /^(\d+)/.exec(field(name) ?? '');
    return m ? Number(m[1]) : null;
  };
  const complete = int('Complete requests');
  if (complete === null) return null;
  const host = field('Server Hostname');
  const port = field('Server Port');
  const path = field('Document Path');
  const percentilesMs: Record<number, number> = {};
  const at = lines.findIndex((l) => /^Percentage of the requests served within a certain time/.test(l));
  if (at >= 0) {
    for (const l of lines.slice(at + 1)) {
      const m = /^\s*(\d+)%\s+(\d+)/.exec(l);
      if (!m) break;
      percentilesMs[Number(m[1])] = Number(m[2]);
    }
  }
  const rps = /^([\d.]+)/.exec(field('Requests per second') ?? '');
  const mean = lines.find((l) => /^Time per request:\s+[\d.]+ \[ms\] \(mean\)$/.test(l));
  return {
    url: host ? `${host}${port ? `:${port}` : ''}${path ?? ''}` : null,
    complete,
    failed: int('Failed requests') ?? 0,
    non2xx: int('Non-2xx responses') ?? 0,
    requestsPerSecond: rps ? Number(rps[1]) : null,
    meanMs: mean ? Number(/([\d.]+) \[ms\]/.exec(mean)?.[1]) : null,
    percentilesMs,
  };
}

export const apacheBench: Recognizer<'apache-bench', ApacheBench> = {
  kind: 'apache-bench',
  title: 'ApacheBench',
  matchesCommand: (c) => !!findInvocation(c, ['ab']),
  parse: parseApacheBench,
  metrics: (d) => {
    const one = [d];
    const label = (): string => d.url ?? 'requests';
    const pct = (p: number): number | null =>
      d.percentilesMs[p] !== undefined ? (d.percentilesMs[p] as number) / 1000 : null;
    return [
      metricOf('http.latency_p50', 'seconds', 'P50 latency', one, label, () => pct(50)),
      metricOf('http.latency_p95', 'seconds', 'P95 latency', one, label, () => pct(95)),
      metricOf('http.latency_p99', 'seconds', 'P99 latency', one, label, () => pct(99)),
      metricOf('http.latency_max', 'seconds', 'slowest request', one, label, () => pct(100)),
      // Errors: failed requests (ab counts them among the completed ones) plus non-2xx answers.
      metricOf('http.error_rate_pct', 'percent', 'error rate', one, label, (x) =>
        x.complete > 0 ? Math.min(100, ((x.failed + x.non2xx) / x.complete) * 100) : null,
      ),
      metricOf(
        'http.requests_per_second',
        'count',
        'requests per second',
        one,
        label,
        (x) => x.requestsPerSecond,
      ),
    ];
  },
  // http.error_rate_pct > 5% and http.latency_p95 > 2 s / 5 s are the seed's global defaults.
  defaults: [],
};
