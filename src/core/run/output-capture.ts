// File-first capture of a command's stdout. The child writes its stdout straight into the output
// file (the kernel does the copying, as with `cmd > file`), and the runner reads that file as it
// grows to feed the live view, the ring buffer, masking and `::set` lines. A pipe into Node costs
// more than the whole `cat > file` on the 2-core bench machine (64 KB reads, a context switch
// each); reading the page cache in 1 MB blocks costs a fraction of it, on the other core.
//
// The stored file must hold what was shown: masked, without escape sequences, stderr in order. As
// long as everything the pipeline released was the raw bytes themselves (the fast path of
// output-pipe.ts, nothing from stderr), the raw file *is* the stored file and nothing is copied.
// The first piece that differs (a masked secret, a colour code, a stderr line) makes the capture
// diverge: the clean prefix is copied into a second file, which receives everything from then on
// and replaces the raw file at the end. The raw file never outlives the run: it is truncated to
// what was released, or replaced, and a crash leaves it to the orphan cleanup (orphans.ts).
import {
  close,
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  realpathSync,
  readSync,
  renameSync,
  rmSync,
  statfsSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { OutputFile } from './output-file';

/** Size of one read from the raw file. */
const BLOCK = 1 << 20;
/** Read at most this much per turn of the event loop before yielding. */
const TURN = 8 << 20;
/** Polling backs off up to this while the file does not grow. */
const MAX_IDLE_MS = 50;

/** Free space kept beyond a command's whole allowed output before stdout may go to a file. */
const RESERVE = 64 << 20;

/**
 * Whether the file system holding `dir` has room for a command's output. With the file on a full
 * disk, the *command* would fail (`write error: No space left on device`), and on-call
 * diagnostics run exactly when disks fill up; through a pipe only the stored copy is lost, and the
 * runner says so. Checked before each command (one statfs call); unknown means no.
 */
export function roomForCapture(
  dir: string,
  maxOutputBytes: number,
  statfs: (path: string) => { bavail: number; bsize: number } = statfsSync,
): boolean {
  let at = dir;
  for (;;) {
    try {
      const s = statfs(at);
      return s.bavail * s.bsize >= Math.min(maxOutputBytes, 1 << 30) + RESERVE;
    } catch (err) {
      const parent = dirname(at);
      // The history folder may not exist yet: ask about the nearest folder that does.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) return false;
      at = parent;
    }
  }
}

export class OutputCapture {
  /** Give this to the child as its stdout; closed here once the child has it (closeChildFd). */
  childFd: number | undefined;
  private readFd: number | undefined;
  /** Raw bytes read so far (the read position in the raw file). */
  private pos = 0;
  /** Raw bytes passed on unchanged while not diverged. */
  private cleanPrefix = 0;
  private clean: OutputFile | undefined;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private delay = 0;
  private tailing = false;
  private limitBytes = Infinity;
  /** `path` with symbolic links resolved, as /proc shows it (fd-holders.ts). */
  realPath: string;
  /** Set when the raw file could not be created, read or replaced. */
  error: string | undefined;

  constructor(readonly path: string) {
    this.realPath = path;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.childFd = openSync(path, 'w', 0o600);
      // Read and write: the end is trimmed through it (finish).
      this.readFd = openSync(path, 'r+');
      this.realPath = realpathSync(path);
    } catch (err) {
      this.error = `could not create the output file: ${(err as Error).message}`;
      this.closeFds();
    }
  }

  get ok(): boolean {
    return this.childFd !== undefined && this.readFd !== undefined;
  }

  get diverged(): boolean {
    return this.clean !== undefined;
  }

  /** Raw stdout bytes the child has written so far. */
  rawSize(): number {
    if (this.readFd === undefined) return this.pos;
    try {
      return fstatSync(this.readFd).size;
    } catch {
      return this.pos;
    }
  }

  /** The child has its own copy of the descriptor now (or failed to start). */
  closeChildFd(): void {
    if (this.childFd === undefined) return;
    try {
      closeSync(this.childFd);
    } catch {
      // Nothing written through it here.
    }
    this.childFd = undefined;
  }

  /**
   * Starts reading the file as it grows. `onData` gets every new block, in order, never more than
   * `limit` bytes in all; `onGrow` is told the raw size each turn (to stop a runaway command early).
   */
  tail(onData: (b: Buffer) => void, limit: number, onGrow: (rawSize: number) => void): void {
    this.limitBytes = limit;
    this.tailing = true;
    const turn = (): void => {
      this.timer = undefined;
      this.immediate = undefined;
      if (!this.tailing) return;
      onGrow(this.rawSize());
      const n = this.readUpTo(onData, TURN);
      if (!this.tailing) return;
      if (n > 0) {
        this.delay = 0;
        this.immediate = setImmediate(turn);
      } else {
        this.delay = Math.min(MAX_IDLE_MS, Math.max(2, this.delay * 2));
        this.timer = setTimeout(turn, this.delay);
      }
    };
    this.onData = onData;
    turn();
  }

  private onData: ((b: Buffer) => void) | undefined;
  private block: Buffer | undefined;

  /** Reads everything written so far (up to the size seen now), synchronously. */
  catchUp(): void {
    if (!this.onData) return;
    const size = this.rawSize();
    if (size > this.pos) this.readUpTo(this.onData, size - this.pos);
  }

  /** Stops tailing; call catchUp() first to read the end. */
  stopTail(): void {
    this.tailing = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private readUpTo(onData: (b: Buffer) => void, max: number): number {
    if (this.readFd === undefined) return 0;
    let total = 0;
    // One block, reused: the pipeline copies whatever it keeps past onData (output-pipe.ts), and
    // a fresh megabyte per read cost more in page faults than the read itself.
    const buf = (this.block ??= Buffer.allocUnsafe(BLOCK));
    while (total < max && this.pos < this.limitBytes) {
      const want = Math.min(BLOCK, max - total, this.limitBytes - this.pos);
      let n: number;
      try {
        n = readSync(this.readFd, buf, 0, want, this.pos);
      } catch (err) {
        this.error = `could not read the output file: ${(err as Error).message}`;
        this.stopTail();
        return total;
      }
      if (n <= 0) break;
      this.pos += n;
      total += n;
      onData(n === buf.length ? buf : buf.subarray(0, n));
    }
    return total;
  }

  /**
   * A piece the pipeline released. While the file still equals the output, stdout's own bytes
   * (Buffers) are only counted, and so is slow-path text that came out unchanged (a word that
   * merely looked like a mask anchor); anything else, and anything from stderr, diverges.
   */
  store(piece: Buffer | string, fromStdout: boolean): void {
    if (!this.clean) {
      if (fromStdout && typeof piece !== 'string') {
        this.cleanPrefix += piece.length;
        return;
      }
      if (fromStdout && this.rawEquals(piece as string)) return;
      this.diverge();
    }
    this.clean!.write(piece);
  }

  private scratch: Buffer | undefined;

  /** Whether the raw file continues with exactly this text; counts it when it does. */
  private rawEquals(text: string): boolean {
    if (this.readFd === undefined || text.length > BLOCK / 4) return false;
    const want = Buffer.from(text, 'utf8');
    const got = (this.scratch ??= Buffer.allocUnsafe(BLOCK));
    let n: number;
    try {
      n = readSync(this.readFd, got, 0, want.length, this.cleanPrefix);
    } catch {
      return false;
    }
    if (n !== want.length || !want.equals(got.subarray(0, n))) return false;
    this.cleanPrefix += n;
    return true;
  }

  /** From now on the output is written to a second file, starting with the clean prefix. */
  private diverge(): void {
    const clean = new OutputFile(`${this.path}.clean`);
    this.clean = clean;
    if (this.readFd === undefined || clean.error) return;
    const buf = Buffer.allocUnsafe(Math.min(BLOCK, Math.max(1, this.cleanPrefix)));
    try {
      for (let at = 0; at < this.cleanPrefix;) {
        const n = readSync(this.readFd, buf, 0, Math.min(buf.length, this.cleanPrefix - at), at);
        if (n <= 0) throw new Error('the output file ended early');
        clean.write(n === buf.length ? buf : buf.subarray(0, n));
        at += n;
      }
    } catch (err) {
      this.error = `could not copy the output file: ${(err as Error).message}`;
    }
  }

  /**
   * Called once at the end: leaves `path` holding exactly the stored output. `escaped` says a
   * process outside the command's group still holds the raw file: it must not keep writing into
   * what is kept, so the output is moved to a fresh file even when it was clean.
   */
  finish(escaped = false): void {
    this.stopTail();
    this.closeChildFd();
    if (escaped && !this.clean && this.readFd !== undefined) this.diverge();
    const clean = this.clean;
    if (clean) {
      clean.close();
      this.error ??= clean.error;
      try {
        // Replacing unlinks the raw file; an escaped writer keeps an unnamed file nobody reads.
        renameSync(clean.path, this.path);
      } catch (err) {
        this.error ??= `could not store the output file: ${(err as Error).message}`;
        rmSync(clean.path, { force: true });
      }
    } else if (this.readFd !== undefined) {
      try {
        // Whatever the pipeline did not release (past the output limit) is not kept.
        ftruncateSync(this.readFd, this.cleanPrefix);
      } catch (err) {
        this.error ??= `could not trim the output file: ${(err as Error).message}`;
      }
    }
    // The raw file, replaced, goes when its last descriptor closes; dropping a large file's pages
    // takes a while, so that close happens off the event loop.
    this.closeFds(clean !== undefined);
  }

  private closeFds(inBackground = false): void {
    for (const fd of [this.childFd, this.readFd])
      if (fd !== undefined)
        if (inBackground) close(fd, () => undefined);
        else
          try {
            closeSync(fd);
          } catch {
            // Already closed.
          }
    this.childFd = undefined;
    this.readFd = undefined;
  }
}
