// How a child process is started, behind one small interface so the runner can use execa (the
// default) and tests can drive node:child_process directly. Either way the child leads its own
// process group (detached), which is what lets the runner stop the whole tree it starts.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

export interface SpawnRequest {
  file: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment of the child (nothing is inherited implicitly). */
  env: Readonly<Record<string, string>>;
  /** Text written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** A file descriptor the child writes its stdout to directly; without it stdout is a pipe. */
  stdoutFd?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started (ENOENT, EACCES, bad cwd, ...). */
  error?: NodeJS.ErrnoException;
}

export interface SpawnedProcess {
  /** Also the process group id. Undefined when the spawn failed. */
  readonly pid: number | undefined;
  /** Null when the request gave stdoutFd. */
  readonly stdout: Readable | null;
  readonly stderr: Readable;
  /** Resolves (never rejects) when the process has exited or failed to start. */
  readonly exited: Promise<ExitInfo>;
}

export type Spawner = (req: SpawnRequest) => Promise<SpawnedProcess>;

function feedStdin(stdin: NodeJS.WritableStream | null | undefined, text: string | undefined): void {
  if (!stdin || text === undefined) return;
  // A child that exits without reading its input must not crash the runner with EPIPE.
  stdin.on('error', () => undefined);
  stdin.end(text);
}

/** node:child_process, detached. */
export const nodeSpawner: Spawner = async (req) => {
  const child = spawn(req.file, [...req.args], {
    cwd: req.cwd,
    env: { ...req.env },
    detached: true,
    stdio: [req.stdin === undefined ? 'ignore' : 'pipe', req.stdoutFd ?? 'pipe', 'pipe'],
    windowsHide: true,
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
      // 'exit' does not follow a failed spawn; 'close' does, once the pipes are done.
      if (child.pid === undefined) resolve({ code: null, signal: null, error: err });
    });
    child.once('exit', (code, signal) =>
      resolve({ code, signal, ...(spawnError ? { error: spawnError } : {}) }),
    );
  });
  feedStdin(child.stdin, req.stdin);
  return { pid: child.pid, stdout: child.stdout, stderr: child.stderr!, exited };
};

/** execa 9, detached; buffering off so output streams through the runner only. */
export const execaSpawner: Spawner = async (req) => {
  const { execa } = await import('execa');
  const sub = execa(req.file, [...req.args], {
    cwd: req.cwd,
    env: { ...req.env },
    extendEnv: false,
    detached: true,
    cleanup: false,
    buffer: false,
    reject: false,
    stdin: req.stdin === undefined ? 'ignore' : 'pipe',
    // execa's types only list descriptors 3-9 here; any open descriptor works at run time (it is
    // handed to the child as it is, nothing is piped through this process).
    stdout: (req.stdoutFd ?? 'pipe') as 'pipe' | 3,
    stderr: 'pipe',
    encoding: 'buffer',
    stripFinalNewline: false,
    windowsHide: true,
  });
  // The subprocess's own 'exit' event, not execa's promise: the promise also waits for the pipes
  // to close, which a background grandchild can hold open long after the command itself ended.
  const exited = new Promise<ExitInfo>((resolve) => {
    sub.once('exit', (code, signal) => resolve({ code, signal }));
    sub.then(
      (r) => {
        if (sub.pid !== undefined) return;
        const error = (r as { cause?: unknown }).cause as NodeJS.ErrnoException | undefined;
        resolve({ code: null, signal: null, ...(error ? { error } : {}) });
      },
      (err: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error: err }),
    );
  });
  feedStdin(sub.stdin, req.stdin);
  return { pid: sub.pid, stdout: sub.stdout ?? null, stderr: sub.stderr!, exited };
};

// ---- process groups ----

/** Signal every process in the group led by `pid`; false when the group is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return true; // exists, not ours to signal
    return false;
  }
}

/**
 * Whether any process of the group is still running. Zombies do not count: a background job whose
 * parent died is reparented to PID 1, which in containers may take its time to reap it, and a
 * zombie holds no resources and cannot be signalled anyway.
 */
export function groupAlive(pid: number): boolean {
  if (!signalGroup(pid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no /proc: the signal test is all there is
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // After "pid (comm) ": state, ppid, pgrp, ...; comm may hold spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[2]) === pid && rest[0] !== 'Z' && rest[0] !== 'X') return true;
  }
  return false;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Stop a process group: `first` (SIGTERM by default; background jobs of a non-interactive shell
 * ignore SIGINT), then SIGKILL to whatever is left after `graceMs`. Resolves when the group is
 * empty (or after the SIGKILL when the kernel is slow to reap).
 */
export async function killGroup(
  pid: number,
  graceMs: number,
  first: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!signalGroup(pid, first)) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(25, graceMs));
    if (!groupAlive(pid)) return;
  }
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 40 && groupAlive(pid); i++) await sleep(25);
}
