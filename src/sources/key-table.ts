// A bounded set of 53-bit key hashes (open addressing over typed arrays): duplicate detection in flat memory.

const EMPTY_HI = 0;
/** 2^22 slots * 8 bytes = 32 MiB at most per file; beyond ~3M distinct keys tracking stops. */
const MAX_SLOTS = 1 << 22;

export class KeyHashTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private size = 0;
  /** True once the table is full and duplicates are no longer tracked. */
  overflowed = false;

  constructor(initialSlots = 1 << 15) {
    this.hi = new Uint32Array(initialSlots);
    this.lo = new Uint32Array(initialSlots);
  }

  /** Adds the hash; returns true when it was already present. */
  add(h1: number, h2: number): boolean {
    if (this.overflowed) return false;
    const hi = (h1 | 1) >>> 0; // never 0, so 0 marks an empty slot
    const lo = h2 >>> 0;
    const mask = this.hi.length - 1;
    let slot = lo & mask;
    for (;;) {
      const cur = this.hi[slot];
      if (cur === EMPTY_HI) break;
      if (cur === hi && this.lo[slot] === lo) return true;
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.size += 1;
    if (this.size * 4 > this.hi.length * 3) this.grow();
    return false;
  }

  private grow(): void {
    if (this.hi.length >= MAX_SLOTS) {
      this.overflowed = true;
      return;
    }
    const oldHi = this.hi;
    const oldLo = this.lo;
    this.hi = new Uint32Array(oldHi.length * 2);
    this.lo = new Uint32Array(oldHi.length * 2);
    const mask = this.hi.length - 1;
    for (let i = 0; i < oldHi.length; i += 1) {
      const h = oldHi[i] ?? 0;
      if (h === EMPTY_HI) continue;
      const l = oldLo[i] ?? 0;
      let slot = l & mask;
      while (this.hi[slot] !== EMPTY_HI) slot = (slot + 1) & mask;
      this.hi[slot] = h;
      this.lo[slot] = l;
    }
  }
}

/** The two halves of the last computed hash (no tuple allocated per row). */
export const lastHash = new Uint32Array(2);

/** Two independent 32-bit FNV-1a style hashes over byte ranges (joined by a separator), into lastHash. */
export function hashByteRanges(bytes: Uint8Array, ranges: Int32Array, count: number): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let r = 0; r < count; r += 1) {
    const start = ranges[r * 2] ?? 0;
    const end = ranges[r * 2 + 1] ?? 0;
    for (let i = start; i < end; i += 1) {
      const b = bytes[i] ?? 0;
      h1 = Math.imul(h1 ^ b, 0x01000193);
      h2 = Math.imul(h2 ^ b, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = Math.imul(h1 ^ 0xff, 0x01000193);
    h2 = Math.imul(h2 ^ 0xff, 0x5bd1e995);
  }
  lastHash[0] = h1;
  lastHash[1] = h2;
}

/** The same idea over strings (JSON keys), into lastHash. */
export function hashStrings(values: readonly string[]): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (const value of values) {
    for (let i = 0; i < value.length; i += 1) {
      const c = value.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = Math.imul(h1 ^ 0xffff, 0x01000193);
    h2 = Math.imul(h2 ^ 0xffff, 0x5bd1e995);
  }
  lastHash[0] = h1;
  lastHash[1] = h2;
}
