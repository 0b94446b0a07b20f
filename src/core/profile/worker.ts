// Worker entry: imports one profile off the caller's thread. Started by importProfileInWorker
// (flame/worker-client.ts) with a path; posts progress, then the FlameProfile with its typed
// arrays transferred (not copied), or an error with its code. A "cancel" message aborts.
import { parentPort } from 'node:worker_threads';
import { importProfile } from './flame/import';
import { asProfileError } from './flame/errors';
import { transferables } from './flame/transfer';
import type { WorkerRequest, WorkerResponse } from './flame/worker-protocol';

const port = parentPort;
if (!port) throw new Error('profile worker: must run in a worker_threads Worker');
const running = new Map<number, AbortController>();

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const abort = new AbortController();
  running.set(msg.id, abort);
  const post = (r: WorkerResponse, transfer?: ArrayBuffer[]): void => port.postMessage(r, transfer);
  importProfile(
    { path: msg.path },
    {
      ...msg.options,
      signal: abort.signal,
      onProgress: (p) => post({ type: 'progress', id: msg.id, ...p }),
    },
  )
    .then(
      (profile) => post({ type: 'result', id: msg.id, profile }, transferables(profile)),
      (err: unknown) => {
        const e = asProfileError(err, msg.path);
        post({ type: 'error', id: msg.id, code: e.code, message: e.message });
      },
    )
    .finally(() => running.delete(msg.id));
});
