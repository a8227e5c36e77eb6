// The row index: a row of the data now is added, changed, unchanged or a repeat; what is never visited was removed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowIndex } from '../../src/plan/row-index.js';

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
});
