// A real, throwaway PostgreSQL 15 for tests: a fresh cluster in a temp dir, on a free TCP port on
// 127.0.0.1, with its unix socket inside the temp dir, password auth over TCP (so tests can exercise
// auth failures), stopped and deleted by stop() — and on process exit as a last resort, so a crashed
// test run leaves no postmaster behind.
//
//   const pg = await startPostgres();           // throws PostgresUnavailable when it cannot run here
//   ... new pg.Client({ connectionString: pg.url }) ...
//   await pg.stop();
//
// Tests that can live without it: `const why = postgresUnavailable(); if (why) return t.skip(why);`
// initdb refuses to run as root; as root the cluster belongs to the `postgres` system user and every
// server binary runs through `runuser -u postgres --`.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_PG_BIN = '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** postgres://USER:PASSWORD@127.0.0.1:PORT/DB */
  readonly url: string;
  /** The same without the password, for tests of secret providers. */
  readonly urlWithoutPassword: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Directory holding the unix socket (`.s.PGSQL.PORT`); connections there need no password. */
  readonly socketDir: string;
  readonly dataDir: string;
  /** Server log (useful in assertion messages). */
  readonly logFile: string;
  /** Fast shutdown, then the temp dir is removed. Safe to call twice. */
  stop(): Promise<void>;
}

export class PostgresUnavailable extends Error {}

export interface StartOptions {
  /** Where initdb/pg_ctl live; default PG_BIN env var, else /usr/lib/postgresql/15/bin. */
  binDir?: string;
  user?: string;
  password?: string;
  database?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function binDirOf(opts: StartOptions): string {
  return opts.binDir ?? process.env.PG_BIN ?? DEFAULT_PG_BIN;
}

/** Why a cluster cannot be started here, or null when it can. */
export function postgresUnavailable(opts: StartOptions = {}): string | null {
  const bin = binDirOf(opts);
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(bin, tool)))
      return `PostgreSQL binaries not found (${join(bin, tool)} missing; set PG_BIN)`;
  }
  if (isRoot()) {
    if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser'))
      return 'running as root without runuser: initdb refuses root';
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no `postgres` user to own the cluster';
    }
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** argv run as the cluster owner: directly, or via runuser when we are root. */
function asOwner(file: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  const [f, a] = asOwner(file, args);
  return new Promise((resolve, reject) => {
    execFile(f, a, { timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}${stdout}`));
      else resolve(stdout);
    });
  });
}

function chownToPostgres(path: string): void {
  if (!isRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(path, uid, gid);
}

const live = new Set<() => void>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const stopNow of live) stopNow();
  });
}

export async function startPostgres(opts: StartOptions = {}): Promise<TestPostgres> {
  const why = postgresUnavailable(opts);
  if (why) throw new PostgresUnavailable(why);
  const bin = binDirOf(opts);
  const user = opts.user ?? 'runbook_test';
  const password = opts.password ?? `pw-${process.pid}-${Date.now().toString(36)}`;
  const database = opts.database ?? 'runbook_test';

  // Short path: the unix socket path must stay under ~107 bytes.
  const root = mkdtempSync(join(existsSync('/tmp') ? '/tmp' : tmpdir(), 'rbpg-'));
  chownToPostgres(root);
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const pwFile = join(root, 'pw');
  writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  chownToPostgres(pwFile);

  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    live.delete(stopSync);
    try {
      const [f, a] = asOwner(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      if (existsSync(join(dataDir, 'postmaster.pid')))
        execFileSync(f, a, { stdio: 'ignore', timeout: 20_000 });
    } catch {
      // Already down: nothing to stop.
    }
    rmSync(root, { recursive: true, force: true });
  };
  live.add(stopSync);
  installExitHook();

  try {
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        user,
        `--pwfile=${pwFile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=trust',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      60_000,
    );
    rmSync(pwFile, { force: true });
    let lastErr: unknown;
    // A port found free can be taken before the server binds it: retry a few times.
    for (let attempt = 0; attempt < 4; attempt++) {
      const port = await freePort();
      const settings: Record<string, string> = {
        listen_addresses: '127.0.0.1',
        port: String(port),
        unix_socket_directories: root,
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: '40',
        shared_buffers: '16MB',
        ...opts.settings,
      };
      const serverOpts = Object.entries(settings)
        .map(([k, v]) => `-c ${k}=${v}`)
        .join(' ');
      try {
        await run(
          join(bin, 'pg_ctl'),
          ['-D', dataDir, '-l', logFile, '-o', serverOpts, '-w', '-t', '60', 'start'],
          70_000,
        );
      } catch (err) {
        lastErr = err;
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        if (/could not bind|Address already in use/i.test(log)) continue;
        throw err;
      }
      await run(join(bin, 'createdb'), ['-h', root, '-p', String(port), '-U', user, database], 30_000);
      const enc = encodeURIComponent;
      const stop = async (): Promise<void> => stopSync();
      return {
        url: `postgres://${enc(user)}:${enc(password)}@127.0.0.1:${port}/${enc(database)}`,
        urlWithoutPassword: `postgres://${enc(user)}@127.0.0.1:${port}/${enc(database)}`,
        host: '127.0.0.1',
        port,
        user,
        password,
        database,
        socketDir: root,
        dataDir,
        logFile,
        stop,
      };
    }
    throw lastErr;
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    stopSync();
    throw new Error(
      `could not start a test PostgreSQL: ${(err as Error).message}${log ? `\nserver log:\n${log}` : ''}`,
      { cause: err },
    );
  }
}
