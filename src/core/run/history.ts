// Run history: one JSON line per command run in `<dir>/index.jsonl`, full output in
// `<dir>/output/<id>.log`. Appends and pruning take a lock directory (`index.lock`, atomic mkdir)
// so several processes (two windows, the CLI) can share one folder; each record is one write of one
// line, so a crash loses at most the record being written, and unreadable lines are skipped.
// Bounded: past maxEntries the oldest records and their output files are removed.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { CommandStatus } from './process';

export interface HistoryRecord {
  v: 1;
  /** Unique id of this command run (also names its output file). */
  id: string;
  /** Groups the commands of one run (a step, a section, a runbook). */
  runId: string;
  /** Runbook file path and title. */
  runbook: string;
  runbookTitle?: string;
  stepId: string;
  stepTitle: string;
  commandIndex: number;
  kind: 'command' | 'script' | 'query';
  /** Resolved command as a person reads it, secrets masked. */
  command: string;
  status: CommandStatus;
  exitCode: number | null;
  signal?: string | null;
  startedAt: string;
  durationMs: number;
  /** Relative to the history folder. */
  outputFile?: string;
  outputBytes?: number;
  message?: string;
  /** Placeholder/variable values used, secrets masked. */
  variables?: Record<string, string>;
  /** Filled by the recognizers/checks (later issues). */
  findings: unknown;
}

export interface HistoryOptions {
  maxEntries?: number;
  /** A lock older than this is considered left by a crashed process. */
  staleLockMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function newId(): string {
  return `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}

export class HistoryStore {
  readonly index: string;
  private readonly maxEntries: number;
  private readonly staleLockMs: number;
  /** Serialises this process's own writers before they contend for the lock. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    opts: HistoryOptions = {},
  ) {
    this.index = join(dir, 'index.jsonl');
    this.maxEntries = opts.maxEntries ?? 2000;
    this.staleLockMs = opts.staleLockMs ?? 10_000;
  }

  /** Where a run's output file goes. */
  outputPath(id: string): string {
    return join(this.dir, 'output', `${id}.log`);
  }

  async append(rec: HistoryRecord): Promise<void> {
    const line = Buffer.from(JSON.stringify(rec) + '\n', 'utf8');
    const job = this.chain.then(() =>
      this.locked(async () => {
        await mkdir(this.dir, { recursive: true });
        const fh = await open(this.index, 'a+', 0o600);
        try {
          // A record torn by a crash has no newline: start on a fresh line so this one stays readable.
          const { size } = await fh.stat();
          let data = line;
          if (size > 0) {
            const last = Buffer.alloc(1);
            await fh.read(last, 0, 1, size - 1);
            if (last[0] !== 0x0a) data = Buffer.concat([Buffer.from('\n'), line]);
          }
          const { bytesWritten } = await fh.write(data);
          if (bytesWritten !== data.length) throw new Error('short write to the history index');
        } finally {
          await fh.close();
        }
        await this.pruneIfNeeded();
      }),
    );
    this.chain = job.catch(() => undefined);
    return job;
  }

  /** Newest first. */
  async list(filter: { limit?: number; runbook?: string; runId?: string } = {}): Promise<HistoryRecord[]> {
    const all = (await this.readAll()).filter(
      (r) => (!filter.runbook || r.runbook === filter.runbook) && (!filter.runId || r.runId === filter.runId),
    );
    all.reverse();
    return filter.limit ? all.slice(0, filter.limit) : all;
  }

  async get(id: string): Promise<HistoryRecord | undefined> {
    return (await this.readAll()).find((r) => r.id === id);
  }

  /** The stored output of a record ('' when it has none or the file is gone). */
  async readOutput(rec: HistoryRecord): Promise<string> {
    if (!rec.outputFile) return '';
    const file = resolve(this.dir, rec.outputFile);
    // Records are data: never read outside the history folder whatever they say.
    if (!file.startsWith(resolve(this.dir) + sep)) return '';
    return readFile(file, 'utf8').catch(() => '');
  }

  private async readAll(): Promise<HistoryRecord[]> {
    let text: string;
    try {
      text = await readFile(this.index, 'utf8');
    } catch {
      return [];
    }
    const out: HistoryRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as HistoryRecord;
        if (r && r.v === 1 && typeof r.id === 'string') out.push(r);
      } catch {
        // A line cut short by a crash: skip it.
      }
    }
    return out;
  }

  private async pruneIfNeeded(): Promise<void> {
    // Cheap check first: a record is at least ~150 bytes.
    const size = (await stat(this.index)).size;
    if (size < this.maxEntries * 150) return;
    const all = await this.readAll();
    if (all.length <= this.maxEntries) return;
    const keep = all.slice(all.length - Math.floor(this.maxEntries * 0.75));
    const keepIds = new Set(keep.map((r) => r.id));
    const tmp = `${this.index}.${process.pid}.tmp`;
    await writeFile(tmp, keep.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
    await rename(tmp, this.index);
    for (const r of all)
      if (!keepIds.has(r.id) && r.outputFile)
        await unlink(join(this.dir, r.outputFile)).catch(() => undefined);
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withHistoryLock(this.dir, fn, this.staleLockMs);
  }
}

/**
 * Runs fn holding the lock on a history folder: a directory `index.lock` made with an atomic mkdir,
 * taken over when older than staleMs (left by a crashed process). Every writer of a history folder
 * (appends, pruning, moving a history elsewhere) goes through it.
 */
export async function withHistoryLock<T>(dir: string, fn: () => Promise<T>, staleMs = 10_000): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, 'index.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > staleMs) await rm(lock, { recursive: true, force: true });
      else await sleep(Math.min(50, 2 + attempt));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
