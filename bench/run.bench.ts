// The runner's cost, as ratios against doing the same work without it:
//   1. Large output: a step printing 100 MB of base64 through the whole Runner (sanitizer, masker,
//      ring buffer, output file, history) vs a shell `cat`-ing the same bytes to /dev/null.
//      Goal from issue 4: throughput >= 0.5 of cat, i.e. time ratio <= 2.
//      Peak RSS growth during the runner rounds is printed too (goal <= 64 MB).
//   2. The floor for any Node consumer: Node merely reading the same pipe (discarding the bytes) vs
//      `cat` to /dev/null — shows how much of ratio 1 is the pipe into Node rather than the runner.
//   3. Spawn overhead: running `true` as a step vs bare execa running `bash -c true`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measure } from './harness';
import { HistoryStore } from '../src/core/run/history';
import { Runner, type RunbookRef } from '../src/core/run/runner';
import { step } from '../src/core/run/test-support';

const MB = 1 << 20;
const SIZE_MB = Number(process.env.RUN_BENCH_MB ?? 100);

export default async function measures(): Promise<Measure[]> {
  // execa is ESM-only; a dynamic import works from this CommonJS context on Node 20 and 22.
  const { execa } = await import('execa');
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-run-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data.b64');
  // base64 of random bytes: 4/3 of the input, lines of 76 characters like real logs.
  execFileSync('bash', [
    '-c',
    `head -c ${Math.round((SIZE_MB * MB * 3) / 4)} /dev/urandom | base64 > ${data}`,
  ]);
  const bytes = statSync(data).size;

  const book = join(dir, 'bench.md');
  const ref = (s: ReturnType<typeof step>): RunbookRef => ({
    path: book,
    runbook: { title: 'bench', sections: [], steps: [s], frontMatter: {}, diagnostics: [] },
  });
  const history = new HistoryStore(join(dir, 'history'), { maxEntries: 50 });
  const runner = new Runner({
    isTrusted: () => true,
    confirm: () => true,
    resolve: () => undefined,
    history,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    maxOutputBytes: 4 * SIZE_MB * MB,
  });
  const big = step('big', [`cat ${data}`]);
  const tiny = step('tiny', ['true']);

  let peakGrowth = 0;
  let rounds = 0;
  const runBig = async (): Promise<void> => {
    const before = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - before);
    }, 20);
    const r = await runner.run({ kind: 'step', runbook: ref(big), step: big });
    clearInterval(sampler);
    const c = r.steps[0]?.commands[0];
    if (c?.status !== 'ok') throw new Error(`bench step failed: ${c?.status} ${c?.message ?? ''}`);
    if (++rounds === 8)
      console.log(
        `  run: ${(bytes / MB).toFixed(0)} MB through the runner; peak RSS growth ${(peakGrowth / MB).toFixed(1)} MB (goal <= 64 MB)`,
      );
  };

  return [
    {
      name: `run: ${SIZE_MB} MB of output through the runner`,
      baseline: { name: 'bash cat > /dev/null', run: () => execa('bash', ['-c', `cat ${data} > /dev/null`]) },
      subject: { name: 'Runner step (mask, sanitize, ring, file, history)', run: runBig },
      goal: 2,
    },
    {
      name: `run: ${SIZE_MB} MB read by Node from a pipe (floor)`,
      baseline: { name: 'bash cat > /dev/null', run: () => execa('bash', ['-c', `cat ${data} > /dev/null`]) },
      subject: {
        name: 'spawn cat, read and drop stdout',
        run: () =>
          new Promise<void>((resolve, reject) => {
            const child = spawn('cat', [data], { stdio: ['ignore', 'pipe', 'inherit'] });
            child.stdout.on('data', () => undefined);
            child.on('error', reject);
            child.on('close', () => resolve());
          }),
      },
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
