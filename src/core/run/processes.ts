// Running processes for the `<pid>` quick pick: newest first, from `ps` (procps and BSD/macOS both
// accept `-A -o pid=,etime=,user=,args=`). The runner never needs this; the prompt does.
import { execFile } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  /** Seconds since the process started. */
  ageSeconds: number;
  user: string;
  /** Full command line. */
  command: string;
}

/** `[[dd-]hh:]mm:ss` -> seconds. */
export function parseEtime(s: string): number | null {
  const m = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(s.trim());
  if (!m) return null;
  const [, d, h, mi, se] = m;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(mi) * 60 + Number(se);
}

export function parsePsOutput(text: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const age = parseEtime(m[2]!);
    if (age === null) continue;
    out.push({ pid: Number(m[1]), ageSeconds: age, user: m[3]!, command: m[4]!.trimEnd() });
  }
  return out.sort((a, b) => a.ageSeconds - b.ageSeconds || b.pid - a.pid);
}

/** Every process but `ps` itself, newest first; an empty list (never a throw) when ps is missing. */
export function listProcesses(): Promise<ProcessInfo[]> {
  return new Promise((resolve) => {
    const ps = execFile(
      'ps',
      ['-A', '-o', 'pid=,etime=,user=,args='],
      { maxBuffer: 32 << 20, timeout: 10_000, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout) => {
        if (err && !stdout) return resolve([]);
        resolve(parsePsOutput(stdout).filter((p) => p.pid !== ps.pid));
      },
    );
  });
}
