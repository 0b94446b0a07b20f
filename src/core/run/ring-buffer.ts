// The live view's memory of a run's output: the last `limit` characters, whatever the run prints.
// Pieces are strings, or ASCII bytes (one character per byte) copied into one circular store of
// `limit` bytes and decoded only when someone reads them: most of a large output scrolls past
// unread, so it is never turned into strings, and the pipe's buffers are not kept alive.
interface Bytes {
  /** Offset in the circular store; the piece may wrap around its end. */
  off: number;
  length: number;
}
type Piece = string | Bytes;

export class RingBuffer {
  private chunks: Piece[] = [];
  private size = 0;
  private store: Buffer | undefined;
  /** Where the next bytes go in the store. */
  private head = 0;
  /** Characters dropped from the front so far. */
  dropped = 0;

  constructor(readonly limit: number) {
    if (!(limit > 0)) throw new RangeError(`ring buffer limit must be positive, got ${limit}`);
  }

  push(text: string): void {
    if (!text) return;
    if (text.length >= this.limit) {
      this.clear();
      this.dropped += text.length - this.limit;
      text = text.slice(text.length - this.limit);
    } else this.makeRoom(text.length);
    this.chunks.push(text);
    this.size += text.length;
    // Many tiny chunks cost more than their text: join them now and then.
    if (this.chunks.length > 1024) this.chunks = [this.toString()];
  }

  /** Bytes known to be ASCII (the caller checked). */
  pushAscii(bytes: Uint8Array): void {
    if (!bytes.length) return;
    if (bytes.length >= this.limit) {
      this.clear();
      this.dropped += bytes.length - this.limit;
      bytes = bytes.subarray(bytes.length - this.limit);
    } else this.makeRoom(bytes.length);
    const store = (this.store ??= Buffer.allocUnsafe(this.limit));
    // The live bytes in the store are at most limit - bytes.length: writing cannot overwrite them.
    const off = this.head;
    const first = Math.min(bytes.length, store.length - off);
    store.set(bytes.subarray(0, first), off);
    if (first < bytes.length) store.set(bytes.subarray(first), 0);
    this.head = (off + bytes.length) % store.length;
    const last = this.chunks[this.chunks.length - 1];
    // Consecutive byte pieces are one piece.
    if (last !== undefined && typeof last !== 'string' && (last.off + last.length) % store.length === off)
      last.length += bytes.length;
    else this.chunks.push({ off, length: bytes.length });
    this.size += bytes.length;
    if (this.chunks.length > 1024) this.chunks = [this.toString()];
  }

  get length(): number {
    return this.size;
  }

  toString(): string {
    const first = this.chunks[0];
    if (this.chunks.length === 1 && typeof first === 'string') return first;
    const text = this.chunks.map((c) => (typeof c === 'string' ? c : this.decode(c))).join('');
    this.chunks = text ? [text] : [];
    return text;
  }

  private decode(b: Bytes): string {
    const store = this.store!;
    const end = b.off + b.length;
    if (end <= store.length) return store.toString('latin1', b.off, end);
    return store.toString('latin1', b.off) + store.toString('latin1', 0, end - store.length);
  }

  /** Drops from the front until `n` more characters fit. */
  private makeRoom(n: number): void {
    while (this.size + n > this.limit) {
      const first = this.chunks[0]!;
      const excess = this.size + n - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        if (typeof first === 'string') this.chunks[0] = first.slice(excess);
        else {
          first.off = (first.off + excess) % this.store!.length;
          first.length -= excess;
        }
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  private clear(): void {
    this.dropped += this.size;
    this.chunks = [];
    this.size = 0;
  }
}
