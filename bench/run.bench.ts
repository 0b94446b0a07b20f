// The runner's cost, as ratios against doing the same work without it (RUN_BENCH_MB sets the size,
// default 100; RUN_BENCH_ROUNDS the rounds, default 7):
//   1. Large output: a step printing N MB of base64 through the whole Runner (scan, mask, sanitize,
//      ring buffer, output file, history) vs a shell `cat`-ing the same bytes to /dev/null.
//      Goal from issue 4: throughput >= 0.5 of cat, i.e. time ratio <= 2. Peak RSS growth during
//      the runner rounds is printed too (goal <= 64 MB).
//   2. The same against `cat > file`: the least any runner that stores the full output pays (on
//      the 2-core bench machine `cat > file` alone is about 2x `cat > /dev/null`).
//   3. Log-like output (timestamps, key=value, some colour, some secrets, some UTF-8), which sends
//      a share of lines through the slow path, vs cat > /dev/null.
//   4. Base64 again with a live listener reading every chunk's text (what the output view costs).
//   5. The previous design, stdout piped through Node (Runner option stdoutToFile: false), against
//      the default where the child writes stdout into the output file itself (output-capture.ts).
//   6. Spawn overhead: running `true` as a step vs bare execa running `bash -c true`.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measure } from './harness';
import { HistoryStore } from '../src/core/run/history';
import { Runner, type RunbookRef } from '../src/core/run/runner';
import { step } from '../src/core/run/test-support';

const MB = 1 << 20;
const SIZE_MB = Number(process.env.RUN_BENCH_MB ?? 100);
const ROUNDS = Number(process.env.RUN_BENCH_ROUNDS ?? 7);

/** Deterministic log-like text: what a service or a test runner prints, mostly plain lines. */
export function writeLogLike(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 8) % n; // the low bits of this generator repeat quickly
  };
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const paths = ['/api/v1/items', '/api/v1/orders', '/healthz', '/api/v2/search', '/static/app.js'];
  let written = 0;
  const lines: string[] = [];
  while (written < bytes) {
    const t = `2026-11-28T10:${String(rnd(60)).padStart(2, '0')}:${String(rnd(60)).padStart(2, '0')}.${String(rnd(1000)).padStart(3, '0')}Z`;
    const roll = rnd(1000);
    let line: string;
    if (roll < 20) line = `${t} \x1b[33mWARN\x1b[0m [worker-${rnd(8)}] slow query took ${rnd(5000)}ms`;
    else if (roll < 22) line = `${t} DEBUG connecting with password=pw-${rnd(99999)} user=${users[rnd(5)]}`;
    else if (roll < 23) line = `${t} DEBUG Authorization: Bearer eyJ${rnd(1e9).toString(36)}abcdef`;
    else if (roll < 33) line = `${t} INFO  café ✓ réponse envoyée à ${users[rnd(5)]} en ${rnd(90)} ms`;
    else if (roll < 43) line = `${t} INFO  cache key=${rnd(1e6).toString(16)} hit ratio 0.${rnd(100)}`;
    else
      line = `${t} INFO  [worker-${rnd(8)}] GET ${paths[rnd(5)]}/${rnd(1e6)} ${roll < 900 ? 200 : 404} ${rnd(300)}ms user=${users[rnd(5)]} trace=${rnd(1e9).toString(16)}`;
    lines.push(line);
    written += Buffer.byteLength(line) + 1;
    if (lines.length === 10_000) {
      writeSync(fd, lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length) writeSync(fd, lines.join('\n') + '\n');
  closeSync(fd);
}

export default async function measures(): Promise<Measure[]> {
  // execa is ESM-only; a dynamic import works from this CommonJS context on Node 20 and 22.
  const { execa } = await import('execa');
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-run-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data.b64');
  const logs = join(dir, 'data.log');
  let prepared = false;
  // Built on first use, so `npm run bench -- other` does not pay for a gigabyte it never reads.
  const prepare = (): void => {
    if (prepared) return;
    prepared = true;
    // base64 of random bytes: 4/3 of the input, lines of 76 characters like real logs.
    execFileSync('bash', [
      '-c',
      `head -c ${Math.round((SIZE_MB * MB * 3) / 4)} /dev/urandom | base64 > ${data}`,
    ]);
    writeLogLike(logs, SIZE_MB * MB);
  };
  const sizeOf = (f: string): string => `${(statSync(f).size / MB).toFixed(0)} MB`;

  const book = join(dir, 'bench.md');
  const ref = (s: ReturnType<typeof step>): RunbookRef => ({
    path: book,
    runbook: { title: 'bench', sections: [], steps: [s], frontMatter: {}, diagnostics: [] },
  });
  const history = new HistoryStore(join(dir, 'history'), { maxEntries: 50 });
  const runnerWith = (stdoutToFile: boolean): Runner =>
    new Runner({
      isTrusted: () => true,
      confirm: () => true,
      resolve: () => undefined,
      history,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      maxOutputBytes: 4 * SIZE_MB * MB,
      stdoutToFile,
    });
  const runner = runnerWith(true);
  const piped = runnerWith(false);
  const tiny = step('tiny', ['true']);

  /** Runs `cat FILE` as a step; reports peak RSS growth over the rounds once they are done. */
  const runnerOf = (
    label: string,
    file: () => string,
    listen = false,
    through = runner,
  ): (() => Promise<void>) => {
    let peakGrowth = 0;
    let rounds = 0;
    return async () => {
      const s = step('big', [`cat ${file()}`]);
      const before = process.memoryUsage.rss();
      const sampler = setInterval(() => {
        peakGrowth = Math.max(peakGrowth, process.memoryUsage.rss() - before);
      }, 20);
      const handle = through.start({ kind: 'step', runbook: ref(s), step: s });
      let chars = 0;
      if (listen)
        handle.onEvent((e) => {
          if (e.type === 'output') chars += e.chunk.text.length;
        });
      const r = await handle.done;
      clearInterval(sampler);
      const c = r.steps[0]?.commands[0];
      if (c?.status !== 'ok') throw new Error(`bench step failed: ${c?.status} ${c?.message ?? ''}`);
      if (listen && chars === 0) throw new Error('the listener saw no output');
      // Old output files would pile up in the page cache and slow later rounds' writes.
      if (c.outputFile) rmSync(c.outputFile, { force: true });
      if (++rounds === ROUNDS + 1)
        console.log(
          `  ${label}: ${sizeOf(file())}; peak RSS growth ${(peakGrowth / MB).toFixed(1)} MB (goal <= 64 MB)`,
        );
    };
  };
  const catTo = (file: () => string, to: string) => () => execa('bash', ['-c', `cat ${file()} > ${to}`]);
  const b64 = (): string => data;
  const log = (): string => logs;

  return [
    {
      name: `run: ${SIZE_MB} MB of output through the runner`,
      setup: prepare,
      baseline: { name: 'bash cat > /dev/null', run: catTo(b64, '/dev/null') },
      subject: {
        name: 'Runner step (scan, mask, sanitize, ring, file, history)',
        run: runnerOf('base64', b64),
      },
      goal: 2,
      rounds: ROUNDS,
    },
    {
      name: `run: ${SIZE_MB} MB through the runner vs storing it with cat`,
      setup: prepare,
      baseline: {
        name: 'bash cat > file',
        run: async () => {
          await catTo(b64, join(dir, 'cat.out'))();
          rmSync(join(dir, 'cat.out'), { force: true });
        },
      },
      subject: { name: 'Runner step', run: runnerOf('base64 vs cat > file', b64) },
      rounds: ROUNDS,
    },
    {
      name: `run: ${SIZE_MB} MB of log-like output through the runner`,
      setup: prepare,
      baseline: { name: 'bash cat > /dev/null', run: catTo(log, '/dev/null') },
      subject: { name: 'Runner step, log lines', run: runnerOf('log-like', log) },
      rounds: ROUNDS,
    },
    {
      name: `run: ${SIZE_MB} MB through the runner with a live listener`,
      setup: prepare,
      baseline: { name: 'bash cat > /dev/null', run: catTo(b64, '/dev/null') },
      subject: { name: 'Runner step, listener reads every chunk', run: runnerOf('listener', b64, true) },
      rounds: ROUNDS,
    },
    {
      name: `run: ${SIZE_MB} MB with stdout written to the file by the child vs piped through Node`,
      setup: prepare,
      baseline: { name: 'Runner step, stdout piped', run: runnerOf('piped', b64, false, piped) },
      subject: { name: 'Runner step, stdout into the file', run: runnerOf('file', b64) },
      rounds: ROUNDS,
    },
    {
      // Colour and secrets in it: the stored file is a cleaned copy (output-capture.ts diverges).
      name: `run: ${SIZE_MB} MB of log-like output, stdout into the file vs piped through Node`,
      setup: prepare,
      baseline: { name: 'Runner step, stdout piped', run: runnerOf('log piped', log, false, piped) },
      subject: { name: 'Runner step, stdout into the file', run: runnerOf('log file', log) },
      rounds: ROUNDS,
    },
    {
      name: 'run: spawn overhead per command',
      baseline: { name: 'bare execa bash -c true', run: () => execa('bash', ['-c', 'true']) },
      subject: {
        name: 'Runner step `true`',
        run: async () => {
          const r = await runner.run({ kind: 'step', runbook: ref(tiny), step: tiny });
          if (r.status !== 'ok') throw new Error(`bench step failed: ${r.status}`);
        },
      },
      rounds: 15,
    },
  ];
}
