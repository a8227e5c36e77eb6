// Rows mode: every row's key and row hash, and what it weighs in a delta, from the one scan.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeChunks } from '../../src/copernica/json-escape-stream.js';
import { csvLine } from '../../src/sources/csv-record.js';
import type { SourceRow } from '../../src/sources/row-types.js';
import { eachChunk, type ScanOptions, scanFile } from '../../src/sources/scan-file.js';
import { createFixtureDir } from '../helpers/cli.js';

const BASE: ScanOptions = {
  displayPath: 'a.csv',
  format: 'csv',
  delimiter: ',',
  delimiterDeclared: false,
  encoding: 'utf-8',
  keyFields: ['Email'],
  strictKeys: false,
  importName: 'a',
  rows: true,
};

async function rowsOf(content: string | Buffer, options: Partial<ScanOptions> = {}) {
  const fx = createFixtureDir({ 'a.csv': content });
  try {
    const seen: Array<{ text: string; key: string[]; hash: string }> = [];
    for await (const _ of eachChunk(`${fx.dir}/a.csv`, { ...BASE, ...options }, (row: SourceRow) =>
      seen.push({ text: row.text(), key: row.keyValues(), hash: `${row.rowHi}:${row.rowLo}` }),
    ));
    const scan = await scanFile(`${fx.dir}/a.csv`, { ...BASE, ...options });
    return { scan, hashes: scan.rowHashes, seen };
  } finally {
    fx.cleanup();
  }
}

async function escaped(text: string): Promise<number> {
  let total = 0;
  for await (const chunk of escapeChunks(
    (async function* () {
      yield text;
    })(),
  ))
    total += chunk.byteLength;
  return total;
}

describe('rows mode', () => {
  it('hashes each row: a re-quoted value keeps its hash, a changed or swapped value changes it', async () => {
    const { hashes, seen } = await rowsOf(
      'Email,Name,City\na@x.nl,Ann,Delft\n"a@x.nl","Ann",Delft\na@x.nl,Anne,Delft\na@x.nl,Delft,Ann\n',
    );
    assert.equal(hashes?.count, 4);
    const [plain, requoted, changed, swapped] = seen.map((r) => r.hash);
    assert.equal(plain, requoted);
    assert.notEqual(plain, changed);
    assert.notEqual(plain, swapped);
    assert.deepEqual(seen[0]?.key, ['a@x.nl']);
    assert.equal(hashes?.keys[0], hashes?.keys[2], 'the same key');
  });

  it('weighs each row as the delta sends it: header line plus rows, escaped, is the sum', async () => {
    const csv = 'Email;Note\n"b@x.nl";"say ""hi""; \\\\ ok"\nc@x.nl;"two\nlines"\nd@x.nl;tab\there €\n';
    const { hashes, seen } = await rowsOf(csv, { delimiter: ';' });
    const text = csvLine(['Email', 'Note'], ';') + seen.map((r) => r.text).join('');
    const sum = [...(hashes?.sent ?? [])].reduce((a, b) => a + b, 0);
    assert.equal(sum + (await escaped(csvLine(['Email', 'Note'], ';'))), await escaped(text));
    assert.equal(seen[0]?.text, 'b@x.nl;"say ""hi""; \\\\ ok"\n');
  });

  it('windows-1252 rows are sent as UTF-8 text and weighed so', async () => {
    const bytes = Buffer.from([...Buffer.from('Email,Note\ne@x.nl,'), 0x80, 0xe9, 0x0a]);
    const { hashes, seen } = await rowsOf(bytes, { encoding: 'windows-1252' });
    assert.equal(seen[0]?.text, 'e@x.nl,€é\n');
    assert.equal(hashes?.sent[0], await escaped('e@x.nl,€é\n'));
  });

  it('JSON records: the key, the hash over the values, and the record as the upload renders it', async () => {
    const json = '[{"Email":"j@x.nl","N":1},{"N":1,"Email":"J@X.NL "},{"Email":"k@x.nl","N":2}]';
    const fx = createFixtureDir({ 'a.json': json });
    try {
      const seen: SourceRow[] = [];
      const options = { ...BASE, format: 'json' as const, displayPath: 'a.json' };
      const texts: string[] = [];
      for await (const _ of eachChunk(`${fx.dir}/a.json`, options, (row) => {
        seen.push({ ...row });
        texts.push(row.text());
      }));
      assert.deepEqual(texts, [
        '{"Email":"j@x.nl","N":1}',
        '{"Email":"J@X.NL ","N":1}',
        '{"Email":"k@x.nl","N":2}',
      ]);
      assert.equal(seen[0]?.keyHi, seen[1]?.keyHi, 'keys compare trimmed and case-folded');
      assert.notEqual(seen[0]?.rowHi, seen[2]?.rowHi);
      const scan = await scanFile(`${fx.dir}/a.json`, options);
      assert.equal(scan.rowHashes?.sent[0], await escaped(texts[0] ?? ''));
    } finally {
      fx.cleanup();
    }
  });

  it('leaves rows out of a scan that does not ask for them', async () => {
    const { scan } = await rowsOf('Email\na@x.nl\n', { rows: false });
    assert.equal(scan.rowHashes, undefined);
  });
});
