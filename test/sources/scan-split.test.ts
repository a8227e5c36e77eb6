// A big CSV scanned as two halves on two workers (scan-split.ts): joined, the halves must give exactly the
// one-pass scan, and any half that cannot stand alone must send the file back to one pass.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KEY_BLANK, KEY_HASHED, KEY_PADDED } from '../../src/sources/key-identity.js';
import { CHUNK_BYTES } from '../../src/sources/read-chunks.js';
import type { RowHashes } from '../../src/sources/row-types.js';
import {
  type HalfScan,
  type ScanHalf,
  type ScanOptions,
  scanFileSync,
  scanHalfSync,
} from '../../src/sources/scan-file.js';
import type { FileScanner } from '../../src/sources/scan-pool.js';
import { joinable, joinHalves, SPLIT_BYTES, scanSplit, splits } from '../../src/sources/scan-split.js';
import type { FileScan } from '../../src/sources/types.js';
import { createRng, type Rng } from '../helpers/prng.js';

const OPTIONS: ScanOptions = {
  displayPath: 'data.csv',
  format: 'csv',
  delimiter: ',',
  delimiterDeclared: true,
  encoding: 'utf-8',
  keyFields: ['Email'],
  strictKeys: true,
  uniqueKeys: true,
  importName: 'x',
  rows: true,
};

const BOM = '\uFEFF';
const HEADER = ['Email', 'Name', 'City', 'Note'];

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'scan-split-test-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileCount = 0;
function write(content: string | Buffer): string {
  fileCount += 1;
  const path = join(dir, `data-${fileCount}.csv`);
  writeFileSync(path, content);
  return path;
}

/** A CSV, and the byte offsets just past each record's line end (never inside a quoted field). */
interface Generated {
  content: Buffer;
  /** Just past the header's line end, then just past each data record's. */
  boundaries: number[];
}

const LETTERS = ['a', 'b', 'e', 'k', 'z', 'é', 'ü', 'ø', 'ß', 'ł', 'Ж', 'ω', '中'];

function word(rng: Rng): string {
  let out = '';
  const length = 1 + rng.int(8);
  for (let i = 0; i < length; i += 1) out += rng.pick(LETTERS);
  return out;
}

/** A field as written: plain, or quoted with commas, doubled quotes, a backslash or a tab inside. */
function field(rng: Rng, value: string, allowLineEnd: boolean): string {
  const roll = rng.int(10);
  if (roll < 5) return value;
  if (roll < 7) return `"${value}, ${word(rng)}"`;
  if (roll < 8) return `"say ""${value}"" \\ ${word(rng)}"`;
  if (roll < 9) return `"${value}\t${word(rng)}"`;
  return allowLineEnd ? `"${value}\n${word(rng)}"` : `"${value}"`;
}

function generate(
  seed: number,
  rows: number,
  { crlf = false, bom = false, finalNewline = true, multiline = true } = {},
): Generated {
  const rng = createRng(seed);
  const eol = crlf ? '\r\n' : '\n';
  const lines = [HEADER.join(',') + eol];
  for (let i = 0; i < rows; i += 1) {
    const email = `${word(rng)}.${i}@example.nl`;
    const fields = [
      rng.chance(0.2) ? `"${email}"` : email,
      field(rng, word(rng), false),
      field(rng, word(rng), false),
      field(rng, word(rng), multiline),
    ];
    lines.push(fields.join(',') + eol);
  }
  if (!finalNewline) lines[lines.length - 1] = (lines[lines.length - 1] as string).slice(0, -eol.length);
  const boundaries: number[] = [];
  let offset = bom ? Buffer.byteLength(BOM) : 0;
  for (const line of lines) {
    offset += Buffer.byteLength(line);
    boundaries.push(offset);
  }
  return { content: Buffer.from((bom ? BOM : '') + lines.join('')), boundaries };
}

function plainRows(rows: RowHashes | undefined) {
  if (rows === undefined) return undefined;
  const n = rows.count;
  return {
    count: n,
    keys: Array.from(rows.keys.subarray(0, n * 2)),
    hashes: Array.from(rows.hashes.subarray(0, n * 2)),
    sent: Array.from(rows.sent.subarray(0, n)),
    lines: Array.from(rows.lines.subarray(0, n)),
    states: Array.from(rows.states.subarray(0, n)),
  };
}

/** What the row diff and the plan read of a scan, the row arrays as plain arrays over `count` entries. */
function comparable(scan: FileScan) {
  return {
    hash: scan.hash,
    rows: scan.rows,
    header: scan.header,
    sentBytes: scan.sentBytes,
    headerBytes: scan.headerBytes,
    blankKeys: scan.blankKeys,
    duplicateKeys: scan.duplicateKeys,
    duplicateExamples: scan.duplicateExamples,
    truncated: scan.truncated,
    diagnostics: scan.diagnostics,
    scanKey: scan.scanKey,
    rowHashes: plainRows(scan.rowHashes),
  };
}

function halves(path: string, at: number, options: ScanOptions = OPTIONS): [HalfScan, HalfScan] {
  return [
    scanHalfSync(path, options, { half: 'first', at }),
    scanHalfSync(path, options, { half: 'second', at }),
  ];
}

/** Split at `at`: the halves join, and the join is the one-pass scan (`whole`, made comparable). */
function assertJoinsToOnePass(
  path: string,
  at: number,
  whole: ReturnType<typeof comparable>,
  label: string,
): void {
  const [first, second] = halves(path, at);
  assert.equal(first.clean, true, `${label}: the first half ends between records`);
  assert.equal(joinable(first, second), true, `${label}: joinable`);
  assert.deepEqual(comparable(joinHalves(first, second)), whole, label);
}

/** A few split points: after the first data row, spread through the file, the last record's end. */
function splitPoints(boundaries: readonly number[], seed: number): number[] {
  const rng = createRng(seed);
  const data = boundaries.slice(1); // past the header's line end the first half would hold no rows
  const picked = new Set<number>([data[0] as number, data[data.length - 1] as number]);
  for (const share of [0.25, 0.45, 0.5, 0.8]) picked.add(data[Math.floor(data.length * share)] as number);
  for (let i = 0; i < 3; i += 1) picked.add(rng.pick(data));
  // the last record end before the first half's second 1 MiB read, and the first after it
  const chunk = data.findIndex((b) => b > CHUNK_BYTES);
  if (chunk > 0) for (const i of [chunk - 1, chunk]) picked.add(data[i] as number);
  return [...picked].sort((a, b) => a - b);
}

function stubScanner() {
  const calls = { scan: 0, scanHalf: 0, halves: [] as ScanHalf[] };
  const scanner: FileScanner = {
    workers: 2,
    scan: async (p, o) => {
      calls.scan += 1;
      return scanFileSync(p, o);
    },
    scanHalf: async (p, o, h) => {
      calls.scanHalf += 1;
      calls.halves.push(h);
      return scanHalfSync(p, o, h);
    },
    close: async () => {},
  };
  return { scanner, calls };
}

describe('scan-split: joined halves equal the one-pass scan', () => {
  const cases: { name: string; seed: number; rows: number; crlf?: boolean; bom?: boolean }[] = [
    { name: 'LF', seed: 1, rows: 3000 },
    { name: 'CRLF', seed: 2, rows: 2500, crlf: true },
    { name: 'BOM, LF', seed: 3, rows: 2000, bom: true },
    { name: 'CRLF, over one read chunk', seed: 4, rows: 20000, crlf: true },
  ];
  for (const c of cases) {
    it(`${c.name}: at every split point the join deep-equals scanFileSync`, () => {
      const generated = generate(c.seed, c.rows, { crlf: c.crlf ?? false, bom: c.bom ?? false });
      const path = write(generated.content);
      const whole = scanFileSync(path, OPTIONS);
      // the data is clean and has multi-line records, quotes and non-ASCII letters in it
      assert.deepEqual(whole.diagnostics, []);
      assert.equal(whole.rows, c.rows);
      assert.deepEqual(whole.header, HEADER);
      assert.ok(generated.content.includes('""'));
      assert.ok(generated.content.includes('ü') || generated.content.includes('中'));
      assert.ok(
        ((whole.rowHashes as RowHashes).lines[c.rows - 1] as number) > c.rows + 1,
        'some records span lines',
      );
      if (c.rows > 10000) assert.ok(generated.content.length > 1024 * 1024, 'past one 1 MiB read');
      const expected = comparable(whole);
      for (const at of splitPoints(generated.boundaries, c.seed))
        assertJoinsToOnePass(path, at, expected, `${c.name} at ${at}`);
    });
  }

  it('a split at the end of the file (an empty second half) still joins to the one-pass scan', () => {
    const generated = generate(5, 500);
    const path = write(generated.content);
    const size = statSync(path).size;
    assert.equal(generated.boundaries[generated.boundaries.length - 1], size);
    const [first, second] = halves(path, size);
    assert.equal(second.scan.rows, 0);
    assert.equal(joinable(first, second), true);
    assert.deepEqual(comparable(joinHalves(first, second)), comparable(scanFileSync(path, OPTIONS)));
  });

  it('a file that does not end with a newline: the join is still the one-pass scan', () => {
    for (const crlf of [false, true]) {
      const generated = generate(6, 1500, { crlf, finalNewline: false });
      assert.notEqual(generated.content[generated.content.length - 1], 0x0a);
      const path = write(generated.content);
      const whole = scanFileSync(path, OPTIONS);
      assert.equal(whole.rows, 1500);
      assert.equal(whole.truncated, false);
      const expected = comparable(whole);
      for (const at of splitPoints(generated.boundaries.slice(0, -1), 6))
        assertJoinsToOnePass(path, at, expected, `no final newline, crlf ${crlf}, at ${at}`);
    }
  });

  it('the joined row lines are the file lines, past multi-line records in the first half', () => {
    const content =
      'Email,Name,City,Note\na@x.nl,A,B,"one\ntwo\nthree"\nb@x.nl,B,C,D\n\nc@x.nl,"x\ny",C,D\nd@x.nl,E,F,G\n';
    const path = write(content);
    const at = content.indexOf('c@x.nl');
    const [first, second] = halves(path, at);
    assert.equal(first.line, 7);
    const joined = joinHalves(first, second);
    assert.deepEqual(plainRows(joined.rowHashes)?.lines, [2, 5, 7, 9]);
    assert.deepEqual(comparable(joined), comparable(scanFileSync(path, OPTIONS)));
  });
});

describe('scan-split: halves that cannot stand alone', () => {
  it('a quoted field holding a line end across the split: the first half is not clean, nor joinable', () => {
    for (const eol of ['\n', '\r\n']) {
      const content = `Email,Name,City,Note${eol}a@x.nl,A,B,C${eol}b@x.nl,B,"first line${eol}second line",D${eol}c@x.nl,E,F,G${eol}`;
      const path = write(content);
      const at = content.indexOf('first line') + `first line${eol}`.length;
      const [first, second] = halves(path, at);
      assert.equal(first.clean, false);
      assert.equal(joinable(first, second), false);
    }
  });

  it('joinable needs both halves clean, both with rows, no problem past the header line', () => {
    const generated = generate(12, 200);
    const path = write(generated.content);
    const [first, second] = halves(path, generated.boundaries[100] as number);
    assert.equal(joinable(first, second), true);
    assert.equal(joinable({ ...first, clean: false }, second), false);
    assert.equal(joinable(first, { ...second, clean: false }), false);
    const { rowHashes: _a, ...firstWithoutRows } = first.scan;
    assert.equal(joinable({ ...first, scan: firstWithoutRows }, second), false);
    const { rowHashes: _b, ...secondWithoutRows } = second.scan;
    assert.equal(joinable(first, { ...second, scan: secondWithoutRows }), false);
    const at = (line: number) => ({
      severity: 'error' as const,
      code: 'E_SOURCE_COLUMNS',
      message: 'x',
      position: { file: 'data.csv', line, column: 1 },
    });
    const withProblem = (line: number) => ({ ...second, scan: { ...second.scan, diagnostics: [at(line)] } });
    assert.equal(joinable(first, withProblem(1)), true);
    assert.equal(joinable(first, withProblem(2)), false);
  });

  it('problems on the header line, which both halves read: joinable, and the join is the one-pass scan', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `u${i}@x.nl;Ann\n`).join('');
    const content = `Email;Name\n${rows}`;
    const path = write(content);
    const options = { ...OPTIONS, delimiterDeclared: false };
    const whole = scanFileSync(path, options);
    assert.deepEqual(
      whole.diagnostics.map((d) => [d.code, d.position?.line]),
      [
        ['E_SOURCE_DELIMITER', 1],
        ['E_SOURCE_KEY_MISSING', 1],
      ],
    );
    const [first, second] = halves(path, content.indexOf('u20@'), options);
    assert.equal(joinable(first, second), true);
    assert.deepEqual(comparable(joinHalves(first, second)), comparable(whole));
  });

  it("the joined row arrays carry the second half's key states (a blank and a padded key past the split)", () => {
    const content = 'Email,Name\na@x.nl,A\nb@x.nl,B\n" c@x.nl",C\n,D\ne@x.nl,E\n';
    const path = write(content);
    const whole = scanFileSync(path, OPTIONS);
    const states = plainRows(whole.rowHashes)?.states ?? [];
    assert.equal((states[2] as number) & KEY_PADDED, KEY_PADDED);
    assert.equal((states[3] as number) & KEY_BLANK, KEY_BLANK);
    assert.equal(states[4], KEY_HASHED);
    const [first, second] = halves(path, content.indexOf('" c@'));
    // the problems are past the split: not joinable, but the rows themselves still line up
    assert.equal(joinable(first, second), false);
    assert.deepEqual(plainRows(joinHalves(first, second).rowHashes), plainRows(whole.rowHashes));
  });

  it('a problem past the split (wrong field count, stray quote): not joinable', () => {
    const base = generate(7, 400);
    const at = base.boundaries[200] as number;
    // between two records, well past the split
    const cut = base.boundaries[300] as number;
    const problems = [
      ['a row with too many fields', 'bad@x.nl,A,B,C,D\n', 'E_SOURCE_COLUMNS'],
      ['a row with too few fields', 'bad@x.nl,A\n', 'E_SOURCE_COLUMNS'],
      ['a stray quote', 'bad@x.nl,A"b,C,D\n', 'E_SOURCE_QUOTE'],
      ['text after a closing quote', 'bad@x.nl,"A"b,C,D\n', 'E_SOURCE_QUOTE'],
    ] as const;
    for (const [name, row, code] of problems) {
      const path = write(
        Buffer.concat([base.content.subarray(0, cut), Buffer.from(row), base.content.subarray(cut)]),
      );
      const whole = scanFileSync(path, OPTIONS);
      assert.deepEqual(
        whole.diagnostics.map((d) => d.code),
        [code],
        name,
      );
      const [first, second] = halves(path, at);
      assert.equal(first.clean, true, name);
      assert.deepEqual(first.scan.diagnostics, [], name);
      assert.equal(joinable(first, second), false, name);
    }
  });

  it('problems only in the first half: joinable, and the joined diagnostics are the one-pass scan', () => {
    const base = generate(8, 400);
    const at = base.boundaries[300] as number;
    const rows = 'bad1@x.nl,A,B,C,D\nbad2@x.nl,A"b,C,D\n,blank,key,here\n';
    const cut = base.boundaries[100] as number;
    const path = write(
      Buffer.concat([base.content.subarray(0, cut), Buffer.from(rows), base.content.subarray(cut)]),
    );
    const shiftedAt = at + rows.length;
    const whole = scanFileSync(path, OPTIONS);
    assert.deepEqual(
      whole.diagnostics.map((d) => d.code),
      ['E_SOURCE_QUOTE', 'E_SOURCE_COLUMNS', 'E_SOURCE_BLANK_KEY'],
    );
    assert.equal(whole.blankKeys, 1);
    const [first, second] = halves(path, shiftedAt);
    assert.equal(joinable(first, second), true);
    const joined = joinHalves(first, second);
    assert.deepEqual(joined.diagnostics, whole.diagnostics);
    assert.deepEqual(comparable(joined), comparable(whole));
  });
});

describe('scanSplit', () => {
  it('a clean file: both halves scanned, joined to the one-pass result, no second pass', async () => {
    const generated = generate(9, 3000, { crlf: true, multiline: false });
    const path = write(generated.content);
    const size = statSync(path).size;
    const { scanner, calls } = stubScanner();
    const result = await scanSplit(scanner, path, OPTIONS, size);
    assert.equal(calls.scanHalf, 2);
    assert.equal(calls.scan, 0);
    const at = calls.halves[0]?.at as number;
    assert.deepEqual(
      calls.halves.map((h) => h.half),
      ['first', 'second'],
    );
    assert.equal(calls.halves[1]?.at, at);
    // just past the first line end at or after 45 % of the file
    const middle = Math.floor(size * 0.45);
    assert.equal(at, generated.content.indexOf(0x0a, middle) + 1);
    assert.deepEqual(comparable(result), comparable(scanFileSync(path, OPTIONS)));
  });

  it('a quoted line end where it splits: falls back to one pass, with the one-pass result', async () => {
    const rows = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => `user${from + i}@x.nl,Ann,Delft,plain\n`).join('');
    const prefix = `Email,Name,City,Note\n${rows(0, 200)}`;
    const special = `long@x.nl,Ann,Delft,"${'A'.repeat(6000)}\n${'B'.repeat(20)}"\n`;
    const content = prefix + special + rows(200, 200);
    const path = write(content);
    const size = statSync(path).size;
    // the first line end after 45 % of the file is inside the quoted field
    const middle = Math.floor(size * 0.45);
    const quoteOpen = prefix.length + special.indexOf('"');
    assert.ok(middle > quoteOpen && content.indexOf('\n', middle) === content.indexOf('\nBBB'));
    const { scanner, calls } = stubScanner();
    const result = await scanSplit(scanner, path, OPTIONS, size);
    assert.equal(calls.scanHalf, 2);
    assert.equal(calls.scan, 1);
    assert.equal(calls.halves[0]?.at, content.indexOf('\nBBB') + 1);
    const whole = scanFileSync(path, OPTIONS);
    assert.equal(whole.rows, 401);
    assert.deepEqual(comparable(result), comparable(whole));
  });

  it('a problem past the point it picks: falls back to one pass', async () => {
    const generated = generate(10, 1000);
    const cut = generated.boundaries[900] as number;
    const path = write(
      Buffer.concat([
        generated.content.subarray(0, cut),
        Buffer.from('bad@x.nl,A\n'),
        generated.content.subarray(cut),
      ]),
    );
    const { scanner, calls } = stubScanner();
    const result = await scanSplit(scanner, path, OPTIONS, statSync(path).size);
    assert.equal(calls.scan, 1);
    const whole = scanFileSync(path, OPTIONS);
    // the row after the bad one starts a line later
    const next = (whole.rowHashes as RowHashes).lines[900] as number;
    assert.deepEqual(
      whole.diagnostics.map((d) => [d.code, d.position?.line]),
      [['E_SOURCE_COLUMNS', next - 1]],
    );
    assert.deepEqual(comparable(result), comparable(whole));
  });

  it('a header with a quoted line end, or blank lines before it: the second half reads the same header record', async () => {
    const rows = (n: number, line: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => line(i)).join('');
    const cases = [
      ['quoted line end', `"Note\nText",Email\n${rows(1000, (i) => `n,user${i}@x.nl\n`)}`],
      ['blank line first', `\nEmail,Name\n${rows(1000, (i) => `user${i}@x.nl,Ann\n`)}`],
      ['blank CRLF line first', `\r\nEmail,Name\r\n${rows(1000, (i) => `user${i}@x.nl,Ann\r\n`)}`],
    ];
    for (const [label, content] of cases) {
      const path = write(content as string);
      const { scanner, calls } = stubScanner();
      const result = await scanSplit(scanner, path, OPTIONS, statSync(path).size);
      assert.equal(calls.scan, 0, `${label}: joined, no second pass`);
      assert.equal(result.rows, 1000, label);
      assert.deepEqual(comparable(result), comparable(scanFileSync(path, OPTIONS)), label);
    }
  });

  it('a first half holding no row (a header longer than the split): one pass, no "no data rows" of a half', async () => {
    const path = write(`Email,Name,${'C'.repeat(100)}\nu@x.nl,a,b\n`);
    const { scanner, calls } = stubScanner();
    const result = await scanSplit(scanner, path, OPTIONS, statSync(path).size);
    assert.equal(calls.scan, 1);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(comparable(result), comparable(scanFileSync(path, OPTIONS)));
  });

  it('a worker that died (scanHalf undefined): falls back to one pass', async () => {
    const path = write(generate(11, 300).content);
    const { scanner, calls } = stubScanner();
    scanner.scanHalf = async () => undefined;
    const result = await scanSplit(scanner, path, OPTIONS, statSync(path).size);
    assert.equal(calls.scan, 1);
    assert.deepEqual(comparable(result), comparable(scanFileSync(path, OPTIONS)));
  });
});

describe('splits', () => {
  it('only a big rows-mode CSV with unique keys, not UTF-16', () => {
    assert.equal(splits(OPTIONS, SPLIT_BYTES), true);
    assert.equal(splits(OPTIONS, SPLIT_BYTES * 4), true);
    assert.equal(splits({ ...OPTIONS, encoding: 'windows-1252' }, SPLIT_BYTES), true);
    assert.equal(splits(OPTIONS, SPLIT_BYTES - 1), false);
    assert.equal(splits(OPTIONS, 0), false);
    assert.equal(splits({ ...OPTIONS, format: 'json' }, SPLIT_BYTES), false);
    assert.equal(splits({ ...OPTIONS, format: 'jsonl' }, SPLIT_BYTES), false);
    assert.equal(splits({ ...OPTIONS, encoding: 'utf-16le' }, SPLIT_BYTES), false);
    const { rows: _rows, ...withoutRows } = OPTIONS;
    assert.equal(splits(withoutRows, SPLIT_BYTES), false);
    assert.equal(splits({ ...OPTIONS, rows: false }, SPLIT_BYTES), false);
    const { uniqueKeys: _unique, ...withoutUnique } = OPTIONS;
    assert.equal(splits(withoutUnique, SPLIT_BYTES), false);
    assert.equal(splits({ ...OPTIONS, uniqueKeys: false }, SPLIT_BYTES), false);
  });
});
