// One child process, start to finish: spawned in its own process group, output streamed through
// mask -> terminal sanitizer (output-pipe.ts) -> (live listener, bounded ring buffer, output
// file), stopped as a whole tree on cancel, timeout or runaway output, and summed up in a
// ProcessResult. With an output file, stdout goes straight into it and is read back from there
// (output-capture.ts); stderr, and stdout without a file, come through pipes.
//
// When the main process exits, anything it left running in its group (`cmd &`) is stopped too:
// a diagnostic step must not leave orphans behind.
import type { Readable } from 'node:stream';
import { LineTap, type SetDirective } from './line-tap';
import type { Masker } from './mask';
import { fileHolders, type FileHolder } from './fd-holders';
import { missingToolFrom, missingToolMessage } from './missing-tool';
import { dirname } from 'node:path';
import { OutputCapture, roomForCapture } from './output-capture';
import { OutputFile } from './output-file';
import { StreamPipe, type OutputPiece } from './output-pipe';
import { RingBuffer } from './ring-buffer';
import { groupAlive, signalGroup, type Spawner, type SpawnRequest } from './spawner';
import type { StyledSpan } from './terminal';

export type CommandStatus = 'ok' | 'failed' | 'timeout' | 'cancelled' | 'refused' | 'output-limit' | 'error';

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  /** Masked, escape-free text. */
  text: string;
  /** Colour of `text` (offsets into it). */
  spans: StyledSpan[];
}

export interface ProcessOptions {
  spawner: Spawner;
  /** Asked right before spawning; false means nothing is started. */
  isTrusted: () => boolean;
  masker: Masker;
  /** 0: no timeout. */
  timeoutMs: number;
  /** Output (stdout + stderr bytes) after which the process is stopped. */
  maxOutputBytes: number;
  /** Time between SIGINT, SIGTERM and SIGKILL when stopping. */
  graceMs: number;
  /** Characters kept in memory for display. */
  displayLimit: number;
  /** Full (masked, sanitized) output goes here when given. */
  outputFile?: string;
  /**
   * With an output file: the child writes stdout into it directly (the default), or, when false,
   * through a pipe into Node like stderr (kept to compare the two in tests and the bench).
   */
  stdoutToFile?: boolean;
  signal?: AbortSignal;
  onOutput?: (chunk: OutputChunk) => void;
  /** Whether onOutput has anyone to tell right now (default yes); chunks are built only then. */
  wantsOutput?: () => boolean;
  onStart?: (pid: number) => void;
  /** Regexes applied to stdout lines; see ProcessResult.captured. */
  captures?: readonly RegExp[];
  /** Held-back output is shown after this much silence (a prompt without a newline). */
  idleFlushMs?: number;
}

export interface ProcessResult {
  status: CommandStatus;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** ISO time the process was started (or refused). */
  startedAt: string;
  durationMs: number;
  pid?: number;
  /** Raw bytes the process wrote (stdout + stderr), counting what went past the cap. */
  outputBytes: number;
  /** The last displayLimit characters of output, masked. */
  output: string;
  /** True when `output` is only the end of what was printed. */
  outputTruncated: boolean;
  outputFile?: string;
  /** A plain explanation for anything but ok. */
  message?: string;
  missingTool?: string;
  /** `::set NAME=value` lines on stdout, in order (values unmasked: they feed variables). */
  sets: SetDirective[];
  /** Last non-empty stdout line. */
  lastLine: string;
  captured: (string | undefined)[];
}

/**
 * Clean output is read in 1 MB blocks; a listener gets it in parts of at most this size, so the
 * strings it makes stay small enough for V8's young generation (larger ones are allocated where
 * only a full collection frees them, and pile up while output streams).
 */
const LISTENER_CHUNK = 64 * 1024;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGINT (lets profilers write their files), then SIGTERM, then SIGKILL; resolves when the group is gone. */
export async function stopGroup(pid: number, graceMs: number): Promise<void> {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    if (!signalGroup(pid, sig)) return;
    const deadline = Date.now() + (sig === 'SIGKILL' ? 1000 : graceMs);
    while (Date.now() < deadline) {
      await sleep(Math.max(1, Math.min(20, graceMs)));
      if (!groupAlive(pid)) return;
    }
  }
}

export async function executeProcess(req: SpawnRequest, opts: ProcessOptions): Promise<ProcessResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const base = (status: CommandStatus, message: string): ProcessResult => ({
    status,
    exitCode: null,
    signal: null,
    startedAt,
    durationMs: 0,
    outputBytes: 0,
    output: '',
    outputTruncated: false,
    message: opts.masker.mask(message),
    sets: [],
    lastLine: '',
    captured: (opts.captures ?? []).map(() => undefined),
  });
  if (!opts.isTrusted())
    return base(
      'refused',
      'This workspace is not trusted, so nothing is run. Trust the workspace to run steps.',
    );
  if (opts.signal?.aborted) return base('cancelled', 'cancelled before it started');

  const capture =
    opts.outputFile &&
    opts.stdoutToFile !== false &&
    !opensStdoutByPath(req) &&
    roomForCapture(dirname(opts.outputFile), opts.maxOutputBytes)
      ? new OutputCapture(opts.outputFile)
      : undefined;
  const file = opts.outputFile && !capture ? new OutputFile(opts.outputFile) : undefined;
  if (capture && !capture.ok)
    return { ...base('error', capture.error ?? 'no output file'), outputFile: opts.outputFile! };
  const ring = new RingBuffer(opts.displayLimit);
  const stderrTail = new RingBuffer(4096);
  const tap = new LineTap(opts.captures ?? []);
  let bytes = 0;
  let stopReason: 'timeout' | 'cancelled' | 'output-limit' | undefined;
  const streams: Readable[] = [];

  const sink =
    (stream: 'stdout' | 'stderr') =>
    (p: OutputPiece): void => {
      if (capture) capture.store(p.bytes ?? p.text, stream === 'stdout');
      else file?.write(p.bytes ?? p.text);
      if (p.bytes && p.ascii) ring.pushAscii(p.bytes);
      else ring.push(p.text);
      if (stream === 'stderr') {
        if (p.bytes && p.ascii) stderrTail.pushAscii(p.bytes);
        else stderrTail.push(p.text);
      }
      if (!opts.onOutput || opts.wantsOutput?.() === false) return;
      try {
        if (p.bytes && p.ascii && p.bytes.length > LISTENER_CHUNK)
          for (let at = 0; at < p.bytes.length; at += LISTENER_CHUNK) {
            const end = Math.min(p.bytes.length, at + LISTENER_CHUNK);
            // Plain pieces carry at most one span, the style in force over all of it.
            const spans = p.spans.map((sp) => ({ ...sp, start: 0, end: end - at }));
            opts.onOutput(chunkOf(stream, { bytes: p.bytes.subarray(at, end), ascii: true, spans }));
          }
        else opts.onOutput(chunkOf(stream, p));
      } catch {
        // A failing listener must not break the run or lose the output file.
      }
    };

  const proc = await opts.spawner(capture ? { ...req, stdoutFd: capture.childFd! } : req);
  capture?.closeChildFd();
  if (proc.pid === undefined) {
    const info = await proc.exited;
    file?.close();
    capture?.finish();
    const code = info.error?.code;
    const r = base('error', `could not start ${req.file}: ${info.error?.message ?? 'unknown error'}`);
    if (code === 'ENOENT') {
      r.missingTool = req.file;
      r.message = missingToolMessage(req.file);
    }
    if (opts.outputFile) r.outputFile = opts.outputFile;
    return r;
  }
  const pid = proc.pid;
  opts.onStart?.(pid);

  let stopping: Promise<void> | undefined;
  const stop = (why: 'timeout' | 'cancelled' | 'output-limit'): void => {
    stopReason ??= why;
    stopping ??= stopGroup(pid, opts.graceMs);
  };

  const pipes = [
    new StreamPipe('stdout', opts.masker, sink('stdout'), tap, opts.idleFlushMs ?? 150),
    new StreamPipe('stderr', opts.masker, sink('stderr'), null, opts.idleFlushMs ?? 150),
  ];
  // Bytes given to the pipes; past maxOutputBytes nothing more is.
  const feed = (pipe: StreamPipe, buf: Buffer): void => {
    if (!buf.length) return;
    if (bytes >= opts.maxOutputBytes) return stop('output-limit');
    bytes += buf.length;
    if (bytes > opts.maxOutputBytes) {
      const keep = buf.length - (bytes - opts.maxOutputBytes);
      bytes = opts.maxOutputBytes;
      if (keep > 0) pipe.write(buf.subarray(0, keep));
      stop('output-limit');
      return;
    }
    pipe.write(buf);
  };
  /** Bytes that came through pipes (stderr; stdout too without a file), past the limit too. */
  let piped = 0;
  capture?.tail(
    (buf) => feed(pipes[0]!, buf),
    opts.maxOutputBytes,
    // The file can grow faster than it is read: stop a runaway command by its size, not by what
    // was read so far.
    (raw) => {
      if (raw + piped > opts.maxOutputBytes) stop('output-limit');
    },
  );
  const ended = (capture ? [null, proc.stderr] : [proc.stdout, proc.stderr]).map((stream, i) => {
    if (!stream) return Promise.resolve();
    streams.push(stream);
    const pipe = pipes[i]!;
    return new Promise<void>((resolve) => {
      stream.on('data', (buf: Buffer) => {
        piped += buf.length;
        // stdout written before this is shown (and stored) before it.
        capture?.catchUp();
        feed(pipe, buf);
      });
      stream.once('error', () => resolve());
      stream.once('close', () => resolve());
      stream.once('end', () => resolve());
    });
  });
  const allEnded = Promise.all(ended);

  const timer = opts.timeoutMs > 0 ? setTimeout(() => stop('timeout'), opts.timeoutMs) : undefined;
  const onAbort = (): void => stop('cancelled');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const exit = await proc.exited;
  if (timer) clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);

  // Leftovers in the group (background jobs, a grandchild holding the pipes): stop them.
  const settled = await Promise.race([allEnded.then(() => true), sleep(100).then(() => false)]);
  if (!settled || groupAlive(pid)) stopping ??= stopGroup(pid, opts.graceMs);
  await stopping;
  // A process that escaped the group (setsid) may still hold a pipe: do not wait for it forever.
  const closed = await Promise.race([allEnded.then(() => true), sleep(2000).then(() => false)]);
  if (!closed) for (const s of streams) s.destroy();
  for (const s of streams) s.resume();
  // The end of stdout: everything the command wrote before its group was gone.
  capture?.catchUp();
  capture?.stopTail();
  for (const p of pipes) p.end();
  const durationMs = performance.now() - t0;
  file?.close();
  const outputBytes = (capture?.rawSize() ?? 0) + piped;
  let escaped: FileHolder[] = [];
  if (capture) {
    escaped = fileHolders(capture.realPath, pid);
    capture.finish(escaped.length > 0);
  }

  const result: ProcessResult = {
    ...base('ok', ''),
    exitCode: exit.code,
    signal: exit.signal,
    durationMs,
    pid,
    outputBytes,
    output: ring.toString(),
    outputTruncated: ring.dropped > 0,
    sets: tap.sets,
    lastLine: tap.lastLine,
    captured: tap.captured,
  };
  delete result.message;
  if (opts.outputFile) result.outputFile = opts.outputFile;
  const secs = (ms: number): string => `${Math.round(ms / 100) / 10}s`;
  if (stopReason === 'cancelled') {
    result.status = 'cancelled';
    result.message = 'cancelled; the command and everything it started were stopped';
  } else if (stopReason === 'timeout') {
    result.status = 'timeout';
    result.message = `timed out after ${secs(opts.timeoutMs)}; the command and everything it started were stopped`;
  } else if (stopReason === 'output-limit') {
    result.status = 'output-limit';
    result.message = `stopped: the output passed the ${formatBytes(opts.maxOutputBytes)} limit${
      opts.outputFile ? '; the first part is in the output file' : ''
    }`;
  } else if (exit.code === 0) {
    result.status = 'ok';
  } else {
    result.status = 'failed';
    const tool = missingToolFrom(exit.code, stderrTail.toString());
    if (tool) {
      result.missingTool = tool;
      result.message = missingToolMessage(tool);
    } else
      result.message = exit.signal ? `killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
  }
  if (escaped.length)
    result.message = [
      result.message,
      `${escaped.map((h) => `${h.name || 'process'} (pid ${h.pid})`).join(', ')} left the command's process group and still writes to its output; what it writes from now on is not kept`,
    ]
      .filter(Boolean)
      .join('; ');
  const fileError = file?.error ?? capture?.error;
  if (fileError) result.message = [result.message, fileError].filter(Boolean).join('; ');
  if (result.message) result.message = opts.masker.mask(result.message);
  return result;
}

/**
 * A command that opens its own stdout by name (`tee /dev/stdout`, `curl -o /dev/stdout`) would,
 * with a file there, open the file afresh, truncate it and write over what is already in it; with
 * a pipe it works as in a terminal. Such commands keep the pipe.
 */
function opensStdoutByPath(req: SpawnRequest): boolean {
  const re = /\/dev\/stdout|\/dev\/fd\/1\b|\/proc\/self\/fd\/1\b/;
  return req.args.some((a) => re.test(a)) || (req.stdin !== undefined && re.test(req.stdin));
}

/**
 * The listener's view of a piece. Clean bytes are decoded here, while the block they lie in is
 * still theirs (it is reused for the next read); chunks are only made when someone listens
 * (ProcessOptions.wantsOutput), so output scrolling past unwatched is never turned into strings.
 */
function chunkOf(stream: 'stdout' | 'stderr', p: OutputPiece): OutputChunk {
  if (!p.bytes || !p.ascii) return { stream, text: p.text, spans: p.spans };
  return { stream, text: p.bytes.toString('latin1'), spans: p.spans };
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(n % (1 << 30) ? 1 : 0)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(n % (1 << 20) ? 1 : 0)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(n % (1 << 10) ? 1 : 0)} KB`;
  return `${n} bytes`;
}
