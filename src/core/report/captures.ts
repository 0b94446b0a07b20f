// Which files a command wrote, read from its resolved text: the targets of output options (`-o`,
// `--output`, `file=`, `filename=`, redirections), any argument named like a profile or heap dump,
// and the folders Node's `--cpu-prof`/`--heap-prof` write generated names into. Words the shell
// would expand at run time (`$VAR`, `$(...)`) cannot be known from the text and are left out.
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { lexShell, type Token, type WordToken } from '../runbook/shell-lex';

export type CaptureKind = 'heap dump' | 'CPU profile' | 'heap profile' | 'trace' | 'flame graph' | 'file';

/** A file named in the command, or a folder where files of one extension are written. */
export type CaptureCandidate =
  | { readonly type: 'file'; readonly path: string; readonly kind: CaptureKind }
  | { readonly type: 'dir'; readonly path: string; readonly extension: string; readonly kind: CaptureKind };

const PROFILE_SUFFIXES: readonly [string, CaptureKind][] = [
  ['.hprof.gz', 'heap dump'],
  ['.hprof', 'heap dump'],
  ['.heapsnapshot', 'heap dump'],
  ['.heapprofile', 'heap profile'],
  ['.cpuprofile', 'CPU profile'],
  ['.speedscope.json', 'CPU profile'],
  ['.pb.gz', 'CPU profile'],
  ['.pprof', 'CPU profile'],
  ['.prof', 'CPU profile'],
  ['.collapsed', 'flame graph'],
  ['.folded', 'flame graph'],
  ['.perf.txt', 'CPU profile'],
  ['perf.data', 'CPU profile'],
  ['.jfr', 'CPU profile'],
  ['.pt.trace.json.gz', 'trace'],
  ['.pt.trace.json', 'trace'],
];

/** The kind of capture a file name says it is; undefined for names that do not look like a profile. */
export function profileKindOf(name: string): CaptureKind | undefined {
  const lower = name.toLowerCase();
  return PROFILE_SUFFIXES.find(([suffix]) => lower.endsWith(suffix))?.[1];
}

const OUTPUT_FLAGS = new Set(['-o', '--output', '--output-file', '--out', '--outfile']);
const ASSIGNED = /(?:^|[,:])(?:file|filename|output|outfile)=([^,]+)$/i;
/** Node writes generated names into these folders (the current folder without one). */
const NODE_PROF: Record<string, { dirFlag: string; extension: string; kind: CaptureKind }> = {
  '--cpu-prof': { dirFlag: '--cpu-prof-dir', extension: '.cpuprofile', kind: 'CPU profile' },
  '--heap-prof': { dirFlag: '--heap-prof-dir', extension: '.heapprofile', kind: 'heap profile' },
};

/** A word that is a literal path: nothing the shell expands, not a device or a descriptor. */
function literal(w: WordToken | undefined): string | undefined {
  if (!w || w.vars.length || w.subs.length) return undefined;
  const v = w.value;
  if (!v || v === '-' || v.startsWith('/dev/') || v.startsWith('&')) return undefined;
  if (!w.quoted && /[*?[\]]/.test(v)) return undefined;
  return v;
}

/**
 * `-o` also picks a format (`kubectl -o wide`, `-o jsonpath=...`, `ps -o pid,rss`): only a word
 * with a folder or an extension is taken for a file.
 */
function looksLikePath(v: string): boolean {
  return /[./]/.test(v) && !/^(?:jsonpath|custom-columns|go-template|template)/i.test(v) && !v.includes(',');
}

function words(tokens: readonly Token[], out: Token[] = []): Token[] {
  for (const t of tokens) {
    out.push(t);
    if (t.kind === 'word') for (const s of t.subs) words(s, out);
  }
  return out;
}

export function captureCandidates(command: string): CaptureCandidate[] {
  const found = new Map<string, CaptureCandidate>();
  const addFile = (path: string | undefined, kind?: CaptureKind): void => {
    if (!path) return;
    const k = kind ?? profileKindOf(path) ?? 'file';
    const prev = found.get(`f:${path}`);
    if (!prev || (prev.kind === 'file' && k !== 'file'))
      found.set(`f:${path}`, { type: 'file', path, kind: k });
  };
  const tokens = words(lexShell(command).tokens);
  const dirFlags = new Map<string, string | undefined>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const nextWord = next?.kind === 'word' ? next : undefined;
    if (t.kind === 'redir') {
      // `>&` is a descriptor copy (`2>&1`); every other operator with `>` writes a file.
      if (t.op.includes('>') && !t.op.endsWith('&')) addFile(literal(nextWord));
      continue;
    }
    if (t.kind !== 'word') continue;
    const value = t.value;
    const eq = value.indexOf('=');
    const flag = value.startsWith('-') && eq > 0 ? value.slice(0, eq) : value;
    const inline = value.startsWith('-') && eq > 0 ? value.slice(eq + 1) : undefined;
    if (OUTPUT_FLAGS.has(flag)) {
      const target =
        inline !== undefined ? (t.vars.length || t.subs.length ? undefined : inline) : literal(nextWord);
      if (target && looksLikePath(target)) addFile(target);
      if (inline === undefined && nextWord) i++;
      continue;
    }
    const prof = NODE_PROF[flag];
    if (prof && inline === undefined) {
      if (!dirFlags.has(flag)) dirFlags.set(flag, undefined);
      continue;
    }
    const dirOf = Object.entries(NODE_PROF).find(([, p]) => p.dirFlag === flag);
    if (dirOf) {
      const dir =
        inline !== undefined ? (t.vars.length || t.subs.length ? undefined : inline) : literal(nextWord);
      if (dir) dirFlags.set(dirOf[0], dir);
      continue;
    }
    const lit = literal(t);
    if (!lit) continue;
    const assigned = ASSIGNED.exec(lit);
    if (assigned) {
      addFile(assigned[1]);
      continue;
    }
    // A bare name or an option's value: `heap.hprof`, `-XX:HeapDumpPath=/tmp/oom.hprof`.
    const tail = lit.slice(lit.lastIndexOf('=') + 1);
    if (tail && !tail.startsWith('-') && profileKindOf(tail)) addFile(tail);
  }
  const out = [...found.values()];
  for (const [flag, dir] of dirFlags) {
    const p = NODE_PROF[flag]!;
    out.push({ type: 'dir', path: dir ?? '.', extension: p.extension, kind: p.kind });
  }
  return out;
}

/** A file written this long before the command started is someone else's. */
const CLOCK_SLACK_MS = 2000;
const MAX_DIR_FILES = 20;

export interface WrittenCapture {
  readonly path: string;
  readonly kind: CaptureKind;
  readonly bytes: number;
}

function resolveIn(cwd: string, p: string): string {
  if (p === '~' || p.startsWith('~/')) return join(homedir(), p.slice(1));
  return isAbsolute(p) ? p : resolve(cwd, p);
}

/**
 * The files a command named that exist and were written since it started (relative names resolved
 * in `cwd`); in named folders, only files written while it ran. Used by the incident report and by
 * the extension, which opens captured profiles when a step ends.
 */
export async function writtenCaptures(
  command: string,
  cwd: string,
  startedAtMs: number,
  durationMs: number,
): Promise<WrittenCapture[]> {
  if (Number.isNaN(startedAtMs)) return [];
  const ended = startedAtMs + Math.max(0, durationMs);
  const out: WrittenCapture[] = [];
  for (const c of captureCandidates(command)) {
    const path = resolveIn(cwd, c.path);
    if (c.type === 'file') {
      const s = await stat(path).catch(() => undefined);
      if (s?.isFile() && s.mtimeMs >= startedAtMs - CLOCK_SLACK_MS)
        out.push({ path, kind: c.kind, bytes: s.size });
      continue;
    }
    const names = await readdir(path).catch(() => [] as string[]);
    const found: WrittenCapture[] = [];
    for (const name of names.filter((n) => n.endsWith(c.extension)).sort()) {
      const file = join(path, name);
      const s = await stat(file).catch(() => undefined);
      // Generated names: only the files written while this command ran.
      if (s?.isFile() && s.mtimeMs >= startedAtMs - CLOCK_SLACK_MS && s.mtimeMs <= ended + CLOCK_SLACK_MS)
        found.push({ path: file, kind: c.kind, bytes: s.size });
      if (found.length >= MAX_DIR_FILES) break;
    }
    out.push(...found);
  }
  return out;
}
