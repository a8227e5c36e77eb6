// The bounded duplicate-key table: finds repeats, grows, and stops (saying so) at its cap instead of using more memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashKeyRanges, KeyHashTable, lastHash } from '../../src/sources/key-table.js';

function hashOf(text: string): [number, number] {
  const bytes = Buffer.from(text);
  hashKeyRanges(bytes, Int32Array.of(0, bytes.length), 1);
  return [lastHash[0] as number, lastHash[1] as number];
}

describe('KeyHashTable', () => {
  it('reports a key seen before, across growth', () => {
    const table = new KeyHashTable(4);
    for (let i = 0; i < 1000; i += 1) assert.equal(table.add(...hashOf(`k${i}@x.nl`)), false);
    assert.equal(table.add(...hashOf('k500@x.nl')), true);
    assert.equal(table.overflowed, false);
  });

  it('finds no false duplicates among 3 million distinct keys (a weaker second hash did)', () => {
    const names = [
      'anna',
      'bram',
      'chloé',
      'daan',
      'emma',
      'finn',
      'gijs',
      'hanna',
      'iris',
      'josé',
      'kees',
      'lotte',
    ];
    const table = new KeyHashTable(1 << 15, 1 << 23);
    const bytes = Buffer.alloc(64);
    const ranges = new Int32Array(2);
    let duplicates = 0;
    for (let i = 0; i < 3_000_000; i += 1) {
      ranges[1] = bytes.write(`${names[i % names.length]}.${i}@example.com`, 0, 'utf8');
      hashKeyRanges(bytes, ranges, 1);
      if (table.add(lastHash[0] as number, lastHash[1] as number)) duplicates += 1;
    }
    assert.equal(duplicates, 0);
  });

  it('stops tracking at its cap and says so', () => {
    const table = new KeyHashTable(4, 8);
    for (let i = 0; i < 20; i += 1) table.add(...hashOf(`k${i}`));
    assert.equal(table.overflowed, true);
    assert.equal(table.add(...hashOf('k1')), false);
  });

  it('a blank key is all spaces or tabs; composite keys keep their field boundaries', () => {
    const bytes = Buffer.from(' \t|ab|c|a|bc');
    assert.equal(hashKeyRanges(bytes, Int32Array.of(0, 2), 1), false);
    hashKeyRanges(bytes, Int32Array.of(3, 5, 6, 7), 2);
    const first = [...lastHash];
    hashKeyRanges(bytes, Int32Array.of(8, 9, 10, 12), 2);
    assert.notDeepEqual([...lastHash], first);
  });

  it('finds no false duplicates among 2 million zero-padded numbers (low-entropy keys)', () => {
    const table = new KeyHashTable(1 << 15, 1 << 23);
    const bytes = Buffer.alloc(16);
    const ranges = new Int32Array(2);
    let duplicates = 0;
    for (let i = 0; i < 2_000_000; i += 1) {
      ranges[1] = bytes.write(String(i).padStart(10, '0'), 0, 'latin1');
      hashKeyRanges(bytes, ranges, 1);
      if (table.add(lastHash[0] as number, lastHash[1] as number)) duplicates += 1;
    }
    assert.equal(duplicates, 0);
  });

  it('tells keys apart by a trailing odd byte, a trailing NUL and the field boundaries', () => {
    const keys = ['a', 'a\0', 'ab', 'abc', 'abc\0', '\0', ''];
    const seen = new Set(keys.map((key) => hashOf(key).join(':')));
    assert.equal(seen.size, keys.length);
    const bytes = Buffer.from('abcd');
    hashKeyRanges(bytes, Int32Array.of(0, 2, 2, 4), 2);
    const evenSplit = [...lastHash];
    hashKeyRanges(bytes, Int32Array.of(0, 1, 1, 4), 2);
    assert.notDeepEqual([...lastHash], evenSplit);
    hashKeyRanges(bytes, Int32Array.of(0, 3, 3, 4), 2);
    assert.notDeepEqual([...lastHash], evenSplit);
  });
});
