// What a report needs from disk besides the history index: the files each command wrote (named in
// its command, still there, written during or after the run), the figures its stored output
// yields when recognized again, and the error lines of the commands that failed. Shared by the
// CLI and the extension; everything here only reads.
import { open, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { recognize } from '../recognize/index';
import type { HistoryRecord } from '../run/history';
import { writtenCaptures } from './captures';
import { errorExcerpt, keyFigures } from './figures';
import { FAILED, type CaptureLink } from './model';

export interface GatheredInputs {
  profileLinks: Record<string, CaptureLink[]>;
  figures: Record<string, string[]>;
  excerpts: Record<string, string>;
}

/** Outputs larger than this are not recognized again (the figures are extra, memory is not). */
const RECOGNIZE_LIMIT = 8 << 20;
/** How much of a failed command's output is read for its error lines. */
const TAIL_BYTES = 64 << 10;

/** The output file of a record, only inside the history folder whatever the record says. */
function outputFileOf(historyDir: string, rec: HistoryRecord): string | undefined {
  if (!rec.outputFile) return undefined;
  const root = resolve(historyDir);
  const file = resolve(root, rec.outputFile);
  return file.startsWith(root + sep) ? file : undefined;
}

async function readRange(file: string, maxBytes: number, fromEnd: boolean): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(file, 'r');
    const { size } = await fh.stat();
    const n = Math.min(size, maxBytes);
    const buf = Buffer.alloc(n);
    await fh.read(buf, 0, n, fromEnd ? size - n : 0);
    return buf.toString('utf8');
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
}

function capturesOf(rec: HistoryRecord): Promise<CaptureLink[]> {
  // The runner runs a command in its runbook's folder unless the step says `cwd=`, which history
  // does not keep; relative names are looked for there.
  if (!isAbsolute(rec.runbook)) return Promise.resolve([]);
  return writtenCaptures(rec.command, dirname(rec.runbook), Date.parse(rec.startedAt), rec.durationMs);
}

export async function gatherReportInputs(
  historyDir: string,
  records: readonly HistoryRecord[],
): Promise<GatheredInputs> {
  const result: GatheredInputs = { profileLinks: {}, figures: {}, excerpts: {} };
  const one = async (rec: HistoryRecord): Promise<void> => {
    const caps = await capturesOf(rec);
    if (caps.length) result.profileLinks[rec.id] = caps;
    const file = outputFileOf(historyDir, rec);
    if (!file) return;
    if (FAILED.has(rec.status)) {
      const tail = await readRange(file, TAIL_BYTES, true);
      const excerpt = tail ? errorExcerpt(tail) : '';
      if (excerpt) result.excerpts[rec.id] = excerpt;
    }
    if (rec.kind === 'query') return; // query results are stored as text tables, not as the rows recognizers take
    const size = (await stat(file).catch(() => undefined))?.size ?? 0;
    if (!size || size > RECOGNIZE_LIMIT) return;
    const text = await readRange(file, size, false);
    if (!text) return;
    try {
      const r = recognize(rec.command, text);
      const figures = r ? keyFigures(r) : [];
      if (figures.length) result.figures[rec.id] = figures;
    } catch {
      // A recognizer's bug must not cost the report; the stored findings still show.
    }
  };
  // A few at a time: many small files, no need for hundreds of descriptors.
  const queue = [...records];
  await Promise.all(
    Array.from({ length: Math.min(8, queue.length) }, async () => {
      for (let r = queue.shift(); r; r = queue.shift()) await one(r);
    }),
  );
  return result;
}
