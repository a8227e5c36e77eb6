import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../src/core/duration.js';

describe('formatDuration', () => {
  it('writes milliseconds the way imports.yaml spells them, and parses back to the same value', () => {
    const table: Array<[number, string]> = [
      [300, '300ms'],
      [2000, '2s'],
      [1500, '1.5s'],
      [2345, '2345ms'],
      [61_000, '61s'],
      [600_000, '10m'],
      [90_000, '1.5m'],
      [3_600_000, '1h'],
      [0, '0ms'],
    ];
    for (const [ms, text] of table) {
      assert.equal(formatDuration(ms), text);
      assert.equal(parseDuration(text), ms);
    }
  });
});
