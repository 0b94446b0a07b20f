// The live view's memory of a run's output: the last `limit` characters, whatever the run prints.
export class RingBuffer {
  private chunks: string[] = [];
  private size = 0;
  /** Characters dropped from the front so far. */
  dropped = 0;

  constructor(readonly limit: number) {
    if (!(limit > 0)) throw new RangeError(`ring buffer limit must be positive, got ${limit}`);
  }

  push(text: string): void {
    if (!text) return;
    if (text.length >= this.limit) {
      this.dropped += this.size + text.length - this.limit;
      this.chunks = [text.slice(text.length - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.limit) {
      const first = this.chunks[0]!;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
    // Many tiny chunks cost more than their text: join them now and then.
    if (this.chunks.length > 1024) this.chunks = [this.chunks.join('')];
  }

  get length(): number {
    return this.size;
  }

  toString(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }
}
