// One CSV dialect: the hand-written scanner against csv-parse configured as the dialect (the emulator's reader),
// on seeded generated inputs and on the csv-spectrum corpus. They must agree on every input: both accept with
// the same header, the same records and the same field values, or both refuse.
//
// Decisions the comparison pins down:
// - A blank line (nothing before its LF or CRLF) is no record, before the header or after it (csv-parse:
//   skip_empty_lines). A line holding only spaces, or only `""`, is a record.
// - An empty file, or one of blank lines only, has no header and no records: the scanner says E_SOURCE_EMPTY
//   (a warning, not a refusal) and csv-parse returns no records.
// - A header-only file has its header and no records (again E_SOURCE_EMPTY, a warning).
// - Refusing: the scanner reports an error, csv-parse throws. A record with a different number of fields than
//   the header is refused by both (E_SOURCE_COLUMNS or E_SOURCE_TRUNCATED), as are the three dialect errors.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCsvDialect } from '../../src/emulator/import-source.js';
import { CsvScanner } from '../../src/sources/csv-scanner.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { createRng, type Rng } from '../helpers/prng.js';

const decoder = new TextDecoder();

interface Reading {
  refused: boolean;
  header: string[];
  records: string[][];
}

interface ScannerReading extends Reading {
  rows: number;
  codes: string[];
}

/** The scanner in `chunk`-byte pieces; with `withRecords` every record's fields through onRecord. */
function scan(bytes: Buffer, delimiter: string, chunk: number, withRecords: boolean): ScannerReading {
  const records: string[][] = [];
  const scanner = new CsvScanner({
    displayPath: 'x.csv',
    importName: 'x',
    delimiter: delimiter.charCodeAt(0),
    keyFields: [],
    strictKeys: false,
    delimiterDeclared: true,
    decode: (b) => decoder.decode(b),
    windows1252: false,
    ...(withRecords
      ? {
          onRecord: (record) => {
            records.push(Array.from({ length: record.fieldCount }, (_, i) => record.field(i)));
          },
        }
      : {}),
  });
  for (let i = 0; i < bytes.length; i += chunk) scanner.push(bytes.subarray(i, i + chunk));
  const outcome = scanner.finish();
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(withRecords ? records.length : outcome.rows, outcome.rows);
  return {
    refused: errors.length > 0,
    header: outcome.header,
    rows: outcome.rows,
    records,
    codes: [...new Set(errors.map((d) => d.code))].sort(),
  };
}

function readReference(text: string, delimiter: string): Reading {
  try {
    const [header = [], ...records] = parseCsvDialect(text, delimiter);
    return { refused: false, header, records };
  } catch {
    return { refused: true, header: [], records: [] };
  }
}

/** Both agree; the scanner gives the same answer on its fast path (whole input, no record callback). */
function assertAgree(text: string, delimiter: string, chunk: number, label: string): Reading {
  const bytes = Buffer.from(text, 'utf8');
  const reference = readReference(text, delimiter);
  const sliced = scan(bytes, delimiter, chunk, true);
  const context = `${label}: ${JSON.stringify(text)} (delimiter ${JSON.stringify(delimiter)}, chunk ${chunk})`;
  assert.equal(sliced.refused, reference.refused, `refused? ${context} ${sliced.codes.join(',')}`);
  if (!reference.refused) {
    assert.deepEqual(sliced.header, reference.header, `header: ${context}`);
    assert.deepEqual(sliced.records, reference.records, `records: ${context}`);
  }
  const whole = scan(bytes, delimiter, Math.max(bytes.length, 1), false);
  assert.deepEqual(
    [whole.refused, whole.header, whole.rows, whole.codes],
    [sliced.refused, sliced.header, sliced.rows, sliced.codes],
    `fast path: ${context}`,
  );
  return reference;
}

const PLAIN = ['a', 'Zoë', '12', 'x y', ' ', 'a\\b', '€', 'tab\there', '😀'];
const QUOTED = ['', 'a', 'q""q', '""', 'two\nlines', 'cr\r\nlf', 'lone\rcr', 'x{D}y', '{D}', ' sp '];
const STRAY = ['a"b', '"ab"c', 'a\rb', '"a" ', ' "a"', '"unclosed', 'a"', '"a"\rb'];

/** One field: mostly well-formed, now and then one of the dialect's errors. */
function generateField(rng: Rng, delimiter: string): string {
  const roll = rng.next();
  if (roll < 0.15) return '';
  if (roll < 0.55) return rng.pick(PLAIN).replaceAll('\t', delimiter === '\t' ? '' : '\t');
  if (roll < 0.93) return `"${rng.pick(QUOTED).replaceAll('{D}', delimiter)}"`;
  return rng.pick(STRAY);
}

function generateCsv(rng: Rng): { text: string; delimiter: string } {
  const delimiter = rng.pick([',', ';', '\t']);
  const columns = 1 + rng.int(4);
  const lineEnd = (): string => (rng.chance(0.5) ? '\n' : '\r\n');
  let text = rng.chance(0.2) ? '\uFEFF' : '';
  const records = rng.int(6);
  for (let r = 0; r <= records; r += 1) {
    if (rng.chance(0.1)) text += lineEnd(); // a blank line
    const count = rng.chance(0.08) ? 1 + rng.int(4) : columns;
    const fields = Array.from({ length: count }, () => generateField(rng, delimiter));
    text += fields.join(delimiter);
    if (r < records || rng.chance(0.7)) text += rng.chance(0.03) ? '\r' : lineEnd();
  }
  return { text, delimiter };
}

describe('CSV dialect: the scanner agrees with csv-parse', () => {
  it('on 4,000 seeded generated inputs, cut into chunks of 1 to 7 bytes', () => {
    const rng = createRng(20_240_611);
    let accepted = 0;
    let refused = 0;
    for (let index = 0; index < 4000; index += 1) {
      const { text, delimiter } = generateCsv(rng);
      const reading = assertAgree(text, delimiter, 1 + rng.int(7), `case ${index}`);
      if (reading.refused) refused += 1;
      else accepted += 1;
    }
    // both outcomes are well represented, so agreement is not won by refusing everything
    assert.ok(accepted > 1000 && refused > 1000, `${accepted} accepted, ${refused} refused`);
  });

  it('on every file of the csv-spectrum corpus, and as the corpus expects where the dialect accepts', () => {
    const root = join(REPO_ROOT, 'node_modules', 'csv-spectrum');
    const names = readdirSync(join(root, 'csvs')).filter((n) => n.endsWith('.csv'));
    assert.ok(names.length >= 12);
    const refusedNames: string[] = [];
    for (const name of names) {
      const text = readFileSync(join(root, 'csvs', name), 'utf8');
      for (const chunk of [1, 3, 4096]) assertAgree(text, ',', chunk, name);
      const reading = readReference(text, ',');
      if (reading.refused) {
        refusedNames.push(name);
        continue;
      }
      const expected = JSON.parse(
        readFileSync(join(root, 'json', name.replace(/\.csv$/, '.json')), 'utf8'),
      ) as Record<string, string>[];
      const asObjects = reading.records.map((r) =>
        Object.fromEntries(reading.header.map((h, i) => [h, r[i]])),
      );
      assert.deepEqual(asObjects, expected, name);
    }
    // 37°36'37.8"N: a quote inside an unquoted field, read leniently by the corpus, refused by the dialect
    assert.deepEqual(refusedNames, ['location_coordinates.csv']);
  });

  it('on the decisions above, written out', () => {
    const cases: [string, boolean, string[], string[][]][] = [
      ['', false, [], []],
      ['\n\r\n\n', false, [], []],
      ['a,b\n', false, ['a', 'b'], []],
      [
        '\n\na,b\n\n1,2\r\n\r\n3,4',
        false,
        ['a', 'b'],
        [
          ['1', '2'],
          ['3', '4'],
        ],
      ],
      ['a\n \n""\n', false, ['a'], [[' '], ['']]],
      ['\uFEFFa,b\r\n"x""y","1\r\n2"\r\n', false, ['a', 'b'], [['x"y', '1\r\n2']]],
      ['a,b\n1,x"y\n', true, [], []],
      ['a,b\n1,"x"y\n', true, [], []],
      ['a,b\n1,2\r3,4\n', true, [], []],
      ['a,b\n1,2\r', true, [], []],
      ['a,b\n"1,2\n', true, [], []],
      ['a,b\n1\n', true, [], []],
    ];
    for (const [text, refused, header, records] of cases) {
      const reading = assertAgree(text, ',', 2, 'decision');
      assert.deepEqual([reading.refused, reading.header, reading.records], [refused, header, records], text);
    }
  });
});
