// computeSentBytes from the scans' sentBytes/headerBytes equals the byte count of what the upload sends:
// escapeChunks(streamSourceText(source)), over seeded multi-file sources in every encoding and format.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SourceEncoding, SourceFormat } from '../../src/config/types.js';
import { escapeChunks } from '../../src/copernica/json-escape-stream.js';
import { decodeWindows1252 } from '../../src/sources/decode.js';
import { resolveSources } from '../../src/sources/resolve-source.js';
import { computeSentBytes } from '../../src/sources/sent-bytes.js';
import { streamSourceText } from '../../src/sources/stream-source-text.js';
import type { ResolvedSource } from '../../src/sources/types.js';
import { createFixtureDir } from '../helpers/cli.js';
import { createRng, type Rng } from '../helpers/prng.js';
import { createDefinition } from './scan-helpers.js';

/** Characters windows-1252 holds above ASCII (all of 0x80..0xFF, as decode.ts decodes them). */
const WINDOWS_1252 = Array.from({ length: 128 }, (_, i) => decodeWindows1252(Uint8Array.of(0x80 + i)));
const ENCODE_1252 = new Map(WINDOWS_1252.map((c, i) => [c, 0x80 + i]));
const UNICODE = ['é', 'Zoë', '€', '’', 'ß', 'Ж', '中', '😀', '\u2028'];
const ASCII = [
  'a',
  'Bob',
  '@',
  ' ',
  '\\',
  '\t',
  '"',
  '/',
  '\u0001',
  '\u0008',
  '\u000c',
  '\u001f',
  '\u007f',
  ',',
];

type Encoding = SourceEncoding | 'utf-8 BOM';

interface SourceCase {
  format: SourceFormat;
  encoding: Encoding;
  files: string[];
}

function generateText(rng: Rng, encoding: Encoding, lineBreaks: boolean): string {
  const letters = encoding === 'windows-1252' || encoding === 'latin1' ? WINDOWS_1252 : UNICODE;
  let text = '';
  for (let i = rng.int(6); i > 0; i -= 1) {
    const roll = rng.next();
    if (roll < 0.6) text += rng.pick(ASCII);
    else if (roll < 0.9) text += rng.pick(letters);
    else if (lineBreaks) text += rng.pick(['\n', '\r\n', '\r']);
  }
  return text;
}

/** A valid CSV field: plain when it can be, else quoted with its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value === '' ? `"${value.replaceAll('"', '""')}"` : value;
}

function generateCsvFile(rng: Rng, encoding: Encoding): string {
  const roll = rng.next();
  if (roll < 0.08) return ''; // an empty file
  const header = 'Email,"No\\te"';
  if (roll < 0.14) return rng.chance(0.5) ? header : `${header}\n`; // header only, with or without its LF
  const lineEnd = rng.chance(0.5) ? '\r\n' : '\n';
  const rows = Array.from(
    { length: 1 + rng.int(4) },
    () => `${csvField(generateText(rng, encoding, false))},${csvField(generateText(rng, encoding, true))}`,
  );
  const text = [header, ...rows].join(lineEnd);
  return rng.chance(0.7) ? text + lineEnd : text;
}

function generateJsonFile(rng: Rng, encoding: Encoding, format: SourceFormat): string {
  const records = Array.from({ length: rng.int(4) }, () => {
    const fields: [string, string][] = [
      ['Email', JSON.stringify(generateText(rng, encoding, true))],
      ['N"ote\\', rng.pick(['1.50', '-2e3', 'null', 'true', '12345678901234567890', '"\\u00e9\\n"'])],
    ];
    if (rng.chance(0.3)) fields.reverse(); // another key order: the upload rewrites it, same length
    const space = rng.chance(0.5) ? ' ' : '';
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${space}${v}`).join(`,${space}`)}}`;
  });
  if (format === 'jsonl') return records.map((r) => `${r}\n`).join('') + (rng.chance(0.3) ? '\n' : '');
  return `[\n  ${records.join(',\n  ')}\n]${rng.chance(0.5) ? '\n' : ''}`;
}

function encode(text: string, encoding: Encoding): Buffer {
  if (encoding === 'utf-8 BOM') return Buffer.from(`\uFEFF${text}`, 'utf8');
  if (encoding === 'utf-16le') return Buffer.from(`\uFEFF${text}`, 'utf16le');
  if (encoding === 'windows-1252' || encoding === 'latin1')
    return Buffer.from([...text].map((c) => ENCODE_1252.get(c) ?? c.charCodeAt(0)));
  return Buffer.from(text, 'utf8');
}

function generateCase(rng: Rng): SourceCase {
  const format = rng.pick<SourceFormat>(['csv', 'csv', 'json', 'jsonl']);
  const encoding = rng.pick<Encoding>(['utf-8', 'utf-8 BOM', 'windows-1252', 'latin1', 'utf-16le']);
  const files = Array.from({ length: 1 + rng.int(4) }, () =>
    format === 'csv' ? generateCsvFile(rng, encoding) : generateJsonFile(rng, encoding, format),
  );
  return { format, encoding, files };
}

/** What the upload sends, counted. */
async function countSentBytes(source: ResolvedSource, files?: string[]): Promise<number> {
  let total = 0;
  for await (const chunk of escapeChunks(streamSourceText(source, files ? { files } : {})))
    total += chunk.length;
  return total;
}

const CASES = 150;
const rng = createRng(12_2026);
const cases = Array.from({ length: CASES }, () => generateCase(rng));
const extension = { csv: 'csv', json: 'json', jsonl: 'jsonl' } as const;
const fixture = createFixtureDir(
  Object.fromEntries(
    cases.flatMap((c, n) =>
      c.files.map((text, f) => [`case-${n}/file-${f}.${extension[c.format]}`, encode(text, c.encoding)]),
    ),
  ),
);
after(() => fixture.cleanup());

describe('computeSentBytes', () => {
  it(`equals the escaped upload's byte count on ${CASES} seeded multi-file sources (every encoding and format)`, async () => {
    const definitions = cases.map((c, n) =>
      createDefinition({
        name: `case-${n}`,
        format: c.format,
        encoding: c.encoding === 'utf-8 BOM' ? 'utf-8' : c.encoding,
        keyFields: [],
        source: { kind: 'files', globs: [`case-${n}/*`] },
      }),
    );
    const context = {
      configDir: fixture.dir,
      displayDir: fixture.dir,
      cache: {},
      nowMs: 0,
      allowOutside: false,
    };
    const sources = await resolveSources(definitions, context);
    const seen = { csv: 0, json: 0, jsonl: 0 };
    for (const [n, c] of cases.entries()) {
      const source = sources.get(`case-${n}`) as ResolvedSource;
      const label = `case ${n} (${c.format}, ${c.encoding}): ${JSON.stringify(c.files)}`;
      assert.equal(source.files.length, c.files.length, label);
      const format = source.format ?? 'csv';
      assert.equal(computeSentBytes(source.files, format), await countSentBytes(source), label);
      // one file at a time, as per-file mode sends them
      const [first] = source.files;
      if (first)
        assert.equal(computeSentBytes([first], format), await countSentBytes(source, [first.path]), label);
      seen[c.format] += 1;
    }
    assert.ok(seen.csv > 40 && seen.json > 20 && seen.jsonl > 20, JSON.stringify(seen));
  });

  it('adds CSV files as they are sent together: the first whole, later ones without their header', () => {
    const files = [
      { sentBytes: 0, headerBytes: 0, rows: 0 },
      { sentBytes: 30, headerBytes: 12, rows: 2 },
      { sentBytes: 12, headerBytes: 12, rows: 0 },
      { sentBytes: 20, headerBytes: 12, rows: 1 },
    ];
    assert.equal(computeSentBytes(files, 'csv'), 30 + 0 + 8);
    assert.equal(computeSentBytes(files, 'jsonl'), 2 + 62 + 2);
    assert.equal(computeSentBytes([], 'json'), 2);
  });
});
