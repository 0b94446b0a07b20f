// Query steps on PostgreSQL through node-postgres (no psql): columns and rows back, EXPLAIN ANALYZE
// of a data-changing statement inside BEGIN ... ROLLBACK, a real cancel request on cancel/timeout
// (pg_cancel_backend from a second connection, so the query leaves pg_stat_activity), and plain
// messages for a server that is down, refuses the password, or does not answer.
import pg from 'pg';
import type { Masker } from './mask';
import { clientConfig, ConnectionStringError, parseConnectionString, type PgTarget } from './pg-connection';
import type { CommandStatus } from './process';
import { classifySql } from './sql-text';

export interface SqlColumn {
  name: string;
  /** Type name for common types, `oid:N` otherwise. */
  type: string;
}

export interface SqlResultSet {
  /** Command tag: SELECT, UPDATE, EXPLAIN, ... */
  command: string;
  rowCount: number | null;
  columns: SqlColumn[];
  /** JSON-safe cell values (strings masked). */
  rows: unknown[][];
  /** More rows came back than maxRows; only the first maxRows are here. */
  truncated: boolean;
}

export interface SqlOptions {
  /** Connection string; DATABASE_URL from `env` when absent. */
  connectionString?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** The password (e.g. from VS Code SecretStorage), asked only when the connection string has none. */
  password?: () => Promise<string | undefined> | string | undefined;
  isTrusted: () => boolean;
  masker: Masker;
  /** 0: none. */
  timeoutMs: number;
  connectTimeoutMs?: number;
  maxRows?: number;
  signal?: AbortSignal;
}

export interface SqlResult {
  status: CommandStatus;
  startedAt: string;
  durationMs: number;
  results: SqlResultSet[];
  /** True when the statement ran inside BEGIN ... ROLLBACK. */
  rolledBack: boolean;
  message?: string;
  /** Server error details when the statement failed. */
  error?: { code?: string; position?: number; hint?: string; detail?: string };
  backendPid?: number;
  target?: string;
}

const TYPE_NAMES: Record<number, string> = {
  16: 'bool',
  17: 'bytea',
  18: 'char',
  19: 'name',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  24: 'regproc',
  25: 'text',
  26: 'oid',
  28: 'xid',
  114: 'json',
  142: 'xml',
  700: 'float4',
  701: 'float8',
  790: 'money',
  869: 'inet',
  1000: 'bool[]',
  1005: 'int2[]',
  1007: 'int4[]',
  1009: 'text[]',
  1016: 'int8[]',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1186: 'interval',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
  3220: 'pg_lsn',
};

function cell(v: unknown, masker: Masker): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return masker.mask(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (Buffer.isBuffer(v)) return '\\x' + v.subarray(0, 4096).toString('hex') + (v.length > 4096 ? '…' : '');
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map((x) => cell(x, masker));
  if (typeof v === 'object') {
    // json/jsonb and interval objects: keep the structure, mask strings inside.
    try {
      return JSON.parse(masker.mask(JSON.stringify(v)));
    } catch {
      return masker.mask(String(v));
    }
  }
  return v;
}

/** A sentence for a connection or query error; secrets masked by the caller. */
export function describePgError(err: unknown, target: string, connectTimeoutMs: number): string {
  const e = err as NodeJS.ErrnoException & { code?: string; message?: string };
  const code = e?.code;
  const msg = e?.message ?? String(err);
  if (code === 'ECONNREFUSED')
    return `could not connect to PostgreSQL at ${target}: connection refused (is the server running and listening there?)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `could not connect to PostgreSQL at ${target}: unknown host`;
  if (code === 'ENOENT') return `could not connect to PostgreSQL at ${target}: no server socket there`;
  if (code === 'ETIMEDOUT' || /timeout/i.test(msg))
    return `could not connect to PostgreSQL at ${target}: no answer within ${Math.round(connectTimeoutMs / 1000)}s`;
  if (code === '28P01') return `PostgreSQL refused the login at ${target}: ${msg}`;
  if (code === '28000') return `PostgreSQL refused the connection at ${target}: ${msg}`;
  if (code === '3D000') return `${msg} (at ${target})`;
  if (/client password must be a string|SASL/i.test(msg))
    return `PostgreSQL at ${target} asks for a password and none was given (store it, or put it in the connection string)`;
  if (code === 'ECONNRESET' || /Connection terminated/i.test(msg))
    return `the connection to PostgreSQL at ${target} was closed: ${msg}`;
  return msg;
}

export async function executeSql(
  text: string,
  params: readonly string[],
  opts: SqlOptions,
): Promise<SqlResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const done = (r: Omit<SqlResult, 'startedAt' | 'durationMs'>): SqlResult => ({
    ...r,
    ...(r.message ? { message: opts.masker.mask(r.message) } : {}),
    startedAt,
    durationMs: performance.now() - t0,
  });
  const fail = (status: CommandStatus, message: string, target?: string): SqlResult =>
    done({ status, results: [], rolledBack: false, message, ...(target ? { target } : {}) });

  if (!opts.isTrusted())
    return fail(
      'refused',
      'This workspace is not trusted, so no query is run. Trust the workspace to run steps.',
    );
  if (opts.signal?.aborted) return fail('cancelled', 'cancelled before it started');
  const conn = opts.connectionString ?? opts.env?.DATABASE_URL;
  if (!conn)
    return fail(
      'error',
      'no database to connect to: set a connection string (or DATABASE_URL) for query steps',
    );
  let target: PgTarget;
  try {
    target = parseConnectionString(conn);
  } catch (err) {
    return fail('error', err instanceof ConnectionStringError ? err.message : String(err));
  }
  if (target.password) opts.masker.addSecret(target.password);
  const password = target.password ? undefined : await opts.password?.();
  opts.masker.addSecret(password);
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const config = clientConfig(target, password, connectTimeoutMs);
  const client = new pg.Client(config);
  client.on('error', () => undefined); // a dropped connection surfaces through the query instead
  const maxRows = opts.maxRows ?? 1000;

  let stopReason: 'cancelled' | 'timeout' | undefined;
  let cancelSent: Promise<void> | undefined;
  const cancel = (why: 'cancelled' | 'timeout'): void => {
    stopReason ??= why;
    cancelSent ??= sendCancel();
  };
  const sendCancel = async (): Promise<void> => {
    const pid = (client as unknown as { processID?: number }).processID;
    if (!pid) {
      // Still connecting: closing the socket is the cancel.
      await client.end().catch(() => undefined);
      return;
    }
    const side = new pg.Client(config);
    side.on('error', () => undefined);
    try {
      await side.connect();
      await side.query('select pg_cancel_backend($1)', [pid]);
    } catch {
      // Could not cancel politely: closing our connection ends the query server-side too.
      await client.end().catch(() => undefined);
    } finally {
      await side.end().catch(() => undefined);
    }
  };
  const onAbort = (): void => cancel('cancelled');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = opts.timeoutMs > 0 ? setTimeout(() => cancel('timeout'), opts.timeoutMs) : undefined;

  const cls = classifySql(text);
  let rolledBack = false;
  let inTransaction = false;
  try {
    try {
      await client.connect();
    } catch (err) {
      if (stopReason)
        return fail(
          stopReason,
          stopReason === 'timeout' ? 'timed out while connecting' : 'cancelled while connecting',
          target.describe,
        );
      return fail('error', describePgError(err, target.describe, connectTimeoutMs), target.describe);
    }
    const backendPid = (client as unknown as { processID?: number }).processID;
    if (stopReason) {
      // Cancelled while connecting but the connection won the race: do not start the query.
      return fail(
        stopReason,
        stopReason === 'timeout' ? 'timed out while connecting' : 'cancelled',
        target.describe,
      );
    }
    if (cls.explainAnalyzeWrite) {
      await client.query('BEGIN');
      inTransaction = true;
    }
    const results = await runCollecting(client, text, params, maxRows, opts.masker);
    if (inTransaction) {
      await client.query('ROLLBACK');
      inTransaction = false;
      rolledBack = true;
    }
    return done({
      status: 'ok',
      results,
      rolledBack,
      ...(backendPid ? { backendPid } : {}),
      target: target.describe,
    });
  } catch (err) {
    if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
    const e = err as { code?: string; position?: string; hint?: string; detail?: string; message?: string };
    if (stopReason && (e.code === '57014' || !e.code)) {
      return fail(
        stopReason,
        stopReason === 'timeout'
          ? `timed out after ${Math.round(opts.timeoutMs / 100) / 10}s; the query was cancelled on the server`
          : 'cancelled; the query was cancelled on the server',
        target.describe,
      );
    }
    const message =
      e.code && /^[0-9A-Z]{5}$/.test(e.code)
        ? `ERROR: ${e.message}`
        : describePgError(err, target.describe, connectTimeoutMs);
    return done({
      status: 'failed',
      results: [],
      rolledBack: inTransaction || rolledBack,
      message,
      error: {
        ...(e.code ? { code: e.code } : {}),
        ...(e.position ? { position: Number(e.position) } : {}),
        ...(e.hint ? { hint: opts.masker.mask(e.hint) } : {}),
        ...(e.detail ? { detail: opts.masker.mask(e.detail) } : {}),
      },
      target: target.describe,
    });
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    await cancelSent;
    await client.end().catch(() => undefined);
  }
}

/** Runs text (one statement with params, or several without) keeping at most maxRows per result. */
function runCollecting(
  client: pg.Client,
  text: string,
  params: readonly string[],
  maxRows: number,
  masker: Masker,
): Promise<SqlResultSet[]> {
  return new Promise((resolve, reject) => {
    // rowMode is honoured by pg's Query but missing from its QueryConfig type.
    const config = { text, values: [...params], rowMode: 'array' } as unknown as pg.QueryConfig;
    const q = new pg.Query(config);
    const sets = new Map<unknown, SqlResultSet>();
    const setFor = (result: pg.Result): SqlResultSet => {
      let s = sets.get(result);
      if (!s) {
        s = {
          command: '',
          rowCount: null,
          columns: result.fields.map((f) => ({
            name: f.name,
            type: TYPE_NAMES[f.dataTypeID] ?? `oid:${f.dataTypeID}`,
          })),
          rows: [],
          truncated: false,
        };
        sets.set(result, s);
      }
      return s;
    };
    q.on('row', (row: unknown, result?: unknown) => {
      const s = setFor(result as pg.Result);
      if (s.rows.length < maxRows) s.rows.push((row as unknown[]).map((v) => cell(v, masker)));
      else s.truncated = true;
    });
    q.on('error', reject);
    q.on('end', (res: unknown) => {
      // One Result, or an array of them when the text held several statements.
      const all = (Array.isArray(res) ? res : [res]) as pg.Result[];
      resolve(
        all.map((r) => {
          const s = setFor(r);
          s.command = r.command ?? '';
          s.rowCount = r.rowCount ?? null;
          if (!s.columns.length && r.fields?.length)
            s.columns = r.fields.map((f) => ({
              name: f.name,
              type: TYPE_NAMES[f.dataTypeID] ?? `oid:${f.dataTypeID}`,
            }));
          return s;
        }),
      );
    });
    client.query(q);
  });
}
