// Reads a profile file for the viewer, always in a worker thread: a heap dump (recognised by its
// first bytes) goes to the heap worker, anything else to the flame importers' worker, which names
// every format it tried when none fits. Failures come back as one sentence with a code the page
// shows as it is. No `vscode` import: the host passes the bundled worker paths.
import { importProfileInWorker } from '../../core/profile/flame/worker-client';
import { ProfileError } from '../../core/profile/flame/errors';
import { analyzeHeapInWorker } from '../../core/profile/heap/heapInWorker';
import { HeapFormatError, type HeapAnalysis } from '../../core/profile/heap/model';
import { sniffHeapFormat } from '../../core/profile/heap/summary';
import type { FlameProfile } from '../../core/profile/model';
import type { LoadPhase } from '../../../webview/profile/protocol';

export interface WorkerFiles {
  /** dist/profile-worker.js (src/core/profile/worker.ts bundled). */
  flame: string;
  /** dist/heap-worker.js (src/core/profile/heap/heapWorker.ts bundled). */
  heap: string;
  /** Node flags for the workers (tests run the TypeScript entries through tsx). */
  execArgv?: string[];
}

export interface LoadOptions {
  onProgress?: (phase: LoadPhase, bytesRead: number, totalBytes?: number) => void;
  signal?: AbortSignal;
  /** Heap limit of the worker, MB. */
  maxHeapMb?: number;
}

export type Loaded = { kind: 'flame'; profile: FlameProfile } | { kind: 'heap'; analysis: HeapAnalysis };

export class LoadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

const DEFAULT_HEAP_MB = 4096;

export async function loadProfileFile(
  path: string,
  workers: WorkerFiles,
  opts: LoadOptions = {},
): Promise<Loaded> {
  const maxHeapMb = opts.maxHeapMb ?? DEFAULT_HEAP_MB;
  try {
    opts.signal?.throwIfAborted();
    const heapFormat = await sniffHeapFormat(path).catch(() => null);
    opts.signal?.throwIfAborted();
    if (heapFormat) {
      const analysis = await analyzeHeapInWorker(path, {
        workerFile: workers.heap,
        maxOldGenerationSizeMb: maxHeapMb,
        ...(workers.execArgv ? { execArgv: workers.execArgv } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (p) => opts.onProgress?.(p.phase, p.bytesRead, p.totalBytes),
      });
      return { kind: 'heap', analysis };
    }
    const profile = await importProfileInWorker(workers.flame, path, {
      maxHeapMb,
      ...(workers.execArgv ? { execArgv: workers.execArgv } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) => opts.onProgress?.('read', p.bytesRead, p.totalBytes),
    });
    return { kind: 'flame', profile };
  } catch (err) {
    throw asLoadError(err, opts.signal);
  }
}

export function asLoadError(err: unknown, signal?: AbortSignal): LoadError {
  if (err instanceof LoadError) return err;
  if (signal?.aborted || (err instanceof Error && err.name === 'AbortError'))
    return new LoadError('aborted', 'Reading the profile was cancelled.');
  if (err instanceof ProfileError) return new LoadError(err.code, err.message);
  if (err instanceof HeapFormatError)
    return new LoadError(/too large/i.test(err.message) ? 'too-large' : 'invalid', err.message);
  return new LoadError('invalid', err instanceof Error ? err.message : String(err));
}
