// Encodings: invalid UTF-8 is an error with its byte offset; windows-1252, latin1 and UTF-16LE are transcoded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanFixture, summarize } from './scan-helpers.js';

describe('scanFile: encodings', () => {
  it('E_SOURCE_ENCODING with the byte offset and line of invalid UTF-8', async () => {
    const scan = await scanFixture('invalid-utf8.csv');
    assert.deepEqual(summarize(scan.diagnostics), ['3:1 error E_SOURCE_ENCODING']);
    assert.match(scan.diagnostics[0]?.message ?? '', /byte offset 32\b/);
    assert.equal(scan.rows, 2);
  });

  it('reads windows-1252 and latin1 without encoding errors', async () => {
    const cp = await scanFixture('windows-1252.csv', { encoding: 'windows-1252' });
    assert.deepEqual([cp.rows, cp.header, cp.diagnostics], [1, ['Email', 'Name', 'Note'], []]);
    const latin = await scanFixture('latin1.csv', { encoding: 'latin1' });
    assert.deepEqual([latin.rows, latin.header, latin.diagnostics], [1, ['Email', 'Name'], []]);
  });

  it('transcodes UTF-16LE (BOM, CRLF, quoted delimiters) for CSV and JSONL', async () => {
    const csv = await scanFixture('utf16le.csv', { encoding: 'utf-16le' });
    assert.deepEqual([csv.rows, csv.header, csv.diagnostics], [2, ['Email', 'Name'], []]);
    const jsonl = await scanFixture('utf16le.jsonl', { encoding: 'utf-16le' });
    assert.deepEqual([jsonl.rows, jsonl.header, jsonl.diagnostics], [1, ['Email', 'Name'], []]);
  });
});
