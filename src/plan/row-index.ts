// The previous version's rows by key (64-bit key hash → row hash), for one diff: each row of the data now is
// added, changed or unchanged, and what was never visited was removed. Flat typed arrays: 2M rows in ~50 MB.

export type RowVerdict = 'added' | 'changed' | 'unchanged' | 'duplicate';

export interface RowCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export class RowIndex {
  /** Slot → previous row index + 1 (0: empty). */
  private readonly slots: Int32Array;
  /** Per previous row: 1 once a row of the data had its key. */
  private readonly seen: Uint8Array;
  /** Keys of the data that the previous version did not have, to tell a repeated new key (grows). */
  private fresh: Int32Array;
  private freshKeys: Uint32Array;
  private freshCount = 0;
  readonly counts: RowCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };

  /** `keys` and `rows`: the previous rows' key and row hashes, two 32-bit halves each. */
  constructor(
    private readonly keys: Uint32Array,
    private readonly rows: Uint32Array,
  ) {
    const n = keys.length / 2;
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, n * 2)));
    this.slots = new Int32Array(size);
    this.seen = new Uint8Array(n);
    this.fresh = new Int32Array(1024);
    this.freshKeys = new Uint32Array(1024);
    for (let i = 0; i < n; i += 1) {
      const slot = find(this.slots, keys, keys[i * 2] as number, keys[i * 2 + 1] as number);
      this.slots[slot] = i + 1; // a key the previous version held twice keeps its first row
    }
    this.counts.removed = n;
  }

  /** The previous row with this key, or -1 (status --rows looks profiles up by key). */
  indexOf(keyHi: number, keyLo: number): number {
    return (this.slots[find(this.slots, this.keys, keyHi, keyLo)] as number) - 1;
  }

  /** One row of the data now: its key hash and its row hash. */
  visit(keyHi: number, keyLo: number, rowHi: number, rowLo: number): RowVerdict {
    const index = this.slots[find(this.slots, this.keys, keyHi, keyLo)] as number;
    if (index === 0) return this.addFresh(keyHi, keyLo);
    const previous = index - 1;
    if (this.seen[previous]) return 'duplicate';
    this.seen[previous] = 1;
    this.counts.removed -= 1;
    const same = this.rows[previous * 2] === rowHi >>> 0 && this.rows[previous * 2 + 1] === rowLo >>> 0;
    this.counts[same ? 'unchanged' : 'changed'] += 1;
    return same ? 'unchanged' : 'changed';
  }

  /** Previous rows whose key the data no longer has, by index, in their order. */
  removedRows(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.seen.length; i += 1) if (!this.seen[i]) out.push(i);
    return out;
  }

  private addFresh(keyHi: number, keyLo: number): RowVerdict {
    const slot = find(this.fresh, this.freshKeys, keyHi, keyLo);
    if (this.fresh[slot] !== 0) return 'duplicate';
    if (this.freshCount * 2 + 2 > this.freshKeys.length) this.growFresh();
    this.freshKeys[this.freshCount * 2] = keyHi;
    this.freshKeys[this.freshCount * 2 + 1] = keyLo;
    this.freshCount += 1;
    this.fresh[find(this.fresh, this.freshKeys, keyHi, keyLo)] = this.freshCount;
    this.counts.added += 1;
    return 'added';
  }

  /** Twice the room: the keys keep their numbers, the slots are laid out again. */
  private growFresh(): void {
    const keys = new Uint32Array(this.freshKeys.length * 2);
    keys.set(this.freshKeys);
    this.freshKeys = keys;
    this.fresh = new Int32Array(this.fresh.length * 2);
    for (let i = 0; i < this.freshCount; i += 1) {
      this.fresh[find(this.fresh, keys, keys[i * 2] as number, keys[i * 2 + 1] as number)] = i + 1;
    }
  }
}

/** The slot holding this key, or the empty one where it would go (linear probing; slots hold index + 1). */
function find(slots: Int32Array, keys: Uint32Array, hi: number, lo: number): number {
  const mask = slots.length - 1;
  let slot = Math.imul(hi ^ lo, 0x9e3779b1) >>> (Math.clz32(slots.length) + 1); // Fibonacci hashing: the high bits
  for (;;) {
    const at = slots[slot] as number;
    if (at === 0) return slot;
    if (keys[(at - 1) * 2] === hi >>> 0 && keys[(at - 1) * 2 + 1] === lo >>> 0) return slot;
    slot = (slot + 1) & mask;
  }
}
