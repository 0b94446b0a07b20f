// The worker entry in a real worker_threads Worker (TypeScript through tsx, as in development).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importProfileInWorker } from './flame/worker-client';
import { importProfile } from './flame/import';
import { ProfileError } from './flame/errors';
import { SPEEDSCOPE, FIXTURES } from './flame/test-support';
import { totalWeight } from './model';

const WORKER = resolve(__dirname, 'worker.ts');
// tsx's ESM hook (--import tsx) does not reach a Worker's entry file in Node 20; its CJS hook does
const execArgv = ['--require', 'tsx/cjs'];

test('a worker imports a profile and hands back the same model, typed arrays intact', async () => {
  const path = resolve(SPEEDSCOPE, 'Chrome/65/sucrase.cpuprofile');
  const progress: number[] = [];
  const inWorker = await importProfileInWorker(WORKER, path, {
    execArgv,
    onProgress: (p) => progress.push(p.bytesRead),
  });
  const here = await importProfile({ path });
  assert.ok(inWorker.tree.total instanceof Float64Array);
  assert.ok(inWorker.tree.depth instanceof Uint16Array);
  assert.ok(inWorker.tracks[0]?.events.start instanceof Float64Array);
  assert.deepEqual(inWorker.tree, here.tree);
  assert.deepEqual(inWorker.frames, here.frames);
  assert.deepEqual(inWorker.strings, here.strings);
  assert.equal(inWorker.tracks[0]?.events.length, here.tracks[0]?.events.length);
  assert.ok(
    progress.length > 0 && progress.at(-1) === 1001345,
    `progress reached the file size: ${progress}`,
  );
});

test('errors cross the thread with their code', async () => {
  await assert.rejects(
    importProfileInWorker(WORKER, resolve(FIXTURES, 'gpu', 'nvidia-smi.L.txt'), { execArgv }),
    (e: unknown) =>
      e instanceof ProfileError &&
      e.code === 'unknown-format' &&
      /nvidia-smi\.L\.txt is not a profile format/.test(e.message),
  );
  await assert.rejects(
    importProfileInWorker(WORKER, '/nonexistent/profile.json', { execArgv }),
    (e: unknown) => e instanceof ProfileError && e.code === 'unreadable' && /no such file/.test(e.message),
  );
});

test('a worker that runs out of its memory budget is a "too-large" error, and the caller lives on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-oom-'));
  try {
    // 60 MB of distinct stacks: the tree alone needs more than a 48 MB heap
    const path = join(dir, 'big.collapsed');
    const lines: string[] = [];
    for (let i = 0; i < 600000; i++) lines.push(`main;worker_${i % 977};task_${i};leaf_${i * 7} 1`);
    writeFileSync(path, lines.join('\n'));
    await assert.rejects(
      importProfileInWorker(WORKER, path, { execArgv, maxHeapMb: 48 }),
      (e: unknown) => e instanceof ProfileError && e.code === 'too-large' && /memory budget/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(totalWeight(await importProfile({ bytes: Buffer.from('a;b 1'), name: 'ok.txt' })), 1);
});

test('cancelling ends the worker', async () => {
  const abort = new AbortController();
  const p = importProfileInWorker(WORKER, resolve(SPEEDSCOPE, 'Chrome/65/sucrase.cpuprofile'), {
    execArgv,
    signal: abort.signal,
  });
  abort.abort();
  await assert.rejects(p, (e: unknown) => e instanceof ProfileError && e.code === 'aborted');
});
