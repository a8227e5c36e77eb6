import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createImportBody,
  ESCAPE_WORKER_BYTES,
  type ImportRequest,
  importBodyLength,
} from '../../src/copernica/import-body.js';
import { ESCAPE_SLICE } from '../../src/copernica/json-escape-stream.js';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { createRng } from '../helpers/prng.js';
import { escapedBytes, joinPieces } from './helpers/escaped.js';

/** The whole body, checked to be as long as the Content-Length the client would send for it. */
async function bodyOf(request: ImportRequest): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of createImportBody(request)) parts.push(Buffer.from(part));
  const body = Buffer.concat(parts);
  assert.equal(body.length, importBodyLength(request), 'the body is as long as its Content-Length');
  return body;
}

function inline(
  pieces: Array<string | Uint8Array>,
  format: 'csv' | 'json' = 'csv',
  delimiter?: string,
): ImportRequest {
  return {
    parameters: {
      database: 12,
      name: 'members abc',
      action: 'update or add',
      keyFields: ['Email'],
      skip: undefined,
    },
    source: {
      kind: 'inline',
      format,
      ...(delimiter === undefined ? {} : { delimiter }),
      bytes: escapedBytes(pieces),
      text: async function* () {
        yield* pieces;
      },
    },
  };
}

function expected(
  pieces: Array<string | Uint8Array>,
  format: 'csv' | 'json' = 'csv',
  delimiter?: string,
): Buffer {
  const params = {
    database: 12,
    name: 'members abc',
    action: 'update or add',
    keyFields: ['Email'],
    skip: undefined,
  };
  const object = {
    ...params,
    format,
    ...(delimiter === undefined ? {} : { delimiter }),
    source: joinPieces(pieces),
  };
  return Buffer.from(JSON.stringify(object), 'utf8');
}

const NASTY =
  'Email,Naam\n"a@b.nl","Zoë \\ \\"x\\" \t\r\n\u0000\u001f\u007f\u2028\u2029 €𝄞😀 \ud800 lone \udc00"\n';

describe('createImportBody', () => {
  it('equals JSON.stringify of the whole object byte for byte', async () => {
    assert.deepEqual(await bodyOf(inline([NASTY], 'csv', ',')), expected([NASTY], 'csv', ','));
  });

  it('is exact for every split of the text, including splits inside surrogate pairs', async () => {
    for (let cut = 0; cut <= NASTY.length; cut += 1) {
      const pieces = [NASTY.slice(0, cut), NASTY.slice(cut)];
      assert.deepEqual(await bodyOf(inline(pieces, 'csv', ';')), expected(pieces, 'csv', ';'), `cut ${cut}`);
    }
  });

  it('is exact for one-char pieces, empty pieces and a trailing lone high surrogate', async () => {
    const pieces = [...`${NASTY}\ud83d`].flatMap((c) => [c, '']);
    const chars = `${NASTY}😀\ud83d`.split('');
    assert.deepEqual(await bodyOf(inline(pieces)), expected(pieces));
    assert.deepEqual(await bodyOf(inline(chars)), expected(chars));
  });

  it('is exact for UTF-8 byte pieces split at every byte, multi-byte sequences included', async () => {
    const bytes = Buffer.from(NASTY.replace(/[\ud800-\udfff](?![\udc00-\udfff])/g, '?'), 'utf8');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const pieces = [bytes.subarray(0, cut), bytes.subarray(cut)];
      assert.deepEqual(await bodyOf(inline(pieces)), expected(pieces), `cut ${cut}`);
    }
    const single = [...bytes].map((b) => Uint8Array.of(b));
    assert.deepEqual(await bodyOf(inline(single)), expected(single));
  });

  it('escapes every ASCII char and characters of every UTF-8 length, given as bytes, like JSON.stringify', async () => {
    const text = `${String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i))}é\u00ff€\u2028\uffff😀`;
    const pieces = [Buffer.from(text, 'utf8')];
    assert.deepEqual(await bodyOf(inline(pieces)), expected(pieces));
  });

  it('is exact on seeded random UTF-8 bytes, dense and sparse in escapes, split at random places', async () => {
    const chars = [
      '"',
      '\\',
      '\n',
      '\t',
      '\u0000',
      '\u001f',
      '\u007f',
      'a',
      'z',
      ' ',
      'ë',
      '€',
      '😀',
      '\u2029',
    ];
    for (let seed = 1; seed <= 40; seed += 1) {
      const rng = createRng(seed);
      const share = seed % 2 === 0 ? 0.05 : 0.6;
      const text = Array.from({ length: seed * 500 }, () => (rng.chance(share) ? rng.pick(chars) : 'x'));
      const bytes = Buffer.from(text.join(''), 'utf8');
      const pieces: Uint8Array[] = [];
      for (let start = 0; start < bytes.length; ) {
        const end = start + 1 + rng.int(ESCAPE_SLICE * 2);
        pieces.push(bytes.subarray(start, end));
        start = end;
      }
      assert.deepEqual(await bodyOf(inline(pieces)), expected(pieces), `seed ${seed}`);
    }
  });

  it('mixes string and byte pieces, and turns invalid UTF-8 into U+FFFD like a decoder', async () => {
    const euro = Buffer.from('€', 'utf8');
    const pieces = [
      'a\ud83d',
      euro.subarray(0, 2),
      '"b"',
      Buffer.from([0x41, 0xff, 0x22, 0xc3]),
      'z',
      euro.subarray(0, 1),
    ];
    const body = await bodyOf(inline(pieces));
    assert.deepEqual(body, expected(pieces));
    assert.match(body.toString(), /\\ud83d\uFFFD/u);
  });

  it('sends a JSON source as a JSON string with format json', async () => {
    const text = '[{"email":"a@b.nl","n":"\\u00eb"}]';
    const body = await bodyOf(inline([text], 'json'));
    assert.deepEqual(body, expected([text], 'json'));
    assert.equal((JSON.parse(body.toString()) as { source: string }).source, text);
  });

  it('streams a large text in bounded chunks', async () => {
    const line = 'a@b.nl,"x ""y"""\n';
    const pieces = Array.from({ length: 40_000 }, () => line);
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    const request = inline(pieces);
    for await (const part of createImportBody(request)) {
      sizes.push(part.byteLength);
      parts.push(Buffer.from(part));
    }
    assert.deepEqual(Buffer.concat(parts), expected(pieces));
    assert.equal(Buffer.concat(parts).length, importBodyLength(request));
    assert.ok(sizes.length > 2 && Math.max(...sizes) < 1024 * 1024, `chunks ${sizes.length}`);
  });

  it('is exact for a large UTF-8 byte source split at odd places, inside characters too', async () => {
    const line = 'zoë@b.nl,"Zoë ""€"" 😀",\'s-Hertogenbosch,"a\\b\tc\u0001"\r\n';
    const bytes = Buffer.from(line.repeat(20_000), 'utf8'); // ~1 MiB: many escaper slices
    const pieces: Uint8Array[] = [];
    for (let start = 0, step = 1; start < bytes.length; step = ((step * 7919) % 300_007) + 1) {
      pieces.push(bytes.subarray(start, start + step));
      start += step;
    }
    assert.ok(pieces.length > 5);
    assert.deepEqual(await bodyOf(inline(pieces)), expected(pieces));
  });

  it('is exact for large string pieces, with surrogate pairs on the escaper slice seams', async () => {
    const unit = 'Zoë "€" 😀\t\\ x\u0001\r\n';
    const text = `${'a'.repeat(ESCAPE_SLICE - 1)}😀${unit.repeat(50_000)}${'b'.repeat(ESCAPE_SLICE - 2)}😀😀`;
    const cut = ESCAPE_SLICE * 2 + 1;
    const pieces = [text.slice(0, cut), text.slice(cut), `lone \ud800 ${unit.repeat(30_000)}`, text];
    assert.deepEqual(await bodyOf(inline(pieces)), expected(pieces));
  });

  it('escapes a source of ESCAPE_WORKER_BYTES or more on a worker thread, to the same bytes', async () => {
    const line = Buffer.from('zoë@b.nl,"Zoë ""€"" 😀",\'s-Hertogenbosch,"a\\b\tc"\r\n', 'utf8');
    const bytes = Buffer.concat(
      Array.from({ length: Math.ceil(ESCAPE_WORKER_BYTES / line.length) }, () => line),
    );
    const pieces = [bytes.subarray(0, 1_000_001), 'Zoë 😀\n', bytes.subarray(1_000_001)];
    const request = inline(pieces);
    assert.ok(request.source.kind === 'inline' && request.source.bytes >= ESCAPE_WORKER_BYTES);
    assert.deepEqual(await bodyOf(request), expected(pieces));
  });

  it('sends a location instead of a source, with its format and delimiter', async () => {
    const request: ImportRequest = {
      parameters: { database: 1, source: 'x', format: 'json' },
      source: { kind: 'location', url: 'https://h/f.csv', format: 'csv', delimiter: ';' },
    };
    const body = await bodyOf(request);
    assert.equal(
      body.toString(),
      '{"database":1,"format":"csv","delimiter":";","location":"https://h/f.csv"}',
    );
  });
});

describe('a source that changed since it was measured', () => {
  /** Pulls the body as undici would, keeping what was yielded before the failure. */
  async function pull(request: ImportRequest): Promise<{ sent: number; error: unknown }> {
    let sent = 0;
    try {
      for await (const part of createImportBody(request)) sent += part.byteLength;
    } catch (error) {
      return { sent, error };
    }
    return { sent, error: undefined };
  }

  const changed = (pieces: Array<string | Uint8Array>, declared: Array<string | Uint8Array>) => {
    const request = inline(pieces);
    if (request.source.kind === 'inline') request.source.bytes = escapedBytes(declared);
    return request;
  };

  it('fails with E_SOURCE_CHANGED before the body is complete when the source grew', async () => {
    for (const pieces of [['Email\na@b.nl\nc@d.nl\n'], ['Email\na@b.nl\n', 'c@d.nl\n']]) {
      const request = changed(pieces, ['Email\na@b.nl\n']);
      const { sent, error } = await pull(request);
      assert.ok(error instanceof CopernicaSyncError);
      assert.equal(error.code, 'E_SOURCE_CHANGED');
      assert.ok(error.hint);
      assert.ok(sent < importBodyLength(request), `sent ${sent} of ${importBodyLength(request)}`);
    }
  });

  it('fails with E_SOURCE_CHANGED on the worker thread path too, before the body is complete', async () => {
    const big = 'a@b.nl,"x ""y"""\n'.repeat(Math.ceil(ESCAPE_WORKER_BYTES / 16));
    const cases: Array<[string[], string[]]> = [
      [[big, 'c@d.nl\n'], [big]],
      [[big], [big, 'c@d.nl\n']],
    ];
    for (const [pieces, declared] of cases) {
      const request = changed(pieces, declared);
      const { sent, error } = await pull(request);
      assert.ok(error instanceof CopernicaSyncError);
      assert.equal(error.code, 'E_SOURCE_CHANGED');
      assert.ok(sent < importBodyLength(request), `sent ${sent} of ${importBodyLength(request)}`);
    }
  });

  it('fails with E_SOURCE_CHANGED before the closing bytes when the source shrank', async () => {
    const request = changed(['Email\na@b.nl\n'], ['Email\na@b.nl\nc@d.nl\n']);
    const { sent, error } = await pull(request);
    assert.ok(error instanceof CopernicaSyncError);
    assert.equal(error.code, 'E_SOURCE_CHANGED');
    assert.ok(sent < importBodyLength(request));
  });

  it('counts escaped bytes, not characters: same characters, other escapes, is a change', async () => {
    const request = changed(['a"b'], ['a-b']);
    assert.equal((await pull(request)).error instanceof CopernicaSyncError, true);
  });

  it('refuses to size a body whose source has no byte length', () => {
    const request = inline(['x']);
    if (request.source.kind === 'inline') request.source.bytes = Number.NaN;
    assert.throws(() => importBodyLength(request), { code: 'E_INTERNAL' });
  });
});
