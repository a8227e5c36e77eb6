// A bounded set of 64-bit key hashes (open addressing in one typed array): duplicate detection in flat memory.

const INITIAL_SLOTS = 1 << 15;
/** Tables kept for reuse by the next file of this thread (fresh typed arrays cost page faults and GC). */
const spare: KeyHashTable[] = [];
/** 2^22 slots * 8 bytes = 32 MiB at most per file; beyond ~3M distinct keys tracking stops. */
const MAX_SLOTS = 1 << 22;

export class KeyHashTable {
  /** Slot i holds [hi, lo] at 2i, 2i+1 (one cache line per probe); hi is never 0, so 0 marks an empty slot. */
  private slots: Uint32Array;
  private shift: number;
  private size = 0;
  /** True once the table is full and duplicates are no longer tracked. */
  overflowed = false;

  /** A cleared table, reused when one is spare. */
  static acquire(): KeyHashTable {
    return spare.pop() ?? new KeyHashTable(INITIAL_SLOTS);
  }

  constructor(
    initialSlots: number,
    private readonly maxSlots = MAX_SLOTS,
  ) {
    this.slots = new Uint32Array(initialSlots * 2);
    this.shift = 32 - Math.log2(initialSlots);
  }

  /** Hands the table back for reuse (only small ones: a grown table is left to the GC). */
  release(): void {
    if (this.slots.length !== INITIAL_SLOTS * 2 || spare.length >= 4) return;
    if (this.size > 0) this.slots.fill(0);
    this.size = 0;
    this.overflowed = false;
    spare.push(this);
  }

  /** Adds the hash; returns true when it was already present. */
  add(h1: number, h2: number): boolean {
    if (this.overflowed) return false;
    const hi = (h1 | 1) >>> 0;
    const lo = h2 >>> 0;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let slot = Math.imul(hi ^ lo, 0x9e3779b1) >>> this.shift; // Fibonacci hashing: the high bits mix best
    for (;;) {
      const cur = slots[slot * 2];
      if (cur === 0) break;
      if (cur === hi && slots[slot * 2 + 1] === lo) return true;
      slot = (slot + 1) & mask;
    }
    slots[slot * 2] = hi;
    slots[slot * 2 + 1] = lo;
    this.size += 1;
    if (this.size * 4 > (slots.length >>> 1) * 3) this.grow();
    return false;
  }

  private grow(): void {
    const count = this.slots.length >>> 1;
    if (count >= this.maxSlots) {
      this.overflowed = true;
      return;
    }
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.shift -= 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i] as number;
      if (hi !== 0) this.add(hi, old[i + 1] as number); // add() derives the slot from the stored halves
    }
  }
}

/** The two halves of the last computed hash (no tuple allocated per row). */
export const lastHash = new Uint32Array(2);

/**
 * Hashes the key byte ranges into lastHash: two xor-multiply (FNV-1a style) hashes with different primes, 64 bits,
 * fed 16-bit units (two bytes a multiply: half the dependent multiply chain of byte-at-a-time, ~30% faster). A
 * range ends with a unit above 0xffff that also says whether one byte was left over, so the unit sequence
 * identifies the ranges: ("ab","c") and ("a","bc") differ. (A cheaper second half, the sum of the first one's
 * states, gave a false duplicate among 3M keys; a multiply per 4-byte word made one half collide 60x too often.)
 * Returns false when every byte is a space or tab: a blank key. (A DataView feeding 4 bytes a step measured slower.)
 */
export function hashKeyRanges(bytes: Uint8Array, ranges: Int32Array, count: number): boolean {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let filled = false;
  for (let r = 0; r < count; r += 1) {
    const start = ranges[r * 2] as number;
    const end = ranges[r * 2 + 1] as number;
    if (!filled) filled = !isBlank(bytes, start, end); // usually settled by the first byte
    let i = start;
    for (; i + 2 <= end; i += 2) {
      const unit = (bytes[i] as number) | ((bytes[i + 1] as number) << 8);
      h1 = Math.imul(h1 ^ unit, 0x01000193);
      h2 = Math.imul(h2 ^ unit, 0x5bd1e995);
    }
    const last = i < end ? (bytes[i] as number) | 0x1ff00 : 0x2ffff;
    h1 = Math.imul(h1 ^ last, 0x01000193);
    h2 = Math.imul(h2 ^ last, 0x5bd1e995);
  }
  lastHash[0] = h1;
  lastHash[1] = h2;
  return filled;
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const b = bytes[i] as number;
    if (b !== 0x20 && b !== 0x09) return false;
  }
  return true;
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
