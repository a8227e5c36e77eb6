// The previous version's rows by key (64-bit key hash → row hash), for one diff: each row of the data now is
// added, changed or unchanged, and what was never visited was removed. Flat typed arrays: 2M rows in ~50 MB.
// RowMerge does the same without an index when the previous keys are unique (every snapshot of a row-keyed
// import): an export keeps its order, so each row is first compared with the next previous row.

export type RowVerdict = 'added' | 'changed' | 'unchanged' | 'duplicate';

export interface RowCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

/** A file's rows as the diff reads them: key and row hashes ([2i] high, [2i + 1] low), and per-row flags. */
export interface RowsToVisit {
  count: number;
  keys: Uint32Array;
  hashes: Uint32Array;
  states: Uint8Array;
}

/** What visitAll says of a row that is not unchanged: its verdict, 'pending', or 'blank' (a flag in `blank`). */
export type OnRowVerdict = (row: number, verdict: RowVerdict | 'pending' | 'blank') => void;

/** One diff: rows visited in the data's order; a verdict now, or 'pending' until settle() gives it. */
export interface RowDiffer {
  readonly counts: RowCounts;
  visit(keyHi: number, keyLo: number, rowHi: number, rowLo: number): RowVerdict | 'pending';
  /** visit() for each row of a file, in order; `blank`: the state bit of a row without a key (not visited). */
  visitAll(rows: RowsToVisit, blank: number, report: OnRowVerdict): void;
  /** The verdicts of the rows visit() left pending, in their order. */
  settle(): RowVerdict[];
  /** Previous rows whose key the data no longer has, by index, in their order. */
  removedRows(): number[];
}

/** Previous rows looked at past the next one for a key: a few rows removed in a run are skipped, not indexed. */
const LOOKAHEAD = 8;
/** Rows in a row out of order before every previous key is indexed to find the order again (a long run removed). */
const LOST_AFTER = 64;

export class RowMerge implements RowDiffer {
  private next = 0;
  private readonly seen: Uint8Array;
  /** Every previous key, made once the order is lost for LOST_AFTER rows in a row. */
  private all: KeyIndex | undefined;
  private missed = 0;
  private pending: Uint32Array = new Uint32Array(1024);
  private pendingCount = 0;
  readonly counts: RowCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };

  /** `keys` (unique) and `rows`: the previous rows' key and row hashes, two 32-bit halves each. */
  constructor(
    private readonly keys: Uint32Array,
    private readonly rows: Uint32Array,
  ) {
    this.seen = new Uint8Array(keys.length / 2);
    this.counts.removed = this.seen.length;
  }

  /** The rows in order first, without a call per row: an unchanged row in its place costs four compares. */
  visitAll(rows: RowsToVisit, blank: number, report: OnRowVerdict): void {
    const { keys, hashes, states } = rows;
    const previous = this.keys;
    const before = this.rows;
    const seen = this.seen;
    for (let i = 0; i < rows.count; i += 1) {
      if ((states[i] as number) & blank) {
        report(i, 'blank');
        continue;
      }
      const next = this.next;
      const hi = (keys[i * 2] as number) >>> 0;
      const lo = (keys[i * 2 + 1] as number) >>> 0;
      const rowHi = (hashes[i * 2] as number) >>> 0;
      const rowLo = (hashes[i * 2 + 1] as number) >>> 0;
      if (next < seen.length && previous[next * 2] === hi && previous[next * 2 + 1] === lo) {
        if (before[next * 2] === rowHi && before[next * 2 + 1] === rowLo) {
          seen[next] = 1;
          this.next = next + 1;
          this.counts.removed -= 1;
          this.counts.unchanged += 1;
          continue;
        }
      }
      const verdict = this.visit(hi, lo, rowHi, rowLo);
      if (verdict !== 'unchanged') report(i, verdict);
    }
  }

  visit(keyHi: number, keyLo: number, rowHi: number, rowLo: number): RowVerdict | 'pending' {
    const hi = keyHi >>> 0;
    const lo = keyLo >>> 0;
    const next = this.next;
    if (next < this.seen.length && this.keys[next * 2] === hi && this.keys[next * 2 + 1] === lo) {
      this.next = next + 1;
      return this.match(next, rowHi, rowLo);
    }
    const end = Math.min(this.seen.length, next + LOOKAHEAD + 1);
    for (let at = next + 1; at < end; at += 1) {
      if (this.keys[at * 2] !== hi || this.keys[at * 2 + 1] !== lo) continue;
      this.next = at + 1;
      this.missed = 0;
      return this.match(at, rowHi, rowLo);
    }
    this.missed += 1;
    if (this.missed >= LOST_AFTER && !this.all) {
      const ids = Array.from({ length: this.seen.length }, (_, i) => i);
      this.all = new KeyIndex(this.keys, 2, ids);
    }
    const at = this.all?.get(hi, lo) ?? -1;
    if (at >= 0 && !this.seen[at]) {
      if (at >= next) this.next = at + 1; // past a long run of removed rows: in order again from here
      this.missed = 0;
      return this.match(at, rowHi, rowLo);
    }
    if (this.pendingCount * 4 + 4 > this.pending.length) this.pending = grown(this.pending);
    this.pending.set([hi, lo, rowHi >>> 0, rowLo >>> 0], this.pendingCount * 4);
    this.pendingCount += 1;
    return 'pending';
  }

  /**
   * Rows out of order meet the previous rows nothing matched, through an index of those few; a pending key
   * also held by a row matched in order (or an earlier pending row) is a repeat.
   */
  settle(): RowVerdict[] {
    const count = this.pendingCount;
    if (count === 0) return [];
    const pending = this.pending;
    const unmatched: number[] = [];
    for (let i = 0; i < this.seen.length; i += 1) if (!this.seen[i]) unmatched.push(i);
    const before = new KeyIndex(this.keys, 2, unmatched);
    const mine = new KeyIndex(
      pending,
      4,
      Array.from({ length: count }, (_, i) => i),
    );
    const verdicts: RowVerdict[] = [];
    for (let i = 0; i < count; i += 1) {
      const hi = pending[i * 4] as number;
      const lo = pending[i * 4 + 1] as number;
      const at = before.get(hi, lo);
      if (mine.get(hi, lo) !== i) verdicts.push('duplicate');
      else if (at < 0) verdicts.push('added');
      else verdicts.push(this.match(at, pending[i * 4 + 2] as number, pending[i * 4 + 3] as number));
    }
    // a new key that a row matched in order has too: one pass over the previous keys finds it
    for (let at = 0; at < this.seen.length; at += 1) {
      if (!this.seen[at]) continue;
      const i = mine.get(this.keys[at * 2] as number, this.keys[at * 2 + 1] as number);
      if (i >= 0 && verdicts[i] === 'added') verdicts[i] = 'duplicate';
    }
    for (const verdict of verdicts) if (verdict === 'added') this.counts.added += 1;
    return verdicts;
  }

  removedRows(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.seen.length; i += 1) if (!this.seen[i]) out.push(i);
    return out;
  }

  private match(at: number, rowHi: number, rowLo: number): RowVerdict {
    this.seen[at] = 1;
    this.counts.removed -= 1;
    if (this.rows[at * 2] === rowHi >>> 0 && this.rows[at * 2 + 1] === rowLo >>> 0) {
      this.counts.unchanged += 1;
      return 'unchanged';
    }
    this.counts.changed += 1;
    return 'changed';
  }
}

export class RowIndex implements RowDiffer {
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
      if (this.slots[slot] === 0) this.slots[slot] = i + 1; // a key held twice keeps its first row
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

  visitAll(rows: RowsToVisit, blank: number, report: OnRowVerdict): void {
    const { keys, hashes, states } = rows;
    for (let i = 0; i < rows.count; i += 1) {
      const verdict =
        (states[i] as number) & blank
          ? 'blank'
          : this.visit(
              keys[i * 2] as number,
              keys[i * 2 + 1] as number,
              hashes[i * 2] as number,
              hashes[i * 2 + 1] as number,
            );
      if (verdict !== 'unchanged') report(i, verdict);
    }
  }

  settle(): RowVerdict[] {
    this.counts.removed = this.removedRows().length;
    return [];
  }

  /** A previous row whose key an earlier previous row repeats is not removed while that one was seen. */
  removedRows(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.seen.length; i += 1) {
      if (
        !this.seen[i] &&
        !this.seen[this.indexOf(this.keys[i * 2] as number, this.keys[i * 2 + 1] as number)]
      )
        out.push(i);
    }
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

/** The first of `ids` (entries of `keys`, `stride` numbers apart, the key first) with a key; a few rows' index. */
class KeyIndex {
  private readonly slots: Int32Array;

  constructor(
    private readonly keys: Uint32Array,
    private readonly stride: number,
    ids: readonly number[],
  ) {
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(Math.max(16, ids.length * 2))));
    for (const id of ids) {
      const slot = find(
        this.slots,
        keys,
        keys[id * stride] as number,
        keys[id * stride + 1] as number,
        stride,
      );
      if (this.slots[slot] === 0) this.slots[slot] = id + 1;
    }
  }

  get(hi: number, lo: number): number {
    return (this.slots[find(this.slots, this.keys, hi, lo, this.stride)] as number) - 1;
  }
}

/** The slot holding this key, or the empty one where it would go (linear probing; slots hold index + 1). */
function find(slots: Int32Array, keys: Uint32Array, hi: number, lo: number, stride = 2): number {
  const mask = slots.length - 1;
  // Fibonacci hashing (the high bits) of both halves mixed: keys alike in hi ^ lo still spread
  let slot = Math.imul(hi ^ Math.imul(lo, 0x85ebca6b), 0x9e3779b1) >>> (Math.clz32(slots.length) + 1);
  for (;;) {
    const at = slots[slot] as number;
    if (at === 0) return slot;
    if (keys[(at - 1) * stride] === hi >>> 0 && keys[(at - 1) * stride + 1] === lo >>> 0) return slot;
    slot = (slot + 1) & mask;
  }
}

function grown(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
