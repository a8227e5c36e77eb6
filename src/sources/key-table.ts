// A bounded map of 64-bit key hashes to the line of their first record (open addressing in one typed array):
// duplicate detection in flat memory. The hashes are key-identity.ts's.

const INITIAL_SLOTS = 1 << 15;
const STRIDE = 3;
/** Tables kept for reuse by the next file of this thread (fresh typed arrays cost page faults and GC). */
const spare: KeyHashTable[] = [];
/** 2^22 slots * 12 bytes = 48 MiB at most per file; beyond ~3M distinct keys tracking stops. */
const MAX_SLOTS = 1 << 22;

export class KeyHashTable {
  /** Slot i holds [hi, lo, line] at 3i (12 bytes: a probe nearly always reads one cache line); hi is never 0, so 0 marks an empty slot. */
  private slots: Uint32Array;
  private slotCount: number;
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
    this.slots = new Uint32Array(initialSlots * STRIDE);
    this.slotCount = initialSlots;
    this.shift = 32 - Math.log2(initialSlots);
  }

  /** Hands the table back for reuse (only small ones: a grown table is left to the GC). */
  release(): void {
    if (this.slots.length !== INITIAL_SLOTS * STRIDE || spare.length >= 4) return;
    if (this.size > 0) this.slots.fill(0);
    this.size = 0;
    this.overflowed = false;
    spare.push(this);
  }

  /** Adds the hash of the record on `line` (>= 1); returns the line of its first record when it was present, else 0. */
  add(h1: number, h2: number, line: number): number {
    if (this.overflowed) return 0;
    const hi = (h1 | 1) >>> 0;
    const lo = h2 >>> 0;
    const slots = this.slots;
    const mask = this.slotCount - 1;
    let slot = Math.imul(hi ^ lo, 0x9e3779b1) >>> this.shift; // Fibonacci hashing: the high bits mix best
    for (;;) {
      const at = slot * STRIDE;
      const cur = slots[at];
      if (cur === 0) break;
      if (cur === hi && slots[at + 1] === lo) return slots[at + 2] as number;
      slot = (slot + 1) & mask;
    }
    const at = slot * STRIDE;
    slots[at] = hi;
    slots[at + 1] = lo;
    slots[at + 2] = line;
    this.size += 1;
    if (this.size * 4 > this.slotCount * 3) this.grow();
    return 0;
  }

  /** Room for `keys` keys at once (a big file's estimate): no table built again and again as it fills. */
  reserve(keys: number): void {
    let slots = this.slotCount;
    while (slots < this.maxSlots && keys * 4 > slots * 3) slots *= 2;
    if (slots > this.slotCount) this.resize(slots);
  }

  private grow(): void {
    if (this.slotCount >= this.maxSlots) {
      this.overflowed = true;
      return;
    }
    this.resize(this.slotCount * 2);
  }

  private resize(slots: number): void {
    const old = this.slots;
    this.slots = new Uint32Array(slots * STRIDE);
    this.shift -= Math.log2(slots / this.slotCount);
    this.slotCount = slots;
    this.size = 0;
    for (let i = 0; i < old.length; i += STRIDE) {
      const hi = old[i] as number;
      if (hi !== 0) this.add(hi, old[i + 1] as number, old[i + 2] as number); // add() derives the slot again
    }
  }
}
