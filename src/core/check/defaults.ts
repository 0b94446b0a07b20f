// Default checks that hold for any recognizer providing the figure: the seed guide's alert table
// ("Alert Configuration"). Recognizers add their own (src/core/recognize/*: `defaults`). An author's
// check on the same figure replaces these; `figure: off` or `defaults: off` turns them off.
export const GLOBAL_DEFAULTS: readonly string[] = [
  // Critical: error rate > 5%; P95 latency > 5 s; database connections > 90%.
  // Warning: P95 latency > 2 s; memory usage > 80%; disk space > 85%.
  'http.error_rate_pct > 5%: critical',
  'http.latency_p95 > 2s: warning, > 5s: critical',
  'connections.used_pct > 90%: critical',
  'memory.used_pct > 80%: warning',
  'disk.used_pct > 85%: warning',
];
