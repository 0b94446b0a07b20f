// Object id (an address, up to 2^53) -> object index, as an open-addressing hash over one typed array:
// a JS Map of tens of millions of entries costs several times the memory and time. Key and value sit
// side by side so a lookup touches one cache line: the table is far bigger than any cache.

export class IdIndex {
  /** [key, value] pairs; value -1 marks an empty slot. */
  private readonly table: Float64Array;
  private readonly mask: number;

  /** Indexes ids[0..count); a repeated id keeps its first index. */
  constructor(ids: Float64Array, count = ids.length) {
    let cap = 16;
    while (cap < count * 2) cap *= 2;
    this.table = new Float64Array(cap * 2);
    for (let s = 1; s < this.table.length; s += 2) this.table[s] = -1;
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
    const t = this.table;
    let s = this.slot(id);
    for (;;) {
      const v = t[2 * s + 1]!;
      if (v === -1) {
        t[2 * s] = id;
        t[2 * s + 1] = index;
        return;
      }
      if (t[2 * s] === id) return;
      s = (s + 1) & this.mask;
    }
  }

  /** The index of id, or -1. */
  get(id: number): number {
    const t = this.table;
    let s = this.slot(id);
    for (;;) {
      const v = t[2 * s + 1]!;
      if (v === -1 || t[2 * s] === id) return v;
      s = (s + 1) & this.mask;
    }
  }
}
