// streamSourceText: the exact text sent to Copernica, compared byte for byte.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ImportDefinition } from '../../src/config/types.js';
import { resolveSource } from '../../src/sources/resolve-source.js';
import { streamSourceText } from '../../src/sources/stream-source-text.js';
import type { ResolvedSource } from '../../src/sources/types.js';
import { createFixtureDir } from '../helpers/cli.js';
import { createDefinition } from './scan-helpers.js';

/** About 3.5 MiB of rows whose text says which file and row they are, so a reused buffer shows. */
function bigRows(file: number): string {
  const rows: string[] = [];
  for (let i = 0; i < 80_000; i += 1) rows.push(`f${file}r${i}@x.nl,"row ${i} of ${file}: ""Zoë"" \\ €"\n`);
  return rows.join('');
}

const fixture = createFixtureDir({
  'csv/1-plain.csv': 'Email,Note\na@x.nl,one\n',
  'csv/2-bom-crlf.csv': '\uFEFFEmail,Note\r\nb@x.nl,"two\r\nlines"\r\n',
  'csv/3-no-newline.csv': 'Email,Note\nc@x.nl,"three, quoted"',
  'csv/4-header-only.csv': 'Email,Note\n',
  'csv/5-last.csv': 'Email,Note\nd@x.nl,four\n',
  'quoted-header/a.csv': '"Email","Multi\nLine"\na@x.nl,1\n',
  'quoted-header/b.csv': '"Email","Multi\nLine"\nb@x.nl,2\n',
  'json/a.json':
    '[\n {"Email":"a@x.nl", "Big": 12345678901234567890, "Name": "A"},\n {"Name":"B \\"q\\"","Email":"b@x.nl","Big":1.50}\n]',
  'json/b.jsonl': '{"Big":-2e3,"Name":null,"Email":"c@x.nl"}\n',
  'utf8/a.csv': '\uFEFFEmail,Naam\r\nzoe@x.nl,"Zoë ""€"" 😀"\r\n',
  'utf8/b.csv': 'Email,Naam\r\nbob@x.nl,Bob',
  // Several 1 MiB reads each, so the two reused read buffers turn over within and across files.
  'big/a.csv': `Email,Note\n${bigRows(0)}`,
  'big/b.csv': `\uFEFFEmail,Note\n${bigRows(1)}`,
  'big/c.csv': `Email,Note\n${bigRows(2)}`,
  'enc/cp.csv': Buffer.from('Email,Name\na@x.nl,Ren\xe9e\n', 'latin1'),
  // an Excel export: `;`, a euro sign and curly quotes (bytes 0x80, 0x93, 0x94), no newline at the end
  'enc/excel.csv': Buffer.from('Email;Prijs\r\nb@x.nl;\x80 5 \x93Zo\xeb\x94', 'latin1'),
  'enc/utf16.csv': Buffer.from('\uFEFFEmail,Name\r\nb@x.nl,Zo\u00eb\r\n', 'utf16le'),
});
after(() => fixture.cleanup());

async function piecesOf(source: ResolvedSource, files?: string[]): Promise<Array<string | Uint8Array>> {
  const pieces: Array<string | Uint8Array> = [];
  // byte pieces are views into reused read buffers: kept pieces must be copies
  for await (const piece of streamSourceText(source, files ? { files } : {}))
    pieces.push(typeof piece === 'string' ? piece : Buffer.from(piece));
  return pieces;
}

/** The pieces joined as the bytes sent: strings as UTF-8, byte pieces as they are. */
async function bytesOf(source: ResolvedSource, files?: string[]): Promise<Buffer> {
  const pieces = await piecesOf(source, files);
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

async function textOf(source: ResolvedSource, files?: string[]): Promise<string> {
  return (await bytesOf(source, files)).toString('utf8');
}

function resolve(globs: string[], extra: Partial<ImportDefinition> = {}): Promise<ResolvedSource> {
  const ctx = {
    configDir: fixture.dir,
    displayDir: fixture.dir,
    cache: {},
    nowMs: Date.now(),
    allowOutside: false,
  };
  return resolveSource(createDefinition({ source: { kind: 'files', globs }, ...extra }), ctx);
}

describe('streamSourceText', () => {
  it('CSV: one header, later headers dropped, BOM stripped, every file newline-ended, bytes kept', async () => {
    const source = await resolve(['csv/*.csv']);
    assert.deepEqual(
      source.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const expected =
      'Email,Note\na@x.nl,one\n' + 'b@x.nl,"two\r\nlines"\r\n' + 'c@x.nl,"three, quoted"\n' + 'd@x.nl,four\n';
    assert.equal(await textOf(source), expected);
  });

  it('CSV per file: the header of the selected file, then its records', async () => {
    const source = await resolve(['csv/*.csv']);
    assert.equal(await textOf(source, ['csv/2-bom-crlf.csv']), 'Email,Note\r\nb@x.nl,"two\r\nlines"\r\n');
  });

  it('CSV: a quoted header holding a newline is dropped whole from later files', async () => {
    const source = await resolve(['quoted-header/*.csv'], { keyFields: [] });
    assert.equal(await textOf(source), '"Email","Multi\nLine"\na@x.nl,1\nb@x.nl,2\n');
  });

  it('JSON and JSONL: one array, every record in the first record key order, values byte for byte', async () => {
    const source = await resolve(['json/a.json']);
    const expected =
      '[{"Email":"a@x.nl","Big":12345678901234567890,"Name":"A"},{"Email":"b@x.nl","Big":1.50,"Name":"B \\"q\\""}]';
    assert.equal(await textOf(source), expected);
    const jsonl = await resolve(['json/b.jsonl']);
    assert.equal(await textOf(jsonl), '[{"Big":-2e3,"Name":null,"Email":"c@x.nl"}]');
  });

  it('UTF-8 CSV comes as the file bytes (no decoding), windows-1252, UTF-16 and JSON as strings', async () => {
    const source = await resolve(['utf8/*.csv']);
    const pieces = await piecesOf(source);
    assert.ok(pieces.length > 0 && pieces.every((p) => typeof p !== 'string'), 'UTF-8 CSV pieces are bytes');
    const expected = 'Email,Naam\r\nzoe@x.nl,"Zoë ""€"" 😀"\r\nbob@x.nl,Bob\n';
    assert.deepEqual(await bytesOf(source), Buffer.from(expected, 'utf8'));
    const cp = await resolve(['enc/cp.csv'], { encoding: 'windows-1252' });
    assert.ok((await piecesOf(cp)).every((p) => typeof p === 'string'));
    const utf16 = await resolve(['enc/utf16.csv'], { encoding: 'utf-16le' });
    assert.ok((await piecesOf(utf16)).every((p) => typeof p === 'string'));
    assert.ok((await piecesOf(await resolve(['json/a.json']))).every((p) => typeof p === 'string'));
  });

  it('UTF-8 CSV over many reads and files: byte for byte, each piece intact until the next is pulled', async () => {
    const source = await resolve(['big/*.csv']);
    const expected = `Email,Note\n${bigRows(0)}${bigRows(1)}${bigRows(2)}`;
    const pieces = await piecesOf(source);
    assert.ok(pieces.length >= 8, `several reads per file (got ${pieces.length} pieces)`);
    assert.equal(Buffer.concat(pieces.map((p) => Buffer.from(p))).toString('utf8'), expected);
  });

  it('UTF-8 CSV: stopping after the first piece closes the file without an error', async () => {
    const source = await resolve(['big/a.csv']);
    let seen = 0;
    for await (const piece of streamSourceText(source)) {
      seen += piece.length;
      break;
    }
    assert.ok(seen > 0);
    assert.equal(await textOf(source), `Email,Note\n${bigRows(0)}`);
  });

  it('sends windows-1252 as the characters Excel meant: € and curly quotes, not C1 controls', async () => {
    for (const encoding of ['windows-1252', 'latin1'] as const) {
      const source = await resolve(['enc/excel.csv'], { encoding, delimiter: ';' });
      assert.equal(await textOf(source), 'Email;Prijs\r\nb@x.nl;€ 5 “Zoë”\n');
    }
  });

  it('transcodes windows-1252 and UTF-16LE to UTF-8 text', async () => {
    const cp = await resolve(['enc/cp.csv'], { encoding: 'windows-1252' });
    assert.equal(await textOf(cp), 'Email,Name\na@x.nl,Ren\u00e9e\n');
    const utf16 = await resolve(['enc/utf16.csv'], { encoding: 'utf-16le' });
    assert.equal(await textOf(utf16), 'Email,Name\r\nb@x.nl,Zo\u00eb\r\n');
  });
});
