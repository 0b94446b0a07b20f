// Append-only typed arrays: the object graph of a big dump is tens of millions of numbers, which as
// plain JS arrays would cost several times the memory and defeat the object cap.

export class F64Vec {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = x;
  }
  grow(min: number): void {
    const next = new Float64Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** A right-sized copy (the vector's buffer is usually up to twice too big). */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

export class I32Vec {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = x;
  }
  grow(min: number): void {
    const next = new Int32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export class U32Vec {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = x;
  }
  grow(min: number): void {
    const next = new Uint32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}
