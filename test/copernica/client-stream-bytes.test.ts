// UTF-8 byte sources over real HTTP: big bodies arrive exact, also when the server reads slowly (backpressure)
// and on a retry (a new body per try).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import type { ImportRequest } from '../../src/copernica/import-body.js';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { escapedBytes } from './helpers/escaped.js';
import { created } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, listen, serve } from './helpers/test-client.js';

after(closeTestResources);

const LINE = 'zoë@b.nl,"Zoë ""€"" 😀",\'s-Hertogenbosch,"a\\b\tc\u0001"\r\n';
/** 12 MiB: many read-sized pieces, escaper slices and socket writes. */
const BIG = Buffer.from(LINE.repeat(Math.ceil((12 << 20) / LINE.length)), 'utf8');
const PARAMETERS = { database: 3, name: 'n', action: 'update or add', keyFields: ['Email'] };

function bytesImport(bytes: Buffer, piece = 1 << 20, failAfter?: Error): ImportRequest {
  return {
    parameters: PARAMETERS,
    source: {
      kind: 'inline',
      format: 'csv',
      delimiter: ',',
      bytes: escapedBytes([bytes]),
      text: async function* () {
        for (let start = 0; start < bytes.length; start += piece) {
          if (failAfter && start > 0) throw failAfter;
          yield Buffer.from(bytes.subarray(start, start + piece)); // fresh, as a file read would give
        }
      },
    },
  };
}

function expectedBody(bytes: Buffer): Buffer {
  const object = { ...PARAMETERS, format: 'csv', delimiter: ',', source: bytes.toString('utf8') };
  return Buffer.from(JSON.stringify(object), 'utf8');
}

/** A server that reads the body in small bites with pauses, so the client must wait for the socket to drain. */
async function startSlowServer(): Promise<{ url: string; bodies: Buffer[] }> {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      req.pause();
      setImmediate(() => req.resume());
    });
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(201, { 'x-created': '5' }).end();
    });
  });
  return { url: await listen(server), bodies };
}

describe('byte sources over HTTP', () => {
  it('sends a big UTF-8 source exactly, to a server that reads slowly', async () => {
    const server = await startSlowServer();
    const { client } = createTestClient(server.url);
    assert.deepEqual(await client.createImport(bytesImport(BIG, 333_333), { idempotent: true }), { id: '5' });
    assert.equal(server.bodies.length, 1);
    assert.ok(server.bodies[0]?.equals(expectedBody(BIG)), 'the received body is the expected JSON');
  });

  it('re-creates the byte body for a retry: both tries carry the same exact body', async () => {
    const server = await serve([{ status: 503, body: 'busy' }, created('8')]);
    const { client } = createTestClient(server.url);
    assert.deepEqual(await client.createImport(bytesImport(BIG), { idempotent: true }), { id: '8' });
    assert.equal(server.requests.length, 2);
    for (const request of server.requests) assert.ok(request.body.equals(expectedBody(BIG)));
  });

  it('fails with the source error when reading bytes fails mid-upload', async () => {
    const server = await serve([created('1')]);
    const { client } = createTestClient(server.url);
    const broken = new CopernicaSyncError('E_SOURCE_READ', 'members.csv: disk on fire');
    await assert.rejects(
      client.createImport(bytesImport(BIG, 100_000, broken), { idempotent: true }),
      broken,
    );
    assert.equal(server.requests.length, 0, 'no complete request reached the server');
  });

  it('ends the source of a body the server answered early, so no file stays open', async () => {
    // answers 503 at once, without reading the body, and closes the connection mid-upload
    const url = await listen(
      createServer((_req, res) => res.writeHead(503, { connection: 'close' }).end('busy')),
    );
    let opened = 0;
    let ended = 0;
    const request: ImportRequest = {
      parameters: PARAMETERS,
      source: {
        kind: 'inline',
        format: 'csv',
        bytes: escapedBytes([BIG]),
        text: async function* () {
          opened += 1;
          try {
            for (let start = 0; start < BIG.length; start += 1 << 20)
              yield BIG.subarray(start, start + (1 << 20));
          } finally {
            ended += 1; // where a file source closes its file
          }
        },
      },
    };
    const { client } = createTestClient(url);
    await assert.rejects(client.createImport(request, { idempotent: true }));
    assert.ok(opened >= 1, 'the body was started');
    assert.equal(ended, opened, 'every try ended its source before createImport returned');
  });
});
