// importProfileInWorker: runs ../worker.ts in a worker_threads Worker with its own heap limit,
// so a huge or hostile file can neither block nor exhaust the caller (the extension host): an
// out-of-memory ends that worker only, and comes back as a "too-large" ProfileError.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { FlameProfile } from '../model';
import { ProfileError } from './errors';
import type { ImportProgress } from './source';
import { fromMessage } from './transfer';
import type { WorkerImportOptions, WorkerRequest, WorkerResponse } from './worker-protocol';

export interface WorkerImportOptionsWithCallbacks extends WorkerImportOptions {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Old-generation heap of the worker, MB; default 4096. */
  maxHeapMb?: number;
  /** e.g. ['--require', 'tsx/cjs'] to run the TypeScript entry in tests. */
  execArgv?: string[];
}

export function importProfileInWorker(
  workerScript: string | URL,
  path: string,
  options: WorkerImportOptionsWithCallbacks = {},
): Promise<FlameProfile> {
  const { onProgress, signal, maxHeapMb = 4096, execArgv, ...importOptions } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ProfileError('aborted', 'import cancelled'));
    const workerOptions: WorkerOptions = { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } };
    if (execArgv) workerOptions.execArgv = execArgv;
    const worker = new Worker(workerScript, workerOptions);
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => {
      worker.postMessage({ type: 'cancel', id: 1 } satisfies WorkerRequest);
      finish(() => reject(new ProfileError('aborted', 'import cancelled')));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerResponse) => {
      if (m.type === 'progress')
        onProgress?.({
          bytesRead: m.bytesRead,
          ...(m.totalBytes !== undefined ? { totalBytes: m.totalBytes } : {}),
        });
      else if (m.type === 'result') {
        try {
          const p = fromMessage(m.profile);
          finish(() => resolve(p));
        } catch (err) {
          finish(() => reject(err));
        }
      } else finish(() => reject(new ProfileError(m.code, m.message)));
    });
    worker.on('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ProfileError(
                'too-large',
                `${path}: the import ran out of its ${maxHeapMb} MB memory budget`,
              )
            : new ProfileError('invalid', `${path}: the import worker failed: ${err.message}`),
        ),
      ),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(
          new ProfileError('invalid', `${path}: the import worker exited (code ${code}) without a result`),
        ),
      ),
    );
    worker.postMessage({ type: 'import', id: 1, path, options: importOptions } satisfies WorkerRequest);
  });
}
