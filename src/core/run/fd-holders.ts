// Processes that still hold a file open after a command's process group is gone: something the
// command started that left the group on purpose (setsid, a daemon such as `pg_ctl start` without
// -l) and kept the command's stdout. Only processes started after the command are looked at
// (pids above its pid), which keeps the scan to a handful of /proc entries; on a machine whose pids
// wrapped around in between, such a process is missed. Linux only: elsewhere the list is empty.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface FileHolder {
  pid: number;
  /** The command name from /proc/<pid>/comm. */
  name: string;
}

export function fileHolders(path: string, startedAfterPid: number): FileHolder[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .filter((p) => p >= startedAfterPid && p !== process.pid);
  } catch {
    return [];
  }
  const found: FileHolder[] = [];
  for (const pid of pids) {
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
