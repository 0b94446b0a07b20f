// Where a query step connects: a connection string (URL or `key=value` form, as libpq accepts),
// from the runner options or DATABASE_URL, with the password coming from the secret provider
// when the string has none. The password is only ever handed to `pg`; `describe` is what messages
// and history show.
import type { ClientConfig } from 'pg';

export interface PgTarget {
  host: string;
  port: number;
  user?: string;
  database?: string;
  password?: string;
  ssl?: ClientConfig['ssl'];
  /** `user@host:port/db`, no password: for messages. */
  describe: string;
}

export class ConnectionStringError extends Error {}

function sslFor(mode: string | undefined): ClientConfig['ssl'] | undefined {
  switch (mode) {
    case undefined:
    case '':
    case 'disable':
    case 'allow':
    case 'prefer':
      return undefined;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return true;
    default:
      throw new ConnectionStringError(`unknown sslmode "${mode}"`);
  }
}

function parseKeywords(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([a-zA-Z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(s))) {
    out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    pos = re.lastIndex;
  }
  if (s.slice(pos).trim())
    throw new ConnectionStringError(
      'could not read the connection string (expected key=value pairs or a postgres:// URL)',
    );
  return out;
}

export function parseConnectionString(s: string): PgTarget {
  const text = s.trim();
  let kv: Record<string, string>;
  if (/^postgres(ql)?:\/\//i.test(text)) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      throw new ConnectionStringError('the connection URL is not valid');
    }
    kv = {};
    for (const [k, v] of u.searchParams) kv[k.toLowerCase()] = v;
    if (u.hostname) kv.host = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
    if (u.port) kv.port = u.port;
    if (u.username) kv.user = decodeURIComponent(u.username);
    if (u.password) kv.password = decodeURIComponent(u.password);
    const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (db) kv.dbname = db;
  } else if (/^[a-z_]+\s*=/i.test(text)) {
    kv = parseKeywords(text);
  } else {
    throw new ConnectionStringError('a connection string is a postgres:// URL or key=value pairs');
  }
  const host = kv.host || 'localhost';
  const port = kv.port ? Number(kv.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConnectionStringError(`the port "${kv.port}" is not a number from 1 to 65535`);
  const user = kv.user || undefined;
  const database = kv.dbname || kv.database || undefined;
  const ssl = sslFor(kv.sslmode);
  return {
    host,
    port,
    ...(user ? { user } : {}),
    ...(database ? { database } : {}),
    ...(kv.password ? { password: kv.password } : {}),
    ...(ssl !== undefined ? { ssl } : {}),
    describe: `${user ? `${user}@` : ''}${host}:${port}${database ? `/${database}` : ''}`,
  };
}

export function clientConfig(
  t: PgTarget,
  password: string | undefined,
  connectTimeoutMs: number,
): ClientConfig {
  const pw = t.password ?? password;
  return {
    host: t.host,
    port: t.port,
    ...(t.user ? { user: t.user } : {}),
    ...(t.database ? { database: t.database } : {}),
    ...(pw !== undefined ? { password: pw } : {}),
    ...(t.ssl !== undefined ? { ssl: t.ssl } : {}),
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'runbook-debugger',
  };
}
