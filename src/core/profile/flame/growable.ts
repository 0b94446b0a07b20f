// Append-only typed-array columns that double when full: the importers never know the final size
// up front, and a plain JS array of numbers costs several times the memory.
type TypedArray = Int32Array | Float64Array | Uint16Array;
type TypedCtor<T extends TypedArray> = { new (length: number): T };

export class Growable<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly ctor: TypedCtor<T>,
    initial = 1024,
  ) {
    this.data = new ctor(initial);
  }

  push(v: number): number {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  add(i: number, v: number): void {
    (this.data[i] as number) += v;
  }

  /** Direct access to the backing array (valid up to `length`) for hot loops. */
  get raw(): T {
    return this.data;
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new this.ctor(cap);
    next.set(this.data);
    this.data = next;
  }

  /** A right-sized copy of the first `length` entries. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export const int32s = (initial?: number): Growable<Int32Array> => new Growable(Int32Array, initial);
export const float64s = (initial?: number): Growable<Float64Array> => new Growable(Float64Array, initial);
export const uint16s = (initial?: number): Growable<Uint16Array> => new Growable(Uint16Array, initial);
