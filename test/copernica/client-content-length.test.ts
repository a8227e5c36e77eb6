// Every request body goes with a Content-Length, never chunked, while the import body still streams from its
// source; a source that no longer escapes to the length measured fails without a complete body ever sent.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import type { ImportRequest } from '../../src/copernica/import-body.js';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { escapedBytes, inlineCsv, joinPieces, MEMBERS } from './helpers/escaped.js';
import { created, type RecordedRequest } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, listen, serve } from './helpers/test-client.js';

after(closeTestResources);

const inline = (pieces: Array<string | Uint8Array>, bytes?: number) => inlineCsv(MEMBERS, pieces, bytes);

function expectedBody(pieces: Array<string | Uint8Array>): Buffer {
  const object = { ...MEMBERS, format: 'csv', delimiter: ',', source: joinPieces(pieces) };
  return Buffer.from(JSON.stringify(object), 'utf8');
}

function assertLengthFramed(request: RecordedRequest | undefined): void {
  assert.ok(request, 'the request arrived');
  assert.equal(request.headers['content-length'], String(request.body.length));
  assert.equal(request.headers['transfer-encoding'], undefined);
}

const euro = Buffer.from('€', 'utf8');
const emoji = Buffer.from('😀', 'utf8');
const SOURCES: Array<[string, Array<string | Uint8Array>]> = [
  ['string pieces with escapes', ['Email,Naam\n', 'a@b.nl,"Zoë \\ ""x"" \t\u0001"\r\n', '\u2028/\n']],
  ['a surrogate pair split across string pieces', ['Email,Naam\na@b.nl,', '\ud83d', '\ude00\n']],
  ['UTF-8 byte pieces', [Buffer.from('Email,Naam\na@b.nl,"Zoë ""€"""\n', 'utf8')]],
  [
    'multi-byte characters split across byte pieces',
    [Buffer.from('Email\n€'), euro.subarray(0, 1), euro.subarray(1), emoji.subarray(0, 3), emoji.subarray(3)],
  ],
  [
    'bytes and strings mixed, with invalid UTF-8',
    ['a\ud83d', euro.subarray(0, 2), '"b"', Uint8Array.of(0xff)],
  ],
  ['an empty source', []],
];

describe('Content-Length on every request', () => {
  for (const [label, pieces] of SOURCES) {
    it(`POST imports: ${label}`, async () => {
      const server = await serve([created('4')]);
      const { client } = createTestClient(server.url);
      assert.deepEqual(await client.createImport(inline(pieces), { idempotent: true }), { id: '4' });
      assertLengthFramed(server.requests[0]);
      assert.deepEqual(server.requests[0]?.body, expectedBody(pieces));
    });
  }

  it('POST imports with a location, its format and delimiter', async () => {
    const server = await serve([created('5')]);
    const { client } = createTestClient(server.url);
    const request: ImportRequest = {
      parameters: MEMBERS,
      source: { kind: 'location', url: 'https://files.example/members.csv', format: 'csv', delimiter: ';' },
    };
    await client.createImport(request, { idempotent: true });
    assertLengthFramed(server.requests[0]);
    assert.deepEqual(JSON.parse(server.requests[0]?.body.toString() ?? ''), {
      ...MEMBERS,
      format: 'csv',
      delimiter: ';',
      location: 'https://files.example/members.csv',
    });
  });

  it('every try of a retried import, and the v4 authenticate form body', async () => {
    const server = await serve((request, index) => {
      if (request.path === '/auth') return { status: 200, body: 'aaa.bbb.ccc' };
      return index === 1 ? { status: 503, body: 'busy' } : created('6');
    });
    const { client } = createTestClient(server.url, { apiVersion: 4 });
    await client.createImport(inline(['Email\na@b.nl\n']), { idempotent: true });
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/auth', '/v4/imports', '/v4/imports'],
    );
    for (const request of server.requests) assertLengthFramed(request);
    assert.equal(server.requests[0]?.body.toString(), 'access_token=test-token-123');
  });
});

describe('a source that changed since its length was measured', () => {
  /** A server that records how much of each body arrived, even when the client gives up mid-body. */
  async function startCountingServer(): Promise<{
    url: string;
    bodies: Array<{ declared: number; got: number }>;
  }> {
    const bodies: Array<{ declared: number; got: number }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      const entry = { declared: Number(req.headers['content-length']), got: 0 };
      bodies.push(entry);
      req.on('data', (chunk: Buffer) => {
        entry.got += chunk.length;
      });
      req.on('end', () => res.writeHead(201, { 'x-created': '9' }).end());
      req.on('error', () => undefined);
    });
    return { url: await listen(server), bodies };
  }

  const big = 'a@b.nl,"x ""y"""\n'.repeat(50_000);
  for (const [label, pieces, declaredFrom] of [
    ['grew', [big, 'c@d.nl\n'], [big]],
    ['shrank', [big], [big, 'c@d.nl\n']],
    ['grew, as bytes', [Buffer.from(`${big}é`)], [big]],
  ] as Array<[string, Array<string | Uint8Array>, string[]]>) {
    it(`fails with E_SOURCE_CHANGED, not retried, no complete body sent: source ${label}`, async () => {
      const server = await startCountingServer();
      const { client, sleeps } = createTestClient(server.url);
      let tries = 0;
      const counted = inline(pieces, escapedBytes(declaredFrom));
      const { text } = counted.source as { text: () => AsyncIterable<string | Uint8Array> };
      Object.assign(counted.source, {
        text: () => {
          tries += 1;
          return text();
        },
      });
      await assert.rejects(
        client.createImport(counted, { idempotent: true }),
        (error: unknown) => error instanceof CopernicaSyncError && error.code === 'E_SOURCE_CHANGED',
      );
      assert.equal(tries, 1, 'not retried');
      assert.deepEqual(sleeps, []);
      for (const body of server.bodies)
        assert.ok(body.got < body.declared, `${body.got} of ${body.declared}`);
    });
  }
});

describe('the body streams while it goes with a length', () => {
  it('sends each piece before the source yields the next but one (the body is never held whole)', {
    timeout: 60_000,
  }, async () => {
    const PIECE = 1 << 20; // about that many bytes a piece
    const PIECES = 24;
    let received = 0;
    let wake: (() => void) | undefined;
    let declared = '';
    const server = createServer((req, res) => {
      declared = String(req.headers['content-length']);
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        wake?.();
      });
      req.on('end', () => res.writeHead(201, { 'x-created': '3' }).end());
    });
    const url = await listen(server);
    const untilReceived = async (bytes: number): Promise<void> => {
      while (received < bytes) await new Promise<void>((resolve) => (wake = resolve));
    };
    const line = Buffer.from('zoë@b.nl,"Zoë ""€"""\n'.repeat(PIECE / 32), 'utf8');
    const oneLine = escapedBytes([line]);
    const request: ImportRequest = {
      parameters: MEMBERS,
      source: {
        kind: 'inline',
        format: 'csv',
        bytes: oneLine * PIECES,
        text: async function* () {
          for (let i = 0; i < PIECES; i += 1) {
            // A client that held the body before sending it would wait here for ever.
            if (i >= 2) await untilReceived(oneLine * (i - 1));
            yield Buffer.from(line);
          }
        },
      },
    };
    const { client } = createTestClient(url);
    await client.createImport(request, { idempotent: true });
    assert.equal(String(received), declared);
    assert.ok(received > oneLine * PIECES);
  });
});
