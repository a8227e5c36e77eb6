// scanFile on JSON and JSONL: flat objects, one key set, key checks; each defect has its fixture.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanFixture, summarize, withCode } from './scan-helpers.js';

describe('scanFile: JSON and JSONL', () => {
  it('reads an array of flat objects: rows and the first record keys as header', async () => {
    const scan = await scanFixture('valid.json');
    assert.deepEqual([scan.rows, scan.header, scan.diagnostics], [2, ['Email', 'Age', 'Vip'], []]);
  });

  it('reads JSONL and NDJSON (blank lines skipped, CRLF and no final newline accepted)', async () => {
    for (const name of ['valid.jsonl', 'valid.ndjson']) {
      const scan = await scanFixture(name);
      assert.deepEqual([scan.rows, scan.header, scan.diagnostics], [2, ['Email', 'Age'], []], name);
    }
  });

  it('E_SOURCE_NESTED for a value that is an object or array', async () => {
    const scan = await scanFixture('nested.json');
    assert.deepEqual(summarize(scan.diagnostics), ['2:1 error E_SOURCE_NESTED', '3:1 error E_SOURCE_NESTED']);
  });

  it('E_SOURCE_KEYSET for a record whose key set differs from the first (order alone is fine)', async () => {
    const scan = await scanFixture('keyset.json');
    assert.deepEqual(summarize(scan.diagnostics), ['3:1 error E_SOURCE_KEYSET']);
    assert.match(scan.diagnostics[0]?.message ?? '', /missing "Name"; extra "Nick"/);
  });

  it('E_SOURCE_JSON when the file is not an array of objects', async () => {
    for (const name of ['not-array.json', 'unclosed-array.json']) {
      const scan = await scanFixture(name);
      assert.ok(withCode(scan.diagnostics, 'E_SOURCE_JSON').length > 0, name);
    }
    const mixed = await scanFixture('not-objects.json');
    assert.deepEqual(summarize(withCode(mixed.diagnostics, 'E_SOURCE_JSON')), [
      '1:1 error E_SOURCE_JSON',
      '1:1 error E_SOURCE_JSON',
    ]);
    assert.equal(mixed.rows, 1);
  });

  it('E_SOURCE_JSON for invalid JSONL lines, at their line', async () => {
    const scan = await scanFixture('invalid-record.jsonl');
    assert.deepEqual(summarize(scan.diagnostics), ['2:1 error E_SOURCE_JSON', '3:1 error E_SOURCE_JSON']);
    assert.equal(scan.rows, 1);
  });

  it('E_SOURCE_EMPTY for an empty array', async () => {
    const scan = await scanFixture('empty-array.json');
    assert.deepEqual(summarize(scan.diagnostics), ['1:1 warning E_SOURCE_EMPTY']);
  });

  it('counts blank (null) and duplicate keys', async () => {
    const scan = await scanFixture('json-duplicate-key.jsonl');
    assert.deepEqual([scan.blankKeys, scan.duplicateKeys, scan.duplicateExamples], [1, 1, ['a@x.nl']]);
    assert.deepEqual(summarize(scan.diagnostics).sort(), [
      '2:1 warning E_SOURCE_DUPLICATE_KEY',
      '3:1 warning E_SOURCE_BLANK_KEY',
    ]);
  });

  it('E_SOURCE_KEY_MISSING when the first record lacks a key field', async () => {
    const scan = await scanFixture('valid.json', { keyFields: ['email'] });
    const [problem] = withCode(scan.diagnostics, 'E_SOURCE_KEY_MISSING');
    assert.match(problem?.message ?? '', /letter case/);
  });
});
