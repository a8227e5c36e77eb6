// The row diff over a source's files: counts, the rows a delta sends and what it weighs, the keys a prune
// deletes, and the repeated keys it finds (which a send: changes scan leaves to it) added to the files' scans.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImportDefinition } from '../../src/config/types.js';
import { diffRows, NO_ROWS, type PreviousRows } from '../../src/run/rows.js';
import { KEY_BLANK, KEY_HASHED } from '../../src/sources/key-identity.js';
import type { RowHashes } from '../../src/sources/row-types.js';
import type { ResolvedFile } from '../../src/sources/types.js';
import { buildFile, buildImport, buildSource } from '../plan/builders.js';

/** Row `key` with version `v`: key hash (key, 7 key), row hash (key, v); line = index + 2. */
function rowsOf(rows: ReadonlyArray<[key: number, version: number] | 'blank'>): RowHashes {
  const n = rows.length;
  const out: RowHashes = {
    count: n,
    keys: new Uint32Array(n * 2),
    hashes: new Uint32Array(n * 2),
    sent: new Uint32Array(n),
    lines: new Uint32Array(n),
    states: new Uint8Array(n),
  };
  rows.forEach((row, i) => {
    out.lines[i] = i + 2;
    out.sent[i] = 10 + i;
    if (row === 'blank') {
      out.states[i] = KEY_BLANK;
      return;
    }
    out.keys.set([row[0], row[0] * 7], i * 2);
    out.hashes.set([row[0], row[1]], i * 2);
    out.states[i] = KEY_HASHED;
  });
  return out;
}

function previousOf(keys: number[], uniqueKeys = true): PreviousRows {
  const rows = rowsOf(keys.map((k) => [k, 1]));
  return {
    count: keys.length,
    keys: rows.keys,
    hashes: rows.hashes,
    header: ['Email', 'Name'],
    uniqueKeys,
    keyTexts: async () => [],
  };
}

function fileOf(path: string, rows: ReadonlyArray<[number, number] | 'blank'>): ResolvedFile {
  return buildFile(path, path, { rowHashes: rowsOf(rows), rows: rows.length });
}

const changes: ImportDefinition = buildImport('a', { send: 'changes', prune: true });

describe('diffRows', () => {
  for (const uniqueKeys of [true, false]) {
    it(`counts, sends the added and changed rows and removes the rest (${uniqueKeys ? 'in order' : 'indexed'})`, () => {
      const one = fileOf('a.csv', [[1, 1], [2, 2], [9, 1], 'blank']);
      const two = fileOf('b.csv', [
        [4, 1],
        [3, 1],
      ]);
      const source = buildSource('a', [one, two]);
      const diff = diffRows(changes, source, previousOf([1, 2, 3, 4, 5], uniqueKeys));
      assert.deepEqual(diff.counts, { added: 1, changed: 1, removed: 1, unchanged: 3 });
      assert.deepEqual([...(diff.send.get('a.csv') ?? [])], [0, 1, 1, 0]);
      assert.deepEqual([...(diff.send.get('b.csv') ?? [])], [0, 0]);
      assert.equal(diff.deltaBytes, 11 + 12);
      assert.deepEqual(diff.removed, [4]);
      assert.deepEqual(source.diagnostics, [], 'a blank key is the scan’s to report');
    });
  }

  it('adds repeated keys, in one file and across two, to the files of a send: changes import as errors', () => {
    const one = fileOf('a.csv', [
      [1, 1],
      [2, 1],
      [3, 1],
      [1, 1],
    ]);
    const two = fileOf('b.csv', [
      [4, 1],
      [2, 5],
    ]);
    const source = buildSource('a', [one, two]);
    const diff = diffRows(changes, source, previousOf([1, 2, 3, 4]));
    assert.deepEqual(diff.counts, { added: 0, changed: 0, removed: 0, unchanged: 4 });
    assert.deepEqual(
      source.diagnostics.map((d) => [d.severity, d.code, d.position?.file, d.position?.line]),
      [
        ['error', 'E_SOURCE_DUPLICATE_KEY', 'a.csv', 5],
        ['error', 'E_SOURCE_DUPLICATE_KEY', 'b.csv', 3],
      ],
    );
    assert.equal(one.duplicateKeys, 1);
    assert.equal(two.duplicateKeys, 1);
    assert.deepEqual(one.diagnostics, [source.diagnostics[0]], 'kept with the file: the hash cache has it');
    assert.match(source.diagnostics[0]?.message ?? '', /the key \(Email\) on line 5 is another record's too/);
  });

  it('leaves repeats to the scan for a send: all import (its scan counted them as warnings)', () => {
    const source = buildSource('a', [
      fileOf('a.csv', [
        [1, 1],
        [1, 1],
      ]),
    ]);
    diffRows(buildImport('a'), source, previousOf([1]));
    assert.deepEqual(source.diagnostics, []);
  });

  it('finds repeats with no previous rows at all (the snapshot is gone), past 64 rows out of order', () => {
    const rows: Array<[number, number]> = Array.from({ length: 200 }, (_, i) => [i + 1, 1]);
    rows.push([150, 1]);
    const source = buildSource('a', [fileOf('a.csv', rows)]);
    const diff = diffRows(changes, source, NO_ROWS);
    assert.deepEqual(diff.counts, { added: 200, changed: 0, removed: 0, unchanged: 0 });
    assert.deepEqual(
      source.diagnostics.map((d) => d.position?.line),
      [202],
    );
  });
});
