// Host side of heapWorker.ts: runs the analysis in a worker_threads Worker so the caller's thread (the
// extension host) never blocks; abort terminates the worker, which frees all of its memory at once.
import { Worker } from 'node:worker_threads';
import type { HeapWorkerInput, HeapWorkerMessage } from './heapWorker';
import { HeapFormatError, type HeapAnalysis, type HeapParseOptions } from './model';

export interface HeapWorkerOptions extends HeapParseOptions {
  /** The built heapWorker script (the bundler's output for src/core/profile/heap/heapWorker.ts). */
  workerFile: string;
  /** Extra node flags for the worker (tests run the .ts source with ['--import', 'tsx']). */
  execArgv?: string[];
  compressedOops?: boolean;
  /** Heap limit of the worker in MB; a dump that needs more ends in an error, not a dead host. */
  maxOldGenerationSizeMb?: number;
}

export function analyzeHeapInWorker(path: string, opts: HeapWorkerOptions): Promise<HeapAnalysis> {
  return new Promise((resolve, reject) => {
    opts.signal?.throwIfAborted();
    const input: HeapWorkerInput = {
      path,
      ...(opts.maxObjects !== undefined ? { maxObjects: opts.maxObjects } : {}),
      ...(opts.compressedOops !== undefined ? { compressedOops: opts.compressedOops } : {}),
    };
    const worker = new Worker(opts.workerFile, {
      workerData: input,
      ...(opts.execArgv ? { execArgv: opts.execArgv } : {}),
      ...(opts.maxOldGenerationSizeMb
        ? { resourceLimits: { maxOldGenerationSizeMb: opts.maxOldGenerationSizeMb } }
        : {}),
    });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => finish(() => reject(opts.signal!.reason));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: HeapWorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.analysis));
      else
        finish(() =>
          reject(
            m.name === 'HeapFormatError'
              ? new HeapFormatError(m.message)
              : Object.assign(new Error(m.message), { name: m.name }),
          ),
        );
    });
    worker.on('error', (err) =>
      finish(() =>
        reject(
          (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new HeapFormatError(
                `${path} is too large to analyse within the worker's memory limit; try a lower object limit`,
              )
            : err,
        ),
      ),
    );
    worker.on('exit', (code) => finish(() => reject(new Error(`heap worker exited with code ${code}`))));
  });
}
