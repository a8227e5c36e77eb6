// The key identity: one normalization, one hash; the byte path gives the identical hash (a seeded property test),
// and the CSV and JSON scanners count duplicates exactly as the normalized texts say.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvScanner } from '../../src/sources/csv-scanner.js';
import { decodeWindows1252 } from '../../src/sources/decode.js';
import { JsonRecordChecks } from '../../src/sources/json-records.js';
import {
  hashKeyBytes,
  hashKeyText,
  hashKeyValues,
  KEY_BLANK,
  KEY_HASHED,
  KEY_PADDED,
  KEY_TEXT,
  lastKeyHash,
  normalizeKeyText,
} from '../../src/sources/key-identity.js';
import { createRng, type Rng } from '../helpers/prng.js';

const utf8 = new TextDecoder();
/** Letters of every kind the byte path meets: cased 2-byte ones, final sigma, dotted I, 3- and 4-byte ones. */
const UNICODE = ['é', 'É', 'ß', 'Σ', 'σ', 'ς', 'İ', 'ı', 'ǅ', 'Ж', 'ж', 'Ω', '€', 'ﬀ', '😀', 'Ⱥ', '\u00a0'];
/** Characters windows-1252 holds above ASCII (decode.ts's table). */
const WINDOWS_1252 = Array.from({ length: 128 }, (_, i) => decodeWindows1252(Uint8Array.of(0x80 + i)));
const ENCODE_1252 = new Map(WINDOWS_1252.map((c, i) => [c, 0x80 + i]));

function generateValue(rng: Rng, letters: readonly string[]): string {
  const pad = (): string => (rng.chance(0.2) ? rng.pick([' ', '\t', '  ', ' \t']) : '');
  let body = '';
  const length = rng.int(8);
  for (let i = 0; i < length; i += 1) {
    const roll = rng.next();
    if (roll < 0.5) body += rng.pick(['a', 'B', 'z', 'Q', '@', '.', '0', '9', '-', '_']);
    else if (roll < 0.6) body += rng.pick([' ', '\t']);
    else body += rng.pick(letters);
  }
  return pad() + body + pad();
}

/** One to three values: a key of one field or a composite one. */
function generateValues(rng: Rng, letters: readonly string[]): string[] {
  return Array.from({ length: 1 + rng.int(3) }, () => generateValue(rng, letters));
}

/** The values' bytes laid end to end, with each value's range. */
function layOut(values: string[], encode: (value: string) => Uint8Array): [Uint8Array, Int32Array] {
  const parts = values.map(encode);
  const ranges = new Int32Array(values.length * 2);
  let offset = 0;
  parts.forEach((part, i) => {
    ranges[i * 2] = offset;
    offset += part.length;
    ranges[i * 2 + 1] = offset;
  });
  return [Buffer.concat(parts), ranges];
}

function encode1252(value: string): Uint8Array {
  return Uint8Array.from([...value].map((c) => ENCODE_1252.get(c) ?? c.charCodeAt(0)));
}

function hashOfValues(values: string[]): [number, number, number] {
  const flags = hashKeyValues(values);
  return [flags, lastKeyHash[0] as number, lastKeyHash[1] as number];
}

describe('key identity', () => {
  it('trims spaces and tabs, folds case and joins with U+0000; blank and padded keys are flagged', () => {
    assert.equal(normalizeKeyText([' Ann@X.nl\t', 'ZOË ', '']), 'ann@x.nl\u0000zoë\u0000');
    assert.equal(hashKeyValues([' \t', '']), KEY_BLANK | KEY_PADDED);
    assert.equal(hashKeyValues(['a']), KEY_HASHED);
    assert.equal(hashKeyValues(['a ']), KEY_HASHED | KEY_PADDED);
    const same = [hashOfValues(['A@x.nl ']), hashOfValues(['a@X.NL'])];
    assert.deepEqual(same[0]?.slice(1), same[1]?.slice(1));
    hashKeyText('a\u0000bc');
    const split = [...lastKeyHash];
    hashKeyText('ab\u0000c');
    assert.notDeepEqual([...lastKeyHash], split);
  });

  it('the byte path gives the text path’s flags and hash: 5,000 seeded UTF-8 keys', () => {
    const rng = createRng(4_2026);
    const seen = { ascii: 0, unicode: 0, text: 0 };
    for (let n = 0; n < 5000; n += 1) {
      const values = generateValues(rng, UNICODE);
      const [bytes, ranges] = layOut(values, (v) => Buffer.from(v, 'utf8'));
      const flags = hashKeyBytes(bytes, ranges, values.length, false);
      if (flags === KEY_TEXT) {
        // only what the byte path leaves to the text path: 3- and 4-byte letters, U+0130, U+03A3
        assert.ok(
          values.some((v) => [...v].some((c) => (c.codePointAt(0) ?? 0) > 0x7ff || c === 'İ' || c === 'Σ')),
          JSON.stringify(values),
        );
        seen.text += 1;
        continue;
      }
      const ascii = values.every((v) => [...v].every((c) => c.charCodeAt(0) < 0x80));
      seen[ascii ? 'ascii' : 'unicode'] += 1;
      assertSameKey([flags, lastKeyHash[0] as number, lastKeyHash[1] as number], values);
    }
    assert.ok(seen.ascii > 500 && seen.unicode > 500 && seen.text > 500, JSON.stringify(seen));
  });

  it('the byte path gives the text path’s flags and hash: 5,000 seeded windows-1252 keys', () => {
    const rng = createRng(1252);
    for (let n = 0; n < 5000; n += 1) {
      const values = generateValues(rng, WINDOWS_1252);
      const [bytes, ranges] = layOut(values, encode1252);
      const flags = hashKeyBytes(bytes, ranges, values.length, true);
      assertSameKey([flags, lastKeyHash[0] as number, lastKeyHash[1] as number], values);
    }
  });

  it('CSV (UTF-8 and windows-1252) and JSON scans count exactly the duplicates the normalized keys hold', () => {
    const rng = createRng(77);
    for (let round = 0; round < 40; round += 1) {
      const windows1252 = round % 2 === 1;
      const letters = windows1252 ? WINDOWS_1252 : UNICODE;
      const pool = Array.from({ length: 12 }, () => [
        generateValue(rng, letters),
        generateValue(rng, letters),
      ]);
      // the same keys written otherwise now and then: in capitals, with spaces or tabs around them
      const rows = Array.from({ length: 60 }, () =>
        rng.pick(pool).map((v) => (rng.chance(0.3) ? ` ${shout(v, windows1252)}\t` : v)),
      );
      const isBlank = (values: string[]): boolean => values.every((v) => /^[\t ]*$/.test(v));
      const keyed = rows.filter((values) => !isBlank(values));
      const expected = [keyed.length - new Set(keyed.map(normalizeKeyText)).size, rows.length - keyed.length];
      assert.deepEqual(scanCsvKeys(rows, windows1252), expected, `csv round ${round}`);
      assert.deepEqual(scanJsonKeys(rows), expected, `json round ${round}`);
    }
  });
});

/** The byte path's [flags, hash] against hashKeyValues (the hash compared when there is one). */
function assertSameKey(found: [number, number, number], values: string[]): void {
  const expected = hashOfValues(values);
  const compared = found[0] === KEY_HASHED || found[0] === (KEY_HASHED | KEY_PADDED) ? 3 : 1;
  assert.deepEqual(found.slice(0, compared), expected.slice(0, compared), JSON.stringify(values));
}

/** Capitals, in windows-1252 only where the capital is in windows-1252 too. */
function shout(value: string, windows1252: boolean): string {
  return windows1252 ? value.replace(/[a-z]/g, (c) => c.toUpperCase()) : value.toUpperCase();
}

/** [duplicate keys, blank keys] of a CSV scan of the rows (two quoted key columns). */
function scanCsvKeys(rows: string[][], windows1252: boolean): [number, number] {
  const lines = rows.map((values) => values.map((v) => `"${v}"`).join(','));
  const text = `K1,K2\n${lines.join('\n')}\n`;
  const scanner = new CsvScanner({
    displayPath: 'x.csv',
    importName: 'x',
    delimiter: 44,
    keyFields: ['K1', 'K2'],
    strictKeys: false,
    delimiterDeclared: true,
    windows1252,
    decode: windows1252 ? decodeWindows1252 : (b) => utf8.decode(b),
  });
  scanner.push(Buffer.from(windows1252 ? encode1252(text) : Buffer.from(text, 'utf8')));
  const { keys } = scanner.finish();
  return [keys.duplicateKeys, keys.blankKeys];
}

/** The same for JSONL records. */
function scanJsonKeys(rows: string[][]): [number, number] {
  const checks = new JsonRecordChecks({
    displayPath: 'x.jsonl',
    importName: 'x',
    keyFields: ['K1', 'K2'],
    strictKeys: false,
  });
  rows.forEach((values, i) => {
    checks.accept(JSON.stringify({ K1: values[0], K2: values[1] }), i + 1);
  });
  checks.diagnostics();
  return [checks.keys.duplicateKeys, checks.keys.blankKeys];
}
