// The bounded duplicate-key table: finds repeats (with the line of the first), grows, and stops (saying so) at its cap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashKeyBytes, hashKeyText, lastKeyHash } from '../../src/sources/key-identity.js';
import { KeyHashTable } from '../../src/sources/key-table.js';

function hashOf(text: string): [number, number] {
  hashKeyText(text);
  return [lastKeyHash[0] as number, lastKeyHash[1] as number];
}

/** Hashes `count` generated keys on the byte path; returns how many the table took for repeats. */
function countFalseDuplicates(count: number, keyOf: (i: number) => string, encoding: BufferEncoding): number {
  const table = new KeyHashTable(1 << 15, 1 << 23);
  const bytes = Buffer.alloc(64);
  const ranges = new Int32Array(2);
  let duplicates = 0;
  for (let i = 0; i < count; i += 1) {
    ranges[1] = bytes.write(keyOf(i), 0, encoding);
    hashKeyBytes(bytes, ranges, 1, false);
    if (table.add(lastKeyHash[0] as number, lastKeyHash[1] as number, i + 1) !== 0) duplicates += 1;
  }
  return duplicates;
}

describe('KeyHashTable', () => {
  it('reports a key seen before with the line of its first record, across growth', () => {
    const table = new KeyHashTable(4);
    for (let i = 0; i < 1000; i += 1) assert.equal(table.add(...hashOf(`k${i}@x.nl`), i + 2), 0);
    assert.equal(table.add(...hashOf('k500@x.nl'), 5000), 502);
    assert.equal(table.overflowed, false);
  });

  it('finds no false duplicates among 3 million distinct e-mail addresses', () => {
    const names = ['anna', 'bram', 'chloe', 'daan', 'emma', 'finn', 'gijs', 'hanna', 'iris', 'jose', 'kees'];
    const keyOf = (i: number): string => `${names[i % names.length]}.${i}@example.com`;
    assert.equal(countFalseDuplicates(3_000_000, keyOf, 'latin1'), 0);
  });

  it('finds no false duplicates among 2 million zero-padded numbers (low-entropy keys)', () => {
    assert.equal(
      countFalseDuplicates(2_000_000, (i) => String(i).padStart(10, '0'), 'latin1'),
      0,
    );
  });

  it('keeps what it holds when room is reserved, and reserves no further than its cap', () => {
    const table = new KeyHashTable(4, 1 << 10);
    for (let i = 0; i < 3; i += 1) table.add(...hashOf(`k${i}`), i + 1);
    table.reserve(500);
    for (let i = 3; i < 500; i += 1) assert.equal(table.add(...hashOf(`k${i}`), i + 1), 0);
    assert.equal(table.add(...hashOf('k1'), 900), 2);
    assert.equal(table.add(...hashOf('k499'), 901), 500);
    table.reserve(1_000_000);
    assert.equal(table.add(...hashOf('k2'), 902), 3, 'still found after a reserve capped at 1024 slots');
    assert.equal(table.overflowed, false);
  });

  it('stops tracking at its cap and says so', () => {
    const table = new KeyHashTable(4, 8);
    for (let i = 0; i < 20; i += 1) table.add(...hashOf(`k${i}`), i + 1);
    assert.equal(table.overflowed, true);
    assert.equal(table.add(...hashOf('k1'), 99), 0);
  });
});
