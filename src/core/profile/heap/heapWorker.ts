// Worker entry: analyses one heap dump off the caller's thread. Started by analyzeHeapInWorker with
// workerData = { path, maxObjects?, compressedOops? }; posts progress, then the result (its typed
// arrays transferred, not copied) or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { HeapFormatError, type HeapAnalysis, type HeapProgress } from './model';
import { analyzeHeap } from './summary';

export interface HeapWorkerInput {
  path: string;
  maxObjects?: number;
  compressedOops?: boolean;
}

export type HeapWorkerMessage =
  | { type: 'progress'; progress: HeapProgress }
  | { type: 'done'; analysis: HeapAnalysis }
  | { type: 'error'; name: string; message: string };

const PROGRESS_MIN_MS = 100;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const input = workerData as HeapWorkerInput;
  let last = 0;
  try {
    const analysis = await analyzeHeap(input.path, {
      ...(input.maxObjects !== undefined ? { maxObjects: input.maxObjects } : {}),
      ...(input.compressedOops !== undefined ? { compressedOops: input.compressedOops } : {}),
      onProgress: (progress) => {
        const now = Date.now();
        if (now - last < PROGRESS_MIN_MS) return;
        last = now;
        port.postMessage({ type: 'progress', progress } satisfies HeapWorkerMessage);
      },
    });
    const d = analysis.dominators;
    const transfer = d
      ? [d.idom.buffer, d.retained.buffer, d.shallow.buffer, d.classIndex.buffer, d.objectId.buffer]
      : [];
    port.postMessage({ type: 'done', analysis } satisfies HeapWorkerMessage, transfer as ArrayBuffer[]);
  } catch (err) {
    const e = err as Error;
    port.postMessage({
      type: 'error',
      name: e instanceof HeapFormatError ? 'HeapFormatError' : e.name,
      message: e.message,
    } satisfies HeapWorkerMessage);
  }
}

void main();
