// Process groups the runner has started and not yet seen end, kept as small files in
// `<dir>/running/`, so that after a crash (or a window reload that killed the extension host) the
// next start can stop what was left behind: `await new ProcessRegistry(dir).cleanOrphans()`.
// A pid is only signalled when the process still has the start time recorded for it, so a pid
// reused by an unrelated process is never touched. Start times come from /proc (Linux); where
// there is none, entries are dropped without signalling anything.
// Each entry names the process that started it (the extension host, the CLI): while that owner
// lives, the entry is another window's live run and is left alone. The output file of a run that
// never finished is deleted: no history entry points at it, and it may hold unmasked raw output
// (output-capture.ts).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupAlive } from './spawner';
import { stopGroup } from './process';

interface Entry {
  pid: number;
  /** Kernel start time of the process (clock ticks since boot), from /proc/<pid>/stat. */
  startTicks: number | null;
  command: string;
  startedAt: string;
  /** The process that started it; absent in entries written before owners were recorded. */
  owner?: { pid: number; startTicks: number | null };
  outputFile?: string;
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

export class ProcessRegistry {
  private readonly dir: string;

  constructor(historyDir: string) {
    this.dir = join(historyDir, 'running');
  }

  add(pid: number, command: string, outputFile?: string): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const e: Entry = {
        pid,
        startTicks: processStartTicks(pid),
        command,
        startedAt: new Date().toISOString(),
        owner: { pid: process.pid, startTicks: processStartTicks(process.pid) },
        ...(outputFile ? { outputFile } : {}),
      };
      writeFileSync(join(this.dir, `${pid}.json`), JSON.stringify(e), { mode: 0o600 });
    } catch {
      // Bookkeeping only: a run is never stopped for want of it.
    }
  }

  remove(pid: number): void {
    rmSync(join(this.dir, `${pid}.json`), { force: true });
  }

  /** Stops groups left by a previous session; returns the pids stopped. */
  async cleanOrphans(graceMs = 1000): Promise<number[]> {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const stopped: number[] = [];
    for (const name of names) {
      const file = join(this.dir, name);
      let e: Entry | undefined;
      try {
        e = JSON.parse(readFileSync(file, 'utf8')) as Entry;
      } catch {
        e = undefined;
      }
      if (e?.owner && ownerAlive(e.owner)) continue;
      if (e && Number.isInteger(e.pid) && e.pid > 1 && e.startTicks !== null) {
        const same = processStartTicks(e.pid) === e.startTicks;
        if (same && groupAlive(e.pid)) {
          await stopGroup(e.pid, graceMs);
          stopped.push(e.pid);
        }
      }
      if (e && typeof e.outputFile === 'string') rmSync(e.outputFile, { force: true });
      rmSync(file, { force: true });
    }
    return stopped;
  }
}

function ownerAlive(owner: { pid: number; startTicks: number | null }): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 1) return false;
  if (owner.pid === process.pid) return false; // this process starts clean: nothing of it runs yet
  const ticks = processStartTicks(owner.pid);
  return ticks !== null && ticks === owner.startTicks;
}
