// Java heap dump (.hprof, .hprof.gz) -> heap model. Safe to call inside a worker_threads Worker:
// plain arguments in, plain data and typed arrays out.
import { openFileChunks } from './byteSource';
import { analyzeHprof } from './hprofAnalyze';
import { HprofParser } from './hprofParser';
import { DEFAULT_MAX_OBJECTS, type HeapAnalysis, type HeapParseOptions } from './model';

export interface HprofOptions extends HeapParseOptions {
  /** Size objects as with (true) or without (false) compressed references instead of inferring it. */
  compressedOops?: boolean;
}

const PROGRESS_EVERY_BYTES = 16 << 20;

export async function parseHprof(path: string, opts: HprofOptions = {}): Promise<HeapAnalysis> {
  const maxObjects = opts.maxObjects ?? DEFAULT_MAX_OBJECTS;
  const src = await openFileChunks(path, opts.signal);
  const parser = new HprofParser(maxObjects);
  let nextReport = 0;
  for await (const chunk of src.chunks) {
    parser.push(chunk);
    if (opts.onProgress && src.bytesRead() >= nextReport) {
      nextReport = src.bytesRead() + PROGRESS_EVERY_BYTES;
      opts.onProgress({ phase: 'read', bytesRead: src.bytesRead(), totalBytes: src.fileBytes });
    }
  }
  parser.end();
  opts.onProgress?.({ phase: 'read', bytesRead: src.fileBytes, totalBytes: src.fileBytes });
  const analysis = analyzeHprof(parser, {
    maxObjects,
    ...(opts.compressedOops !== undefined ? { compressedOops: opts.compressedOops } : {}),
    tick: (done, total) => {
      opts.signal?.throwIfAborted();
      opts.onProgress?.({ phase: 'dominators', bytesRead: done, totalBytes: total });
    },
  });
  analysis.details.fileBytes = src.fileBytes;
  analysis.details.dumpBytes = parser.bytesParsed;
  analysis.details.gzip = src.gzip;
  return analysis;
}
