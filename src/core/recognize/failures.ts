// Known failures, recognized by the wording the tools really print, anywhere in an output:
// CUDA out of memory, a corrupt / missing / empty checkpoint from torch.load, too many database
// connections, connection refused, OOMKilled, Java OutOfMemoryError.
import { outputLines } from './table';
import type { FailureKind, KnownFailure } from './types';
import { formatBytes, parseBytes } from './units';

const SIZE = String.raw`(\d+(?:\.\d+)?\s*[KMGTP]iB|\d+(?:\.\d+)?\s*bytes)`;

const size = (s: string | undefined): number | null => (s === undefined ? null : parseBytes(s));

interface Matcher {
  kind: FailureKind;
  /** Tested on each line; returns figures and a summary when the line shows the failure. */
  match: (
    line: string,
    context: { text: string; lines: string[]; index: number },
  ) => {
    summary: string;
    figures?: Record<string, number | string>;
  } | null;
}

// PyTorch ≥ 2.1: "Tried to allocate X. GPU 0 has a total capacity of T of which F is free.
// Including non-PyTorch memory, this process has P memory in use. Of the allocated memory A is
// allocated by PyTorch, and R is reserved by PyTorch but unallocated."
const OOM_NEW = new RegExp(
  String.raw`Tried to allocate ${SIZE}\.\s*GPU (\d+) has a total capacity of ${SIZE} of which ${SIZE} is free\.` +
    String.raw`(?:.*?this process has ${SIZE} memory in use\.)?` +
    String.raw`(?:.*?Of the allocated memory ${SIZE} is allocated by PyTorch, and ${SIZE} is reserved by PyTorch but unallocated)?`,
);
// PyTorch < 2.1: "Tried to allocate X (GPU 0; T total capacity; A already allocated; F free; R reserved in total by PyTorch)"
const OOM_OLD = new RegExp(
  String.raw`Tried to allocate ${SIZE} \(GPU (\d+); ${SIZE} total capacity; ${SIZE} already allocated; ${SIZE} free;` +
    String.raw`(?: ${SIZE} allowed;)? ${SIZE} reserved in total by PyTorch`,
);

const CHECKPOINT_FILE = /['"]([^'"]+\.(?:pth?|ckpt|bin|safetensors|pkl|tar))['"]/;

/** True when the output around `index` is a traceback through torch's checkpoint loading. */
function inTorchLoad(lines: string[], index: number): boolean {
  for (let i = index; i >= 0 && i >= index - 80; i--) {
    const l = lines[i] ?? '';
    if (/torch[/\\]serialization\.py|torch\.load\(|_weights_only_unpickler/.test(l)) return true;
    if (/^Traceback \(most recent call last\)/.test(l)) break;
  }
  return false;
}

const MATCHERS: Matcher[] = [
  {
    kind: 'cuda-oom',
    match: (line) => {
      if (!/CUDA out of memory/i.test(line)) return null;
      const figures: Record<string, number | string> = {};
      const n = OOM_NEW.exec(line);
      const o = n ? null : OOM_OLD.exec(line);
      const put = (k: string, v: string | undefined): void => {
        const b = size(v);
        if (b !== null) figures[k] = b;
      };
      if (n) {
        put('triedBytes', n[1]);
        figures['gpu'] = Number(n[2]);
        put('totalBytes', n[3]);
        put('freeBytes', n[4]);
        put('processBytes', n[5]);
        put('allocatedBytes', n[6]);
        put('reservedUnallocatedBytes', n[7]);
      } else if (o) {
        put('triedBytes', o[1]);
        figures['gpu'] = Number(o[2]);
        put('totalBytes', o[3]);
        put('allocatedBytes', o[4]);
        put('freeBytes', o[5]);
        put('reservedBytes', o[7]);
      }
      const f = (k: string): string =>
        typeof figures[k] === 'number' ? formatBytes(figures[k] as number) : '?';
      const summary =
        figures['triedBytes'] !== undefined
          ? `CUDA out of memory on GPU ${figures['gpu'] ?? '?'}: tried to allocate ${f('triedBytes')} with ${f('freeBytes')} free of ${f('totalBytes')}`
          : 'CUDA out of memory';
      return { summary, figures };
    },
  },
  {
    kind: 'checkpoint-corrupt',
    match: (line) =>
      /PytorchStreamReader failed reading zip archive|checkpoint file is corrupted|invalid load key|failed finding central directory/i.test(
        line,
      )
        ? { summary: 'Checkpoint file is corrupt or truncated (torch.load could not read it)' }
        : null,
  },
  {
    kind: 'checkpoint-empty',
    match: (line, ctx) =>
      /^EOFError(?::\s*Ran out of input)?\s*$/.test(line.trim()) && inTorchLoad(ctx.lines, ctx.index)
        ? { summary: 'Checkpoint file is empty (torch.load hit end of file)' }
        : null,
  },
  {
    kind: 'checkpoint-missing',
    match: (line, ctx) => {
      const m = /^FileNotFoundError: \[Errno 2\] No such file or directory: (.*)$/.exec(line.trim());
      if (!m) return null;
      const file = CHECKPOINT_FILE.exec(m[1] ?? '')?.[1];
      if (!file && !inTorchLoad(ctx.lines, ctx.index)) return null;
      const path = file ?? (m[1] ?? '').replace(/^['"]|['"]$/g, '');
      return { summary: `Checkpoint file not found: ${path}`, figures: { path } };
    },
  },
  {
    kind: 'too-many-connections',
    match: (line) =>
      /too many clients already|too many connections|remaining connection slots are reserved|ER_CON_COUNT_ERROR|max_connections exceeded/i.test(
        line,
      )
        ? { summary: 'The database refused a connection: too many connections' }
        : null,
  },
  {
    kind: 'connection-refused',
    match: (line) => {
      if (!/connection refused|ECONNREFUSED/i.test(line)) return null;
      const figures: Record<string, string | number> = {};
      const hp =
        /connect(?:ion)? to (?:server at )?"?([\w.-]+)"?(?: \([\d.:a-f]+\))?,? port (\d+)/i.exec(line) ??
        /Failed to connect to ([\w.-]+) port (\d+)/i.exec(line) ??
        /ECONNREFUSED ([\d.:a-f]+?):(\d+)/i.exec(line);
      if (hp) {
        figures['host'] = hp[1] ?? '';
        figures['port'] = Number(hp[2]);
      }
      const where = hp ? ` (${hp[1]}:${hp[2]})` : '';
      return {
        summary: `Connection refused${where}: nothing is listening, or a firewall rejects it`,
        figures,
      };
    },
  },
  {
    kind: 'oom-killed',
    match: (line) => {
      if (/\bOOMKilled\b/.test(line) && !/"OOMKilled":\s*false/.test(line))
        return { summary: 'A container was killed for exceeding its memory limit (OOMKilled)' };
      const k =
        /Out of memory: Kill(?:ed)? process (\d+) \(([^)]+)\)/.exec(line) ??
        /oom-kill:.*task=([^,]+),pid=(\d+)/.exec(line);
      if (k)
        return {
          summary: 'The kernel OOM killer killed a process',
          figures: { process: k[2] ?? k[1] ?? '' },
        };
      return null;
    },
  },
  {
    kind: 'java-oom',
    match: (line) => {
      const m = /java\.lang\.OutOfMemoryError(?::\s*(.+))?/.exec(line);
      if (!m) return null;
      const what = (m[1] ?? '').trim();
      return {
        summary: `Java OutOfMemoryError${what ? `: ${what}` : ''}`,
        figures: (what ? { space: what } : {}) as Record<string, string>,
      };
    },
  },
];

/** Caps the work on huge outputs: failures show up in the first and last lines of a log. */
const MAX_LINES = 20000;

/** Every known failure in the text, the first occurrence of each kind, with a count of lines. */
export function scanFailures(text: string): KnownFailure[] {
  let lines = outputLines(text);
  let offset = 0;
  if (lines.length > MAX_LINES) {
    const head = lines.slice(0, MAX_LINES / 2);
    const tail = lines.slice(-MAX_LINES / 2);
    offset = lines.length - MAX_LINES / 2;
    lines = [...head, ...tail];
  }
  const found = new Map<FailureKind, KnownFailure & { figures: Record<string, number | string> }>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length > 100_000) continue;
    for (const m of MATCHERS) {
      const r = m.match(line, { text, lines, index: i });
      if (!r) continue;
      const prev = found.get(m.kind);
      if (prev) {
        prev.figures['occurrences'] = (prev.figures['occurrences'] as number) + 1;
        continue;
      }
      found.set(m.kind, {
        kind: m.kind,
        summary: r.summary,
        evidence: line.trim().slice(0, 500),
        line: i < MAX_LINES / 2 || offset === 0 ? i + 1 : i + 1 - MAX_LINES / 2 + offset,
        figures: { ...(r.figures ?? {}), occurrences: 1 },
      });
    }
  }
  return [...found.values()];
}
