// The output pipeline's byte scan (src/core/run/byte-scan.ts), as ratios to a native single-byte
// search over the same 1 MB blocks in the same run: Buffer.indexOf(NUL), a byte none of the inputs
// holds (ESC would stop early on the log lines), so every block is read in full at memchr speed.
// BYTE_SCAN_BENCH_MB sets the size (default 64), BYTE_SCAN_BENCH_ROUNDS the rounds (default 9).
// The subject walks every candidate of each block the way output-pipe.ts's nextReal does: load the
// block, next(), read maybeNonAscii, verify the hit (control, C1, or maskAnchorAt) and go on after it.
//   1. Random base64 in 76-column lines (bulk output: `head -c N /dev/urandom | base64`).
//   2. Log-like lines: timestamps, key=value, a few colour codes and secrets, some UTF-8.
//   3. English-ish prose (words from a fixed list, some capitalised), no control characters.
//   4. A block of one letter: the loop alone, no candidate at all.
// Measured on a loaded 2-core host, Node 20 (plain SIMD swizzle), medians of two runs: before the
// scanner listed candidates in one call (one call per hit, case folding, constants rebuilt in the
// loop) 29x / 23x / 43x / 15x; after 7x / 7x / 14x / 7x. The loop alone costs about 0.2 s per GB
// there, the copy into WebAssembly memory 0.06 s; runtimes with relaxed SIMD (Electron) ~20% less.
import type { Measure } from './harness';
import { byteScanner } from '../src/core/run/byte-scan';
import { maskAnchorAt } from '../src/core/run/mask';

const MB = 1 << 20;
const SIZE_MB = Number(process.env.BYTE_SCAN_BENCH_MB ?? 64);
const ROUNDS = Number(process.env.BYTE_SCAN_BENCH_ROUNDS ?? 9);
const BLOCK = MB;

/** A small deterministic generator, so every run scans the same bytes. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

/** Cut `text` into blocks of whole lines of about BLOCK bytes, as the pipe hands them over. */
function blocksOf(text: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let start = 0; start < text.length;) {
    const nl = text.lastIndexOf(0x0a, Math.min(start + BLOCK, text.length) - 1);
    const end = nl < start ? Math.min(start + BLOCK, text.length) : nl + 1;
    out.push(text.subarray(start, end));
    start = end;
  }
  return out;
}

function base64Lines(bytes: number): Buffer {
  const rnd = prng(7);
  const raw = Buffer.alloc(Math.ceil((bytes * 3) / 4));
  for (let i = 0; i < raw.length; i++) raw[i] = (rnd() * 256) | 0;
  const b64 = raw.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}

function logLines(bytes: number): Buffer {
  const rnd = prng(42);
  const n = (k: number): number => Math.floor(rnd() * k);
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const paths = ['/api/v1/items', '/api/v1/orders', '/healthz', '/api/v2/search', '/static/app.js'];
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const t = `2026-11-28T10:${String(n(60)).padStart(2, '0')}:${String(n(60)).padStart(2, '0')}.${String(n(1000)).padStart(3, '0')}Z`;
    const roll = n(1000);
    let line: string;
    if (roll < 20) line = `${t} \x1b[33mWARN\x1b[0m [worker-${n(8)}] slow query took ${n(5000)}ms`;
    else if (roll < 22) line = `${t} DEBUG connecting with password=pw-${n(99999)} user=${users[n(5)]}`;
    else if (roll < 23) line = `${t} DEBUG Authorization: Bearer eyJ${n(1e9).toString(36)}abcdef`;
    else if (roll < 33) line = `${t} INFO  café ✓ réponse envoyée à ${users[n(5)]} en ${n(90)} ms`;
    else if (roll < 43) line = `${t} INFO  cache key=${n(1e6).toString(16)} hit ratio 0.${n(100)}`;
    else
      line = `${t} INFO  [worker-${n(8)}] GET ${paths[n(5)]}/${n(1e6)} ${roll < 900 ? 200 : 404} ${n(300)}ms user=${users[n(5)]} trace=${n(1e9).toString(16)}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

function prose(bytes: number): Buffer {
  const rnd = prng(3);
  const words = (
    'the of and to in is was that for it with as his on be at by had are but from or have an they ' +
    'which one you were all her she there would their we him been has when who will more no if out ' +
    'so said what up its about into than them can only other new some could time these two may then ' +
    'do first any my now such like our over man me even most made after also did many before must ' +
    'through back years where much your way well down should because each just those people how too ' +
    'little state good very make world still own see men work long get here between both life being ' +
    'under never day same another know while last might us great old year off come since against go ' +
    'came right used take three gift pass system process keyboard together support question'
  ).split(' ');
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const ws: string[] = [];
    for (let i = 0; i < 12; i++) {
      const w = words[Math.floor(rnd() * words.length)]!;
      ws.push(i === 0 || rnd() < 0.05 ? w[0]!.toUpperCase() + w.slice(1) : w);
    }
    const line = ws.join(' ') + (rnd() < 0.5 ? '.' : ',');
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}

/** output-pipe.ts's check of a scanner hit (module-private there). */
function needsSlowPath(b: Buffer, p: number): boolean {
  const c = b[p]!;
  if (c < 0x20) return c !== 0x0a && c !== 0x09;
  if (c === 0x7f) return true;
  if (c === 0xc2) return ((b[p + 1] ?? 0) & 0xe0) === 0x80 || maskAnchorAt(b, p);
  return maskAnchorAt(b, p);
}

/** Walks every candidate of every block; returns the real ones, so nothing is optimised away. */
function scanAll(blocks: Buffer[]): number {
  const scanner = byteScanner();
  let real = 0;
  for (const b of blocks) {
    scanner.load(b);
    let nonAscii = false;
    for (let from = 0; ;) {
      const p = scanner.next(from);
      nonAscii ||= scanner.maybeNonAscii;
      if (p >= b.length) break;
      if (needsSlowPath(b, p)) real++;
      from = p + 1;
    }
    if (nonAscii) real += 0.5;
  }
  return real;
}

function memchrAll(blocks: Buffer[]): number {
  let n = 0;
  for (const b of blocks) n += b.indexOf(0x00);
  return n;
}

export default function measures(): Measure[] {
  const size = SIZE_MB * MB;
  const inputs: [string, () => Buffer][] = [
    ['random base64', () => base64Lines(size)],
    ['log-like lines', () => logLines(size)],
    ['English-ish prose', () => prose(size)],
    ['one repeated letter', () => Buffer.alloc(size, 'x')],
  ];
  return inputs.map(([label, make]) => {
    let blocks: Buffer[] = [];
    return {
      name: `byte-scan: ${SIZE_MB} MB of ${label}`,
      setup: () => {
        blocks = blocksOf(make());
      },
      baseline: { name: 'Buffer.indexOf(NUL)', run: () => memchrAll(blocks) },
      subject: { name: 'scanner walk + hit checks', run: () => scanAll(blocks) },
      rounds: ROUNDS,
    };
  });
}
