// A file as a stream of Buffers, gunzipped on the fly when its content (not its name) is gzip.
// Chunks are bounded, so no importer ever holds the whole file.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HeapFormatError } from './model';

export interface FileChunks {
  /** Size of the file on disk. */
  fileBytes: number;
  gzip: boolean;
  chunks: AsyncIterable<Buffer>;
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytesRead(): number;
}

export const CHUNK_BYTES = 1 << 20;

export async function openFileChunks(path: string, signal?: AbortSignal): Promise<FileChunks> {
  let fileBytes: number;
  let head: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new HeapFormatError(`${path} is not a file`);
    fileBytes = st.size;
    const fh = await open(path, 'r');
    try {
      head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof HeapFormatError) throw err;
    throw new HeapFormatError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const gzip = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal });
  let source: AsyncIterable<Buffer> = raw;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    pipeline(raw, gunzip, () => undefined);
    source = gunzip;
  }
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source) {
        signal?.throwIfAborted();
        yield chunk;
      }
    } catch (err) {
      if (signal?.aborted || (err as Error).name === 'AbortError') throw err;
      if (gzip)
        throw new HeapFormatError(
          `gzip data is truncated or corrupt after ${raw.bytesRead} of ${fileBytes} compressed bytes: ${(err as Error).message}`,
        );
      throw new HeapFormatError(`cannot read ${path}: ${(err as Error).message}`);
    } finally {
      raw.destroy();
    }
  }
  return { fileBytes, gzip, chunks: chunks(), bytesRead: () => raw.bytesRead };
}
