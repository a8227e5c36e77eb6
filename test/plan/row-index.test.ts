// The row index: a row of the data now is added, changed, unchanged or a repeat; what is never visited was removed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RowDiffer, RowIndex, RowMerge, type RowVerdict } from '../../src/plan/row-index.js';

/** Key i hashes to (i, 7i); its row hash is (i, version). */
function previous(n: number, version = 1): RowIndex {
  const keys = new Uint32Array(n * 2);
  const rows = new Uint32Array(n * 2);
  for (let i = 0; i < n; i += 1) {
    keys.set([i, i * 7], i * 2);
    rows.set([i, version], i * 2);
  }
  return new RowIndex(keys, rows);
}

describe('RowIndex', () => {
  it('sorts each row of the data and counts what was removed', () => {
    const index = previous(5);
    assert.equal(index.visit(0, 0, 0, 1), 'unchanged');
    assert.equal(index.visit(1, 7, 1, 2), 'changed');
    assert.equal(index.visit(9, 63, 9, 1), 'added');
    assert.equal(index.visit(2, 14, 2, 1), 'unchanged');
    assert.deepEqual(index.counts, { added: 1, changed: 1, removed: 2, unchanged: 2 });
    assert.deepEqual(index.removedRows(), [3, 4]);
  });

  it('tells a key the data holds twice, old or new', () => {
    const index = previous(2);
    assert.equal(index.visit(0, 0, 0, 1), 'unchanged');
    assert.equal(index.visit(0, 0, 0, 5), 'duplicate');
    assert.equal(index.visit(50, 1, 0, 0), 'added');
    assert.equal(index.visit(50, 1, 0, 0), 'duplicate');
    assert.deepEqual(index.counts, { added: 1, changed: 0, removed: 1, unchanged: 1 });
  });

  it('holds far more new keys than the previous version had, and an empty previous version', () => {
    const index = previous(0);
    for (let i = 0; i < 100_000; i += 1) assert.equal(index.visit(i, ~i, 1, 1), 'added');
    assert.equal(index.visit(77, ~77, 1, 1), 'duplicate');
    assert.deepEqual(index.counts, { added: 100_000, changed: 0, removed: 0, unchanged: 0 });
  });

  it('keeps hashes whose high bit is set apart (unsigned compare)', () => {
    const keys = Uint32Array.of(0x80000000, 0xffffffff);
    const index = new RowIndex(keys, Uint32Array.of(0xdeadbeef, 0xcafebabe));
    assert.equal(index.visit(0x80000000 | 0, 0xffffffff | 0, 0xdeadbeef | 0, 0xcafebabe | 0), 'unchanged');
  });

  it('does not list a repeated previous key as removed while the data still has it', () => {
    // previous keys [A, A, B] (A twice, each half above 2^31); the data has A only
    const keys = Uint32Array.of(0x80000001, 0x90000000, 0x80000001, 0x90000000, 0xa0000000, 0xb0000000);
    // both copies of A have the same row hash: which copy the index keeps does not change the verdict
    const rows = Uint32Array.of(0xc0000000, 0xe0000001, 0xc0000000, 0xe0000001, 0xd0000000, 3);
    const index = new RowIndex(keys, rows);
    assert.equal(index.visit(0x80000001 | 0, 0x90000000 | 0, 0xc0000000 | 0, 0xe0000001 | 0), 'unchanged');
    assert.equal(index.visit(0x80000001 | 0, 0x90000000 | 0, 0xc0000000 | 0, 0xe0000001 | 0), 'duplicate');
    assert.deepEqual(index.removedRows(), [2]);
    assert.deepEqual(index.settle(), []);
    assert.equal(index.counts.removed, index.removedRows().length);
    assert.deepEqual(index.counts, { added: 0, changed: 0, removed: 1, unchanged: 1 });
    // with A gone too, both copies of A are removed
    const none = new RowIndex(keys, rows);
    assert.equal(none.visit(0xa0000000 | 0, 0xb0000000 | 0, 0xd0000000 | 0, 3), 'unchanged');
    none.settle();
    assert.deepEqual(none.removedRows(), [0, 1]);
    assert.equal(none.counts.removed, 2);
  });
});

/** Key i of the RowMerge tests: both halves above 2^31 for most i, so the unsigned compare is exercised. */
function keyOf(i: number): [number, number] {
  return [(0x80000000 + i) >>> 0, Math.imul(i + 1, 0x9e3779b1) >>> 0];
}

/** Previous rows 0..n-1 (keys keyOf(i), row hash (0xf0000000 + i, version)) as the two flat arrays. */
function previousArrays(n: number, version = 1): { keys: Uint32Array; rows: Uint32Array } {
  const keys = new Uint32Array(n * 2);
  const rows = new Uint32Array(n * 2);
  for (let i = 0; i < n; i += 1) {
    keys.set(keyOf(i), i * 2);
    rows.set([(0xf0000000 + i) >>> 0, version], i * 2);
  }
  return { keys, rows };
}

/** A row of the data: previous key i with row hash version (1 is the previous one); i ≥ 1e6 is a new key. */
type DataRow = [i: number, version: number];

/** Visits the rows (the halves passed as signed ints, as the scanner does); pending ones filled in by settle(). */
function diff(
  differ: RowDiffer,
  data: readonly DataRow[],
): { atOnce: Array<RowVerdict | 'pending'>; verdicts: RowVerdict[] } {
  const atOnce = data.map(([i, version]) => {
    const [hi, lo] = keyOf(i);
    return differ.visit(hi | 0, lo | 0, (0xf0000000 + i) | 0, version | 0);
  });
  const settled = differ.settle();
  assert.equal(settled.length, atOnce.filter((v) => v === 'pending').length, 'one verdict per pending row');
  let n = 0;
  const verdicts = atOnce.map((v) => (v === 'pending' ? (settled[n++] as RowVerdict) : v));
  return { atOnce, verdicts };
}

function merge(n: number): RowMerge {
  const { keys, rows } = previousArrays(n);
  return new RowMerge(keys, rows);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/** What each row must be when the data holds no key twice: by key, against the previous rows 0..n-1. */
function expected(n: number, data: readonly DataRow[]): RowVerdict[] {
  return data.map(([i, version]) => (i >= n ? 'added' : version === 1 ? 'unchanged' : 'changed'));
}

describe('RowMerge', () => {
  it('gives every row its verdict at once when the data keeps the previous order', () => {
    const differ = merge(20);
    const data: DataRow[] = range(0, 20).map((i) => [i, i % 3 === 0 ? 2 : 1]);
    const { atOnce, verdicts } = diff(differ, data);
    assert.deepEqual(atOnce, expected(20, data));
    assert.deepEqual(verdicts, expected(20, data));
    assert.deepEqual(differ.counts, { added: 0, changed: 7, removed: 0, unchanged: 13 });
    assert.deepEqual(differ.removedRows(), []);
  });

  it('skips a run of removed rows, leaves a new key pending and lists exactly the removed rows', () => {
    const differ = merge(60);
    // 5..7 removed (3 in a run), 20..27 removed (8 in a run: the most the lookahead skips), 45 removed alone
    const removed = [...range(5, 8), ...range(20, 28), 45];
    const data: DataRow[] = range(0, 60)
      .filter((i) => !removed.includes(i))
      .map((i): DataRow => [i, i === 30 ? 9 : 1]);
    data.splice(15, 0, [1_000_000, 1]); // a new key in the middle
    const { atOnce, verdicts } = diff(differ, data);
    assert.deepEqual(
      atOnce,
      data.map(([i], k) => (i >= 60 ? 'pending' : (expected(60, data)[k] as RowVerdict))),
    );
    assert.equal(atOnce[15], 'pending');
    assert.equal(verdicts[15], 'added');
    assert.deepEqual(verdicts, expected(60, data));
    assert.deepEqual(differ.removedRows(), removed);
    assert.deepEqual(differ.counts, { added: 1, changed: 1, removed: removed.length, unchanged: 47 });
  });

  it('settles the rows after a removed run longer than the lookahead, and a removed row far from the rest', () => {
    const differ = merge(50);
    const removed = [...range(10, 19), 44]; // 9 in a run: past the lookahead
    const data: DataRow[] = range(0, 50)
      .filter((i) => !removed.includes(i))
      .map((i): DataRow => [i, i % 5 === 0 ? 3 : 1]);
    const { atOnce, verdicts } = diff(differ, data);
    assert.equal(atOnce[10], 'pending', 'row 19 is 9 rows past the next one');
    assert.deepEqual(verdicts, expected(50, data));
    assert.deepEqual(differ.removedRows(), removed);
    assert.deepEqual(differ.counts, { added: 0, changed: 8, removed: 10, unchanged: 32 });
  });

  it('settles rows in reverse order: once the order is lost, every key is indexed and matched at once', () => {
    const differ = merge(300);
    const data: DataRow[] = range(0, 300)
      .reverse()
      .map((i): DataRow => [i, i % 4 === 1 ? 2 : 1]);
    const { atOnce, verdicts } = diff(differ, data);
    // the first rows wait for settle(); from the 64th row out of order on, each is matched as it comes
    assert.equal(atOnce.filter((v) => v === 'pending').length, 63);
    assert.deepEqual(verdicts, expected(300, data));
    assert.deepEqual(differ.counts, { added: 0, changed: 75, removed: 0, unchanged: 225 });
    assert.deepEqual(differ.removedRows(), []);
  });

  it('finds the order again after a long run of removed rows, and holds more new rows than its first buffer', () => {
    const differ = merge(1000);
    const fresh = range(5000, 5300).map((i): DataRow => [i, 1]); // 300 new keys: all wait for settle()
    const data: DataRow[] = [...range(0, 100), ...range(400, 1000)].map((i): DataRow => [i, 1]);
    data.splice(50, 0, ...fresh);
    const { atOnce, verdicts } = diff(differ, data);
    assert.ok(atOnce.filter((v) => v === 'pending').length >= 300);
    assert.equal(atOnce.slice(-500).filter((v) => v === 'pending').length, 0, 'in order again');
    assert.deepEqual(verdicts, expected(1000, data));
    assert.deepEqual(differ.counts, { added: 300, changed: 0, removed: 300, unchanged: 700 });
    assert.deepEqual(differ.removedRows(), range(100, 400));
  });

  it('settles a block moved far ahead or far back, with edits, a removal and a new key among them', () => {
    for (const order of [
      [...range(0, 10), ...range(60, 80), ...range(10, 60), ...range(80, 100)], // moved back
      [...range(0, 10), ...range(30, 100), ...range(10, 30)], // moved ahead
    ]) {
      const differ = merge(100);
      const data: DataRow[] = order
        .filter((i) => i !== 65 && i !== 15)
        .map((i): DataRow => [i, i % 7 ? 1 : 2]);
      data.splice(12, 0, [2_000_000, 1]);
      const { verdicts } = diff(differ, data);
      assert.deepEqual(verdicts, expected(100, data));
      assert.deepEqual(differ.counts, { added: 1, changed: 15, removed: 2, unchanged: 83 });
      assert.deepEqual(differ.removedRows(), [15, 65]);
    }
  });

  it('tells a key repeated among the rows left pending, old or new, and counts it once', () => {
    const differ = merge(30);
    const data: DataRow[] = [
      ...range(0, 5).map((i): DataRow => [i, 1]),
      [20, 2], // pending: 15 rows ahead
      [20, 1], // the same key again
      [3_000_000, 1], // new and pending
      [3_000_000, 1],
      ...range(5, 30)
        .filter((i) => i !== 20)
        .map((i): DataRow => [i, 1]),
    ];
    const { atOnce, verdicts } = diff(differ, data);
    assert.deepEqual(atOnce.slice(5, 9), ['pending', 'pending', 'pending', 'pending']);
    assert.deepEqual(verdicts.slice(5, 9), ['changed', 'duplicate', 'added', 'duplicate']);
    assert.deepEqual(differ.counts, { added: 1, changed: 1, removed: 0, unchanged: 29 });
    assert.deepEqual(differ.removedRows(), []);
  });

  it('tells a repeat out of order of a key matched in order, and does not count it as added', () => {
    const differ = merge(30);
    const data: DataRow[] = [...range(0, 30).map((i): DataRow => [i, 1]), [3, 1], [25, 2]];
    const { atOnce, verdicts } = diff(differ, data);
    assert.deepEqual(atOnce.slice(30), ['pending', 'pending']);
    assert.deepEqual(verdicts.slice(30), ['duplicate', 'duplicate']);
    assert.deepEqual(differ.counts, { added: 0, changed: 0, removed: 0, unchanged: 30 });
    assert.deepEqual(differ.removedRows(), []);
  });

  it('tells the pending copy the repeat when a later copy of its key is matched in order', () => {
    const differ = merge(30);
    // key 12 comes first out of order (pending), then again where the cursor reaches it
    const data: DataRow[] = [[0, 1], [12, 1], ...range(1, 30).map((i): DataRow => [i, 1])];
    const { atOnce, verdicts } = diff(differ, data);
    assert.equal(atOnce[1], 'pending');
    assert.equal(atOnce[13], 'unchanged');
    assert.equal(verdicts[1], 'duplicate');
    assert.deepEqual(differ.counts, { added: 0, changed: 0, removed: 0, unchanged: 30 });
  });

  it('handles an empty previous version and empty data', () => {
    const none = merge(0);
    assert.deepEqual(
      diff(none, [
        [5, 1],
        [5, 1],
      ]).verdicts,
      ['added', 'duplicate'],
    );
    assert.deepEqual(none.counts, { added: 1, changed: 0, removed: 0, unchanged: 0 });
    const all = merge(12);
    assert.deepEqual(diff(all, []).verdicts, []);
    assert.deepEqual(all.removedRows(), range(0, 12));
    assert.deepEqual(all.counts, { added: 0, changed: 0, removed: 12, unchanged: 0 });
  });

  it('agrees with RowIndex row by row on random edits, removals, new keys and moves', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const random = xorshift(seed);
      const n = random() % 301;
      const taken = new Set<string>();
      const fresh = (): [number, number] => {
        for (;;) {
          const key: [number, number] = [random(), random()];
          if (seed % 4 === 0) key[0] = (key[0] | 0x80000000) >>> 0; // every high half above 2^31
          const name = `${key[0]}:${key[1]}`;
          if (taken.has(name)) continue;
          taken.add(name);
          return key;
        }
      };
      const keys = new Uint32Array(n * 2);
      const rows = new Uint32Array(n * 2);
      for (let i = 0; i < n; i += 1) {
        keys.set(fresh(), i * 2);
        rows.set([random(), random()], i * 2);
      }
      // the data: each previous row kept, edited or removed, new keys between them
      const removeRate = random() % 30;
      const data: Array<[number, number, number, number]> = [];
      for (let i = 0; i < n; i += 1) {
        while (random() % 100 < 5) data.push([...fresh(), random(), random()]);
        const roll = random() % 100;
        if (roll < removeRate) continue;
        const row = roll < removeRate + 15 ? [random(), random()] : [rows[i * 2], rows[i * 2 + 1]];
        data.push([keys[i * 2] as number, keys[i * 2 + 1] as number, row[0] as number, row[1] as number]);
      }
      // then some moves: single rows and blocks to random places, now and then all of it reversed
      const moves = random() % 6;
      for (let m = 0; m < moves && data.length > 1; m += 1) {
        const from = random() % data.length;
        const length = 1 + (random() % Math.min(40, data.length - from));
        const block = data.splice(from, length);
        data.splice(random() % (data.length + 1), 0, ...block);
      }
      if (random() % 10 === 0) data.reverse();

      const index = new RowIndex(keys, rows);
      const differ = new RowMerge(keys, rows);
      const atOnce = data.map(([kh, kl, rh, rl]) => differ.visit(kh | 0, kl | 0, rh | 0, rl | 0));
      const want = data.map(([kh, kl, rh, rl]) => index.visit(kh | 0, kl | 0, rh | 0, rl | 0));
      assert.deepEqual(index.settle(), []);
      const settled = differ.settle();
      let p = 0;
      const got = atOnce.map((v) => (v === 'pending' ? settled[p++] : v));
      assert.equal(p, settled.length, `seed ${seed}: one verdict per pending row`);
      assert.deepEqual(got, want, `seed ${seed}: verdicts`);
      assert.ok(!want.includes('duplicate'), `seed ${seed}: no key twice`);
      assert.deepEqual(differ.counts, index.counts, `seed ${seed}: counts`);
      assert.deepEqual(differ.removedRows(), index.removedRows(), `seed ${seed}: removed rows`);
      assert.equal(differ.counts.removed, differ.removedRows().length);
      const kept = new Set(data.map(([kh, kl]) => `${kh}:${kl}`));
      const gone = range(0, n).filter((i) => !kept.has(`${keys[i * 2]}:${keys[i * 2 + 1]}`));
      assert.deepEqual(differ.removedRows(), gone, `seed ${seed}: removed rows by key`);
    }
  });

  it('counts like RowIndex when the data repeats keys at random', () => {
    for (let seed = 1; seed <= 100; seed += 1) {
      const random = xorshift(seed * 7919);
      const n = 1 + (random() % 200);
      const { keys, rows } = previousArrays(n);
      const data: DataRow[] = [];
      for (let k = 0; k < n * 1.2; k += 1) {
        const i = random() % 20 === 0 ? 1_000_000 + (random() % 10) : random() % n;
        data.push([i, random() % 4 === 0 ? 2 : 1]);
      }
      const merged = new RowMerge(keys, rows);
      const indexed = new RowIndex(keys, rows);
      const a = diff(merged, data).verdicts;
      const b = diff(indexed, data).verdicts;
      const tally = (verdicts: RowVerdict[], verdict: RowVerdict) =>
        verdicts.filter((v) => v === verdict).length;
      const distinct = new Set(data.map(([i]) => i));
      assert.equal(tally(a, 'duplicate'), data.length - distinct.size, `seed ${seed}: duplicates`);
      assert.equal(tally(a, 'duplicate'), tally(b, 'duplicate'), `seed ${seed}: duplicates`);
      assert.equal(merged.counts.added, indexed.counts.added, `seed ${seed}: added`);
      assert.equal(merged.counts.added, tally(a, 'added'), `seed ${seed}: added`);
      assert.equal(merged.counts.removed, indexed.counts.removed, `seed ${seed}: removed`);
      assert.equal(
        merged.counts.changed + merged.counts.unchanged,
        indexed.counts.changed + indexed.counts.unchanged,
        `seed ${seed}: matched`,
      );
      assert.deepEqual(merged.removedRows(), indexed.removedRows(), `seed ${seed}: removed rows`);
      assert.deepEqual(
        merged.removedRows(),
        range(0, n).filter((i) => !distinct.has(i)),
      );
    }
  });
});

/** xorshift32: a small seeded generator of unsigned 32-bit numbers. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}
