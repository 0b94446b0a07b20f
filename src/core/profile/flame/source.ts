// Opens a profile as a stream of byte chunks: from a path (read in 1 MB chunks, never whole) or
// from bytes already in memory, gunzipped on the fly when the content starts with the gzip magic.
// The first bytes are kept aside (the "head") so format detection can look before importing.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ProfileError, formatBytes } from './errors';

export type ProfileSource = { path: string } | { bytes: Uint8Array; name?: string };

export interface ImportProgress {
  /** Bytes of the file (compressed, when it is gzipped) consumed so far. */
  bytesRead: number;
  /** File size when known. */
  totalBytes?: number;
}

export interface SourceOptions {
  /** Limit on decoded (decompressed) bytes. */
  maxBytes: number;
  onProgress?: ((p: ImportProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

const CHUNK = 1 << 20;
const HEAD = 256 * 1024;
const PROGRESS_EVERY = 8 * CHUNK;

export interface OpenedSource {
  /** Display name: the file's base name, or the name given with bytes. */
  readonly name: string;
  readonly gzip: boolean;
  /** Size of the file (compressed size when gzipped), when known. */
  readonly size?: number;
  /** The first decoded bytes (up to 256 KB); `complete` when that is the whole content. */
  readonly head: Buffer;
  readonly complete: boolean;
  /** Every decoded chunk from the start, head included. Can be iterated once. */
  chunks(): AsyncGenerator<Buffer>;
}

export async function openSource(src: ProfileSource, opts: SourceOptions): Promise<OpenedSource> {
  let size: number | undefined;
  let name: string;
  if ('path' in src) {
    name = basename(src.path);
    try {
      const st = await stat(src.path);
      if (st.isDirectory()) throw new ProfileError('unreadable', `${src.path} is a directory`);
      size = st.size;
    } catch (err) {
      throw readError(err, src.path);
    }
  } else {
    name = src.name ?? 'profile';
    size = src.bytes.byteLength;
  }
  let read = 0;
  let reported = 0;
  async function* raw(): AsyncGenerator<Buffer> {
    if ('path' in src) {
      const stream = createReadStream(src.path, { highWaterMark: CHUNK });
      try {
        for await (const c of stream as AsyncIterable<Buffer>) yield counted(c);
      } catch (err) {
        throw readError(err, src.path);
      } finally {
        stream.destroy();
      }
    } else {
      const b = src.bytes;
      for (let i = 0; i < b.byteLength; i += CHUNK)
        yield counted(Buffer.from(b.buffer, b.byteOffset + i, Math.min(CHUNK, b.byteLength - i)));
    }
  }
  function counted(c: Buffer): Buffer {
    if (opts.signal?.aborted) throw new ProfileError('aborted', 'import cancelled');
    read += c.byteLength;
    if (opts.onProgress && (read - reported >= PROGRESS_EVERY || read === size)) {
      reported = read;
      opts.onProgress(size !== undefined ? { bytesRead: read, totalBytes: size } : { bytesRead: read });
    }
    return c;
  }

  const rawIt = raw();
  const first = await rawIt.next();
  const firstChunk = first.done ? Buffer.alloc(0) : first.value;
  const gzip = firstChunk.length >= 2 && firstChunk[0] === 0x1f && firstChunk[1] === 0x8b;
  async function* rawAll(): AsyncGenerator<Buffer> {
    if (!first.done) yield firstChunk;
    yield* rawIt;
  }
  const decoded = gzip ? gunzip(rawAll()) : rawAll();
  // Decoded chunks read ahead for the head, replayed first by chunks().
  const buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let ended = false;
  while (bufferedBytes < HEAD) {
    const r = await decoded.next();
    if (r.done) {
      ended = true;
      break;
    }
    buffered.push(r.value);
    bufferedBytes += r.value.length;
  }
  const joined = Buffer.concat(buffered);
  const head = joined.subarray(0, HEAD);
  let used = false;
  return {
    name,
    gzip,
    ...(size !== undefined ? { size } : {}),
    head,
    complete: ended && joined.length <= HEAD,
    async *chunks() {
      if (used) throw new Error('profile source read twice');
      used = true;
      let total = 0;
      const limit = (c: Buffer): Buffer => {
        total += c.length;
        if (total > opts.maxBytes)
          throw new ProfileError(
            'too-large',
            `${name}: more than ${formatBytes(opts.maxBytes)} of ${gzip ? 'decompressed ' : ''}profile data (the import limit)`,
          );
        return c;
      };
      for (const c of buffered) yield limit(c);
      buffered.length = 0;
      if (!ended) for await (const c of decoded) yield limit(c);
    },
  };
}

async function* gunzip(input: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const gz = pipeline(
    Readable.from(input, { objectMode: false }),
    createGunzip({ chunkSize: CHUNK }),
    () => {},
  );
  try {
    for await (const c of gz as AsyncIterable<Buffer>) yield c;
  } catch (err) {
    if (err instanceof ProfileError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new ProfileError(
      'invalid',
      /unexpected end/i.test(msg)
        ? 'the gzip data is cut short (truncated file)'
        : `the gzip data is corrupt (${msg})`,
    );
  } finally {
    gz.destroy();
  }
}

function readError(err: unknown, path: string): ProfileError {
  if (err instanceof ProfileError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : err instanceof Error
            ? err.message
            : String(err);
  return new ProfileError('unreadable', `cannot read ${path}: ${why}`);
}

/** Reads every chunk into one buffer, refusing more than `limit` bytes (formats parsed whole). */
export async function readAll(src: OpenedSource, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of src.chunks()) {
    n += c.length;
    if (n > limit)
      throw new ProfileError(
        'too-large',
        `${src.name}: ${what} is parsed whole, and this one is larger than the ${formatBytes(limit)} limit`,
      );
    parts.push(c);
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, n);
}
