// Messages between importProfileInWorker and the worker (../worker.ts).
import type { FlameProfile } from '../model';
import type { ImportOptions } from './context';
import type { ProfileErrorCode } from './errors';
import type { ImportProgress } from './source';

/** The options that can cross a thread boundary (no callbacks, no signal). */
export type WorkerImportOptions = Omit<ImportOptions, 'onProgress' | 'signal'>;

export type WorkerRequest =
  { type: 'import'; id: number; path: string; options: WorkerImportOptions } | { type: 'cancel'; id: number };

export type WorkerResponse =
  | ({ type: 'progress'; id: number } & ImportProgress)
  | { type: 'result'; id: number; profile: FlameProfile }
  | { type: 'error'; id: number; code: ProfileErrorCode; message: string };
