// Entry points for callers that just have a path: recognise the heap format by content, analyse it,
// and the `runbook profile` JSON summary of a heap dump.
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { parseHeapSnapshot } from './heapsnapshot';
import { parseHprof, type HprofOptions } from './hprof';
import { HeapFormatError, type HeapAnalysis, type HeapFormat } from './model';

const SNIFF_BYTES = 64 * 1024;

/** 'hprof' / 'heapsnapshot' by the file's first bytes (gzip looked through), or null. */
export async function sniffHeapFormat(path: string): Promise<HeapFormat | null> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new HeapFormatError(`cannot read ${path}: ${(err as Error).message}`);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
  }
  return sniffHeapBytes(head);
}

export function sniffHeapBytes(head: Buffer): HeapFormat | null {
  if (head.subarray(0, 13).toString('latin1') === 'JAVA PROFILE ') return 'hprof';
  // V8 writes {"snapshot":{"meta":... first; allow whitespace and a byte order mark.
  const text = head
    .subarray(0, 256)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/^\s*\{\s*"snapshot"\s*:\s*\{/.test(text)) return 'heapsnapshot';
  return null;
}

export async function analyzeHeap(path: string, opts: HprofOptions = {}): Promise<HeapAnalysis> {
  const format = await sniffHeapFormat(path);
  if (format === 'hprof') return parseHprof(path, opts);
  if (format === 'heapsnapshot') return parseHeapSnapshot(path, opts);
  throw new HeapFormatError(
    `${path} is not a heap dump: tried Java HPROF (starts with "JAVA PROFILE 1.0.x") and V8 heap snapshot (JSON starting {"snapshot":...}), gzipped or not`,
  );
}

export interface HeapSummary {
  format: HeapFormat;
  kind: 'heap';
  totalBytes: number;
  objects: number;
  /** Largest classes by shallow bytes; retainedBytes null when the dominator tree was skipped. */
  top: { name: string; count: number; shallowBytes: number; retainedBytes: number | null }[];
  /** Why retained sizes are missing, when they are. */
  note?: string;
}

/** What `runbook profile FILE --json` prints for a heap dump. Throws HeapFormatError for bad input. */
export async function summarizeHeap(
  path: string,
  opts: HprofOptions & { top?: number } = {},
): Promise<HeapSummary> {
  const a = await analyzeHeap(path, opts);
  const top = Math.max(0, Math.floor(opts.top ?? 20));
  const summary: HeapSummary = {
    format: a.format,
    kind: 'heap',
    totalBytes: a.totalBytes,
    objects: a.objects,
    top: a.classes.slice(0, top).map((c) => ({
      name: c.name,
      count: c.count,
      shallowBytes: c.shallowBytes,
      retainedBytes: c.retainedBytes ?? null,
    })),
  };
  if (a.dominatorSkipped) summary.note = a.dominatorSkipped;
  return summary;
}
