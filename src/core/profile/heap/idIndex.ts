// Object id (an address, up to 2^53) -> object index, as an open-addressing hash over typed arrays:
// a JS Map of tens of millions of entries costs several times the memory and time.

export class IdIndex {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  /** Indexes ids[0..count); a repeated id keeps its first index. */
  constructor(ids: Float64Array, count = ids.length) {
    let cap = 16;
    while (cap < count * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.values = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let i = 0; i < count; i++) this.insert(ids[i]!, i);
  }

  private slot(id: number): number {
    const lo = id >>> 0;
    const hi = (id / 4294967296) >>> 0;
    // Addresses are 8-byte aligned: drop the always-zero low bits before mixing.
    let h = Math.imul((lo >>> 3) ^ (lo << 29) ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 15;
    return h & this.mask;
  }

  private insert(id: number, index: number): void {
    let s = this.slot(id);
    for (;;) {
      if (this.values[s] === -1) {
        this.keys[s] = id;
        this.values[s] = index;
        return;
      }
      if (this.keys[s] === id) return;
      s = (s + 1) & this.mask;
    }
  }

  /** The index of id, or -1. */
  get(id: number): number {
    let s = this.slot(id);
    for (;;) {
      const v = this.values[s]!;
      if (v === -1 || this.keys[s] === id) return v;
      s = (s + 1) & this.mask;
    }
  }
}
