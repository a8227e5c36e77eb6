// scanFile on CSV: rows, header, hash, and every check with a fixture named for its defect.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath, scanFixture, summarize, withCode } from './scan-helpers.js';

describe('scanFile: CSV', () => {
  it('counts rows, reads the header and hashes the raw bytes', async () => {
    const scan = await scanFixture('valid.csv');
    assert.equal(scan.rows, 2);
    assert.deepEqual(scan.header, ['Email', 'FirstName', 'City']);
    const expected = createHash('sha256')
      .update(readFileSync(fixturePath('valid.csv')))
      .digest('hex');
    assert.equal(scan.hash, expected);
    assert.deepEqual(scan.diagnostics, []);
    assert.equal(scan.truncated, false);
  });

  it('strips a BOM and handles CRLF line ends', async () => {
    const scan = await scanFixture('bom-crlf.csv');
    assert.deepEqual(scan.header, ['Email', 'FirstName', 'City']);
    assert.equal(scan.rows, 2);
    assert.deepEqual(scan.diagnostics, []);
  });

  it('reads ";" and tab delimiters', async () => {
    const semi = await scanFixture('semicolon.csv', { delimiter: ';' });
    assert.deepEqual([semi.rows, semi.header, semi.diagnostics], [2, ['Email', 'FirstName', 'City'], []]);
    const tab = await scanFixture('tab.tsv');
    assert.deepEqual([tab.rows, tab.header, tab.diagnostics], [2, ['Email', 'FirstName', 'City'], []]);
  });

  it('keeps embedded newlines and doubled quotes inside one record', async () => {
    const scan = await scanFixture('embedded-newlines.csv');
    assert.equal(scan.rows, 2);
    assert.deepEqual(scan.diagnostics, []);
  });

  it('skips blank lines', async () => {
    const scan = await scanFixture('blank-lines.csv');
    assert.equal(scan.rows, 2);
    assert.deepEqual(scan.diagnostics, []);
  });

  it('E_SOURCE_KEY_MISSING when a key field is not in the header', async () => {
    const scan = await scanFixture('key-missing.csv');
    assert.deepEqual(summarize(scan.diagnostics), ['1:1 error E_SOURCE_KEY_MISSING']);
    assert.equal(scan.diagnostics[0]?.position?.file, 'data/key-missing.csv');
  });

  it('says when the header matches only up to case, a stray BOM or spaces', async () => {
    const cases = [
      ['key-case.csv', /letter case/],
      ['key-stray-bom.csv', /byte order mark/],
      ['key-space.csv', /spaces/],
    ] as const;
    for (const [name, pattern] of cases) {
      const [problem] = withCode((await scanFixture(name)).diagnostics, 'E_SOURCE_KEY_MISSING');
      assert.match(problem?.message ?? '', pattern, name);
    }
  });

  it('E_SOURCE_COLUMNS for rows with the wrong number of fields: the first three and a count', async () => {
    const scan = await scanFixture('wrong-columns.csv');
    const found = withCode(scan.diagnostics, 'E_SOURCE_COLUMNS');
    assert.deepEqual(
      found.map((d) => d.position?.line),
      [3, 4, 6, 3],
    );
    assert.match(found[3]?.message ?? '', /^4 rows/);
    assert.equal(scan.rows, 7);
    assert.equal(scan.truncated, false);
  });

  it('E_SOURCE_QUOTE at the line and column where an unterminated quote opened', async () => {
    const scan = await scanFixture('unterminated-quote.csv');
    assert.deepEqual(summarize(withCode(scan.diagnostics, 'E_SOURCE_QUOTE')), ['3:8 error E_SOURCE_QUOTE']);
  });

  it('E_SOURCE_TRUNCATED when the last record is cut short without a final newline', async () => {
    const scan = await scanFixture('truncated.csv');
    assert.equal(scan.truncated, true);
    assert.deepEqual(summarize(scan.diagnostics), ['4:1 error E_SOURCE_TRUNCATED']);
    const complete = await scanFixture('no-final-newline.csv');
    assert.deepEqual([complete.truncated, complete.rows, complete.diagnostics], [false, 2, []]);
  });

  it('E_SOURCE_BLANK_KEY: a warning normally, an error when the import is strict about keys', async () => {
    const scan = await scanFixture('blank-key.csv');
    assert.equal(scan.blankKeys, 3);
    assert.deepEqual(summarize(scan.diagnostics), ['3:1 warning E_SOURCE_BLANK_KEY']);
    const strict = await scanFixture('blank-key.csv', { strictKeys: true });
    assert.deepEqual(summarize(strict.diagnostics), ['3:1 error E_SOURCE_BLANK_KEY']);
  });

  it('E_SOURCE_DUPLICATE_KEY: one per repeat, naming the line of the first, quoted or not', async () => {
    const scan = await scanFixture('duplicate-key.csv');
    assert.equal(scan.duplicateKeys, 3);
    assert.deepEqual(scan.duplicateExamples, ['a@x.nl', 'a@x.nl', 'b@x.nl']);
    const found = withCode(scan.diagnostics, 'E_SOURCE_DUPLICATE_KEY');
    assert.deepEqual(summarize(found), [
      '4:1 warning E_SOURCE_DUPLICATE_KEY',
      '5:1 warning E_SOURCE_DUPLICATE_KEY',
      '6:1 warning E_SOURCE_DUPLICATE_KEY',
    ]);
    assert.deepEqual(
      found.map((d) => d.message.match(/line (\d+) repeats the key of line (\d+)/)?.slice(1)),
      [
        ['4', '2'],
        ['5', '2'],
        ['6', '3'],
      ],
    );
  });

  it('compares keys ignoring case and surrounding spaces; spaces are E_SOURCE_KEY_SPACE (an error when strict)', async () => {
    const scan = await scanFixture('duplicate-key-case-space.csv');
    assert.deepEqual([scan.duplicateKeys, scan.duplicateExamples], [3, [' A@X.nl', 'B@x.NL\t', 'ZOË@X.NL']]);
    const repeats = withCode(scan.diagnostics, 'E_SOURCE_DUPLICATE_KEY');
    assert.deepEqual(
      repeats.map((d) => d.message.match(/line (\d+) repeats the key of line (\d+)/)?.slice(1)),
      [
        ['4', '2'],
        ['5', '3'],
        ['7', '6'],
      ],
    );
    assert.deepEqual(summarize(withCode(scan.diagnostics, 'E_SOURCE_KEY_SPACE')), [
      '4:1 warning E_SOURCE_KEY_SPACE',
      '5:1 warning E_SOURCE_KEY_SPACE',
    ]);
    const strict = await scanFixture('duplicate-key-case-space.csv', { strictKeys: true });
    assert.deepEqual(summarize(withCode(strict.diagnostics, 'E_SOURCE_KEY_SPACE')), [
      '4:1 error E_SOURCE_KEY_SPACE',
      '5:1 error E_SOURCE_KEY_SPACE',
    ]);
  });

  it('E_SOURCE_DELIMITER when a one-column header holds ";" or a tab and no delimiter is declared', async () => {
    for (const [name, shown] of [
      ['semicolon-undeclared.csv', 'delimiter: ";"'],
      ['tab-undeclared.csv', 'delimiter: "\\t"'],
    ] as const) {
      const scan = await scanFixture(name, { keyFields: [] });
      assert.deepEqual(summarize(scan.diagnostics), ['1:1 error E_SOURCE_DELIMITER'], name);
      assert.ok(scan.diagnostics[0]?.hint?.includes(shown), `${name}: ${scan.diagnostics[0]?.hint}`);
      const declared = await scanFixture(name, { keyFields: [], delimiterDeclared: true });
      assert.deepEqual(declared.diagnostics, [], name);
    }
  });

  it('E_SOURCE_KEY_MISSING names the delimiter the header seems to use', async () => {
    const scan = await scanFixture('semicolon-undeclared.csv', { delimiterDeclared: true });
    const [missing] = withCode(scan.diagnostics, 'E_SOURCE_KEY_MISSING');
    assert.ok(missing?.hint?.includes('delimiter: ";"'), missing?.hint);
    const comma = await scanFixture('valid.csv', { keyFields: ['Phone'] });
    assert.equal(withCode(comma.diagnostics, 'E_SOURCE_KEY_MISSING')[0]?.hint, undefined);
  });

  it('tracks composite keys', async () => {
    const scan = await scanFixture('duplicate-key.csv', { keyFields: ['Email', 'FirstName'] });
    assert.equal(scan.duplicateKeys, 0);
  });

  it('E_SOURCE_EMPTY (a warning) when there are no data rows', async () => {
    const scan = await scanFixture('header-only.csv');
    assert.equal(scan.rows, 0);
    assert.deepEqual(summarize(scan.diagnostics), ['1:1 warning E_SOURCE_EMPTY']);
  });
});
