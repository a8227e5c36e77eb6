// sameJson replaces comparing canonical JSON in the hash-cache save: it must agree with it on every shape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasNewEntries, sameJson } from '../../src/pipeline/save-hash-cache.js';
import { canonicalJson } from '../../src/plan/canonical-json.js';

const entry = {
  hash: 'abc',
  rows: 2,
  header: ['Email', 'Name'],
  blankKeys: 0,
  duplicateKeys: 0,
  duplicateExamples: [],
  truncated: false,
  diagnostics: [
    { severity: 'warning', code: 'E_X', message: 'm', position: { file: 'a.csv', line: 2, column: 1 } },
  ],
  stamp: { size: 10, mtimeMs: 1.5, ino: 7 },
  recordedAtMs: 100,
};

/** Pairs of values; sameJson must say what comparing their canonical JSON says. */
const PAIRS: Array<[string, unknown, unknown]> = [
  ['identical entries', entry, structuredClone(entry)],
  ['keys in another order', entry, Object.fromEntries(Object.entries(entry).reverse())],
  ['an undefined member against a missing one', { ...entry, scanKey: undefined }, entry],
  ['a changed nested number', entry, { ...entry, stamp: { ...entry.stamp, mtimeMs: 2 } }],
  ['a changed array item', entry, { ...entry, header: ['Email', 'Naam'] }],
  ['a longer array', entry, { ...entry, header: ['Email', 'Name', 'X'] }],
  ['an extra member', entry, { ...entry, scanKey: 'k' }],
  ['a missing entry', undefined, entry],
  ['null against an object', null, {}],
  ['an array against an object', [], {}],
  ['an undefined array item against null', [undefined], [null]],
  ['a number against its string', 1, '1'],
  ['NaN against null (both JSON null)', Number.NaN, null],
  ['an empty object against one with only undefined', {}, { a: undefined }],
];

describe('sameJson', () => {
  for (const [label, a, b] of PAIRS) {
    it(`agrees with canonical JSON on ${label}`, () => {
      const expected = canonicalJson(a) === canonicalJson(b);
      assert.equal(sameJson(a, b), expected);
      assert.equal(sameJson(b, a), expected);
    });
  }

  it('finds new entries only where an entry differs or is missing', () => {
    const current = { '/a.csv': entry };
    assert.equal(hasNewEntries(current, { '/a.csv': structuredClone(entry) }), false);
    assert.equal(hasNewEntries(current, { '/a.csv': { ...entry, hash: 'def' } }), true);
    assert.equal(hasNewEntries(current, { '/b.csv': entry }), true);
  });
});
