// Database connections from pg_stat_activity, against max_connections.
//
// Reads what people actually query: the raw view (`SELECT * FROM pg_stat_activity`: one row per
// backend; only client backends count against max_connections), a summary
// (`SELECT count(*) AS used, current_setting('max_connections')::int AS max ...`), or a breakdown
// (`SELECT state, count(*) ... GROUP BY state`). Rows come from a query step (columns + rows) or
// from psql's printed table.
import { metricOf, type Recognizer } from './recognizer';
import { parsePsqlTable } from './psql-table';
import { isQueryRows, type QueryRows, type RecognizerInput } from './types';

export interface PgConnections {
  readonly shape: 'activity-rows' | 'summary' | 'by-state';
  /** Client connections in use. */
  readonly used: number | null;
  readonly max: number | null;
  /** superuser_reserved_connections, when the query returned it. */
  readonly reserved: number | null;
  readonly byState: Record<string, number>;
  readonly byDatabase: Record<string, number>;
}

const norm = (c: string): string => c.toLowerCase().trim();
const MAX = /^(max_connections|max_conn|max|maximum|max_allowed|limit|connection_limit)$/;
const USED =
  /^(used|count|connections|total|current|used_connections|active_connections|total_connections|conn_count|in_use|numbackends|connected)$/;
const RESERVED = /^(superuser_reserved_connections|reserved|reserved_connections)$/;

const asNumber = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return null;
};

export function parsePgConnections(input: RecognizerInput): PgConnections | null {
  const rows: QueryRows | null = isQueryRows(input)
    ? input
    : typeof input === 'string'
      ? parsePsqlTable(input)
      : null;
  if (!rows || !rows.columns.length) return null;
  const cols = rows.columns.map(norm);
  const col = (re: RegExp): number => cols.findIndex((c) => re.test(c));
  const stateCol = cols.indexOf('state');
  const dbCol = cols.indexOf('datname');
  const typeCol = cols.indexOf('backend_type');

  // The raw view: one row per backend.
  if (cols.includes('pid') && (stateCol >= 0 || typeCol >= 0)) {
    const byState: Record<string, number> = {};
    const byDatabase: Record<string, number> = {};
    let used = 0;
    for (const r of rows.rows) {
      if (typeCol >= 0 && r[typeCol] !== 'client backend') continue;
      used++;
      const s = String(r[stateCol] ?? 'unknown');
      byState[s] = (byState[s] ?? 0) + 1;
      if (dbCol >= 0) {
        const d = String(r[dbCol] ?? '');
        byDatabase[d] = (byDatabase[d] ?? 0) + 1;
      }
    }
    const maxCol = col(MAX);
    const max = maxCol >= 0 ? asNumber(rows.rows[0]?.[maxCol]) : null;
    return { shape: 'activity-rows', used, max, reserved: null, byState, byDatabase };
  }

  // A breakdown by state.
  const countCol = col(USED);
  if (stateCol >= 0 && countCol >= 0) {
    const byState: Record<string, number> = {};
    let used = 0;
    for (const r of rows.rows) {
      const n = asNumber(r[countCol]);
      if (n === null) return null;
      byState[String(r[stateCol] ?? 'unknown')] = n;
      used += n;
    }
    const maxCol = col(MAX);
    const max = maxCol >= 0 ? asNumber(rows.rows[0]?.[maxCol]) : null;
    return { shape: 'by-state', used, max, reserved: null, byState, byDatabase: {} };
  }

  // A summary row: used and/or max.
  const maxCol = col(MAX);
  if (rows.rows.length >= 1 && (countCol >= 0 || maxCol >= 0) && (maxCol >= 0 || cols.length === 1)) {
    const r = rows.rows[0] ?? [];
    const used = countCol >= 0 ? asNumber(r[countCol]) : null;
    const max = maxCol >= 0 ? asNumber(r[maxCol]) : null;
    if (used === null && max === null) return null;
    const resCol = col(RESERVED);
    return {
      shape: 'summary',
      used,
      max,
      reserved: resCol >= 0 ? asNumber(r[resCol]) : null,
      byState: {},
      byDatabase: {},
    };
  }
  return null;
}

const SERVER = 'database server';

export const pgConnections: Recognizer<'pg-connections', PgConnections> = {
  kind: 'pg-connections',
  title: 'PostgreSQL connections',
  matchesCommand: (c) => /pg_stat_activity|max_connections/i.test(c),
  parse: (input, command) => {
    const d = parsePgConnections(input);
    // A lone count(*) or `max` column is only connections when the query says so.
    if (
      d?.shape === 'summary' &&
      (d.used === null || d.max === null) &&
      !/pg_stat_activity|max_connections/i.test(command)
    )
      return null;
    return d;
  },
  metrics: (d) => {
    const one = [d];
    const states = Object.entries(d.byState).map(([state, n]) => ({ state, n }));
    const dbs = Object.entries(d.byDatabase).map(([db, n]) => ({ db, n }));
    return [
      metricOf(
        'connections.used',
        'count',
        'connections used',
        one,
        () => SERVER,
        (x) => x.used,
      ),
      metricOf(
        'connections.max',
        'count',
        'max_connections',
        one,
        () => SERVER,
        (x) => x.max,
      ),
      metricOf(
        'connections.used_pct',
        'percent',
        'connections used',
        one,
        () => SERVER,
        (x) => (x.used !== null && x.max ? (x.used / x.max) * 100 : null),
      ),
      metricOf(
        'connections.available',
        'count',
        'connections left',
        one,
        () => SERVER,
        (x) => (x.used !== null && x.max !== null ? x.max - (x.reserved ?? 0) - x.used : null),
      ),
      metricOf(
        'connections.by_state',
        'count',
        'connections',
        states,
        (s) => `state ${s.state}`,
        (s) => s.n,
      ),
      metricOf(
        'connections.idle_in_transaction',
        'count',
        'idle in transaction',
        one,
        () => SERVER,
        (x) =>
          Object.keys(x.byState).length
            ? (x.byState['idle in transaction'] ?? 0) + (x.byState['idle in transaction (aborted)'] ?? 0)
            : null,
      ),
      metricOf(
        'connections.by_database',
        'count',
        'connections',
        dbs,
        (s) => `database ${s.db}`,
        (s) => s.n,
      ),
    ];
  },
  // connections.used_pct > 90% (critical) is a global default: the seed's alert table.
  defaults: [],
};
