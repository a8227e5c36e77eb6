// The CSV scanner gives the same answer however its input is cut into chunks (fast and slow paths meet at every byte).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CsvScanner } from '../../src/sources/csv-scanner.js';
import { fixturePath, summarize } from './scan-helpers.js';

const decoder = new TextDecoder();

function scanInChunks(bytes: Buffer, size: number, keyFields: string[]): string {
  const scanner = new CsvScanner({
    displayPath: 'x.csv',
    importName: 'x',
    delimiter: 44,
    keyFields,
    strictKeys: false,
    delimiterDeclared: true,
    decode: (b) => decoder.decode(b),
    windows1252: false,
  });
  for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
  const out = scanner.finish();
  return JSON.stringify({
    header: out.header,
    rows: out.rows,
    sentBytes: out.sentBytes,
    headerBytes: out.headerBytes,
    truncated: out.truncated,
    blank: out.keys.blankKeys,
    duplicates: out.keys.duplicateExamples,
    diagnostics: summarize(out.diagnostics),
    messages: out.diagnostics.map((d) => d.message),
  });
}

const FIXTURES = [
  'valid.csv',
  'embedded-newlines.csv',
  'wrong-columns.csv',
  'unterminated-quote.csv',
  'truncated.csv',
  'blank-key.csv',
  'duplicate-key.csv',
  'blank-lines.csv',
];

describe('CsvScanner', () => {
  it('gives the same result for every chunk size', () => {
    for (const name of FIXTURES) {
      const bytes = readFileSync(fixturePath(name));
      const whole = scanInChunks(bytes, bytes.length, ['Email']);
      for (let size = 1; size <= 12; size += 1)
        assert.equal(scanInChunks(bytes, size, ['Email']), whole, `${name} / ${size}`);
    }
  });

  it('unescapes doubled quotes inside quoted keys before comparing them', () => {
    const bytes = Buffer.from('Email,N\n"a""b",1\na"b,2\n"a""b",3\n');
    const result = JSON.parse(scanInChunks(bytes, bytes.length, ['Email'])) as { duplicates: string[] };
    assert.deepEqual(result.duplicates, ['a"b', 'a"b']);
  });

  it('refuses a quote inside an unquoted field (E_SOURCE_QUOTE at the quote), not a field quoted mid-line', () => {
    const bytes = Buffer.from('Email,Note,N\na@x,say "hi",1\nb@x,"x, y",2\n');
    const result = JSON.parse(scanInChunks(bytes, 5, ['Email'])) as { rows: number; diagnostics: string[] };
    assert.deepEqual([result.rows, result.diagnostics], [2, ['2:9 error E_SOURCE_QUOTE']]);
    const clean = Buffer.from('Email,Note,N\na@x,"say ""hi""",1\nb@x,"x, y",2\n');
    assert.deepEqual(JSON.parse(scanInChunks(clean, 5, ['Email'])).diagnostics, []);
  });

  it('splits CRLF lines, quoted last fields, lone CRs and doubled quotes alike on the fast and slow paths', () => {
    const text = [
      'N,Email,Note\r\n',
      '1,a@x,"q"\r\n',
      '\r\n',
      '2,"b@x","say ""hi"""\n',
      '3,c@x,x\ry\n',
      '4,"c@x",\r\n',
      '5,"d@x"\r,z\n',
      '6,"e""x",w\n',
      '7,"a@x" ,v\n',
      '8,f@x,"two\nlines"\r\n',
      '9,,\n',
      '10,g@x\r\n',
      '\r',
    ].join('');
    const bytes = Buffer.from(text);
    for (const keys of [['Email'], ['Note', 'Email'], []]) {
      const whole = scanInChunks(bytes, bytes.length, keys);
      for (let size = 1; size <= 24; size += 1)
        assert.equal(scanInChunks(bytes, size, keys), whole, `${keys.join('+')} / ${size}`);
    }
    const result = JSON.parse(scanInChunks(bytes, bytes.length, ['Email'])) as {
      rows: number;
      duplicates: string[];
      blank: number;
      diagnostics: string[];
    };
    assert.equal(result.rows, 10);
    assert.deepEqual(result.duplicates, ['c@x', 'a@x ']);
    // the lone CRs of lines 5, 7 and 14, the text after a quote on line 9, the short line 13, line 12's blank
    // key; line 9's key `a@x ` has a space around it and, trimmed, repeats line 2's
    assert.deepEqual(result.diagnostics, [
      '9:8 error E_SOURCE_QUOTE',
      '5:8 error E_SOURCE_LINE_END',
      '7:8 error E_SOURCE_LINE_END',
      '14:1 error E_SOURCE_LINE_END',
      '13:1 error E_SOURCE_COLUMNS',
      '12:1 warning E_SOURCE_BLANK_KEY',
      '9:1 warning E_SOURCE_KEY_SPACE',
      '6:1 warning E_SOURCE_DUPLICATE_KEY',
      '9:1 warning E_SOURCE_DUPLICATE_KEY',
    ]);
  });

  it('names the first three repeated and padded keys, with lines, and counts the rest', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ` a@x.nl,${i}\n`).join('');
    const bytes = Buffer.from(`Email,N\na@x.nl,0\n${rows}`);
    const result = JSON.parse(scanInChunks(bytes, bytes.length, ['Email'])) as {
      diagnostics: string[];
      messages: string[];
    };
    const lines = (code: string) => result.diagnostics.filter((d) => d.endsWith(code));
    assert.deepEqual(lines('E_SOURCE_DUPLICATE_KEY'), [
      '3:1 warning E_SOURCE_DUPLICATE_KEY',
      '4:1 warning E_SOURCE_DUPLICATE_KEY',
      '5:1 warning E_SOURCE_DUPLICATE_KEY',
      '3:1 warning E_SOURCE_DUPLICATE_KEY',
    ]);
    assert.equal(lines('E_SOURCE_KEY_SPACE').length, 4);
    assert.ok(result.messages.some((m) => /^7 records repeat/.test(m)));
    assert.ok(result.messages.some((m) => /^7 records have spaces/.test(m)));
  });
  it('counts the escaped length of what is sent, on the fast and slow paths alike', () => {
    const header = 'Email,"No\\te"\r\n';
    const rows =
      'a@x,back\\slash\n"b\u0001@x","tab\there ""q"""\r\nc\t@x,\u001f\u007f€\n"d@x","two\nlines"\n';
    const escaped = (t: string) => Buffer.byteLength(JSON.stringify(t)) - 2;
    for (const tail of ['', 'e@x,last']) {
      const text = header + rows + tail;
      const bytes = Buffer.from(text);
      const whole = scanInChunks(bytes, bytes.length, ['Email']);
      const result = JSON.parse(whole) as { sentBytes: number; headerBytes: number };
      const sent = tail === '' ? text : `${text}\n`;
      assert.deepEqual([result.sentBytes, result.headerBytes], [escaped(sent), escaped(header)], tail);
      for (let size = 1; size <= 9; size += 1) assert.equal(scanInChunks(bytes, size, ['Email']), whole);
    }
  });
});
