// Processes that still hold a file open after a command's process group is gone: something the
// command started that left the group on purpose (setsid, a daemon such as `pg_ctl start` without
// -l) and kept the command's stdout. The scan is kept to a few /proc reads, since it runs after
// every command:
//   - only pids above the command's (started after it; on a machine whose pids wrapped around in
//     between, an escaped process is missed);
//   - of those, only session leaders (what setsid makes) and members of the command's own session
//     (it was spawned detached, so its session id is its pid): processes that unrelated programs
//     started meanwhile (a browser's renderers, a language server) belong to older sessions and
//     cost one small read each, not a walk through their descriptors. A process whose session
//     leader has already exited is missed.
// Linux only: elsewhere the list is empty.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface FileHolder {
  pid: number;
  /** The command name from /proc/<pid>/comm. */
  name: string;
}

export function fileHolders(path: string, commandPid: number): FileHolder[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .filter((p) => p >= commandPid && p !== process.pid);
  } catch {
    return [];
  }
  const found: FileHolder[] = [];
  for (const pid of pids) {
    const sid = sessionOf(pid);
    if (sid !== pid && sid !== commandPid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target !== path && target !== `${path} (deleted)`) continue;
      let name = '';
      try {
        name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        // It may have just ended.
      }
      found.push({ pid, name });
      break;
    }
  }
  return found;
}

/** Field 6 of /proc/<pid>/stat (after the command name, which may hold spaces); -1 when unknown. */
function sessionOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const sid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ', 5)[3]);
    return Number.isInteger(sid) ? sid : -1;
  } catch {
    return -1;
  }
}
