import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ImportRequest } from '../../src/copernica/import-body.js';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { escapedBytes, inlineCsv, MEMBERS } from './helpers/escaped.js';
import { created } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, serve } from './helpers/test-client.js';

const HTML_503 =
  '<html><head><title>503</title></head><body>\n  <h1>Loadbalancer   Error</h1>\n <p>try later</p></body></html>';
after(closeTestResources);

const csvImport = (): ImportRequest => inlineCsv(MEMBERS, ['Email\na@b.nl\n']);

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function rejection(promise: Promise<unknown>): Promise<CopernicaSyncError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CopernicaSyncError, String(error));
    return error;
  }
  assert.fail('expected a rejection');
}

describe('client retries over real HTTP', () => {
  it('retries 503 with an HTML body twice, then succeeds on 201', async () => {
    const server = await serve([
      { status: 503, body: HTML_503 },
      { status: 503, body: HTML_503 },
      created('77'),
    ]);
    const { client, sleeps, events } = createTestClient(server.url);
    assert.deepEqual(await client.createImport(csvImport(), { idempotent: false }), { id: '77' });
    assert.equal(server.requests.length, 3);
    assert.equal(sleeps.length, 2);
    assert.deepEqual(
      events.map((e) => e.type),
      ['retry', 'retry'],
    );
    assert.match(JSON.stringify(events[0]), /HTTP 503: 503 Loadbalancer Error try later/);
    const bodies = server.requests.map((r) => r.body.toString());
    assert.ok(
      bodies.every((b) => b === bodies[0] && b.length > 0),
      'every try sends the whole body again',
    );
  });

  it('waits Retry-After on 429', async () => {
    const server = await serve([{ status: 429, headers: { 'retry-after': '3' } }, created('5')]);
    const { client, sleeps } = createTestClient(server.url);
    await client.createImport(csvImport(), { idempotent: false });
    assert.deepEqual(sleeps, [3000]);
  });

  it('retries a connection dropped after the body was sent for update or add', async () => {
    const server = await serve([{ drop: true }, created('9')]);
    const { client } = createTestClient(server.url);
    assert.deepEqual(await client.createImport(csvImport(), { idempotent: true }), { id: '9' });
    assert.equal(server.requests.length, 2);
  });

  it('does not retry a dropped connection for add: may or may not have been imported', async () => {
    const server = await serve([{ drop: true }, created('9')]);
    const { client } = createTestClient(server.url);
    const error = await rejection(client.createImport(csvImport(), { idempotent: false }));
    assert.equal(error.code, 'E_API_UNKNOWN_OUTCOME');
    assert.match(error.message, /may or may not have been imported/);
    assert.equal(error.exitCode, 1);
    assert.equal(server.requests.length, 1);
  });

  it('does not retry 500 and shows Copernica’s message', async () => {
    const server = await serve([{ status: 500, body: '{"error":{"message":"Internal failure X"}}' }]);
    const { client } = createTestClient(server.url);
    const error = await rejection(client.createImport(csvImport(), { idempotent: true }));
    assert.equal(error.code, 'E_API_STATUS');
    assert.match(error.message, /HTTP 500: Internal failure X/);
    assert.equal(server.requests.length, 1);
  });

  it('stops at once on "Invalid access token"', async () => {
    const server = await serve([{ status: 400, body: '{"error":{"message":"Invalid access token"}}' }]);
    const { client } = createTestClient(server.url);
    const error = await rejection(client.identity());
    assert.equal(error.code, 'E_API_AUTH');
    assert.equal(server.requests.length, 1);
  });

  it('times out slow headers: retried for a GET, unknown outcome for add', async () => {
    const server = await serve([{ delayMs: 5000 }, { delayMs: 5000 }, { delayMs: 5000 }]);
    const { client } = createTestClient(server.url, {
      timeoutMs: 150,
      retry: { attempts: 2, maxDelayMs: 1000 },
    });
    const started = Date.now();
    const getError = await rejection(client.identity());
    assert.equal(getError.code, 'E_API_TIMEOUT');
    assert.equal(server.requests.length, 2);
    const addError = await rejection(client.createImport(csvImport(), { idempotent: false }));
    assert.equal(addError.code, 'E_API_UNKNOWN_OUTCOME');
    assert.equal(server.requests.length, 3);
    assert.ok(Date.now() - started < 3000, 'timeouts fire near timeoutMs, not at undici’s 1 s tick');
  });

  it('retries a refused connection and reports E_API_NETWORK at the end', async () => {
    const server = await serve([]);
    await server.close();
    const { client, sleeps } = createTestClient(server.url, { retry: { attempts: 3, maxDelayMs: 1000 } });
    const error = await rejection(client.createImport(csvImport(), { idempotent: false }));
    assert.equal(error.code, 'E_API_NETWORK');
    assert.match(error.message, /before the request was sent.*ECONNREFUSED/);
    assert.equal(sleeps.length, 2);
  });

  it('streams the body: the server receives exactly the expected JSON', async () => {
    const server = await serve([created('1')]);
    const { client } = createTestClient(server.url);
    const pieces = ['Email,Naam\n', 'a@b.nl,"Zoë \\ \t', '\ud83d', '\ude00"\n', 'c@d.nl,\u0001x\n'];
    const progress: number[] = [];
    const parameters = { database: 3, name: 'n', action: 'add', keyFields: [], removeMissing: false };
    const request = inlineCsv(parameters, pieces);
    await client.createImport(request, { idempotent: false, onProgress: (n) => progress.push(n) });
    const expected = JSON.stringify({
      ...request.parameters,
      format: 'csv',
      delimiter: ',',
      source: pieces.join(''),
    });
    const [received] = server.requests;
    assert.deepEqual(received?.body, Buffer.from(expected));
    assert.equal(received?.headers['content-type'], 'application/json');
    assert.equal(received?.headers['content-length'], String(Buffer.byteLength(expected)));
    assert.equal(received?.headers['transfer-encoding'], undefined);
    assert.equal(received?.path, '/v3/imports');
    assert.equal(received?.query.get('access_token'), 'test-token-123');
    assert.equal(progress.at(-1), Buffer.byteLength(expected));
  });

  it('fails at once, with the source’s own error, when reading the source fails mid-upload', async () => {
    const server = await serve([created('1'), created('2')]);
    const { client } = createTestClient(server.url);
    const broken = new CopernicaSyncError('E_SOURCE_READ', 'members.csv: disk on fire');
    const request: ImportRequest = {
      parameters: { database: 3, name: 'n', action: 'update or add', keyFields: ['Email'] },
      source: {
        kind: 'inline',
        format: 'csv',
        bytes: escapedBytes(['Email\n'.repeat(200_000)]),
        text: async function* () {
          yield 'Email\n'.repeat(100_000);
          throw broken;
        },
      },
    };
    const error = await rejection(client.createImport(request, { idempotent: true }));
    assert.equal(error, broken);
    assert.equal(server.requests.length, 0, 'no complete request reached the server');
  });

  it('stops at once with E_ABORTED (exit 130) when the caller aborts', async () => {
    const server = await serve([{ delayMs: 5000 }, created('2')]);
    const controller = new AbortController();
    const { client } = createTestClient(server.url, { signal: controller.signal });
    const pending = rejection(client.createImport(csvImport(), { idempotent: true }));
    await until(() => server.requests.length === 1);
    controller.abort();
    const error = await pending;
    assert.deepEqual([error.code, error.exitCode], ['E_ABORTED', 130]);
    assert.match(error.message, /may or may not have been imported/);
    assert.equal(server.requests.length, 1);
  });

  it('refuses plain http to a non-loopback host before any request', () => {
    for (const baseUrl of ['http://api.copernica.com', 'http://10.0.0.1:8080', 'ftp://127.0.0.1']) {
      assert.throws(
        () => createTestClient(baseUrl),
        (e: unknown) => e instanceof CopernicaSyncError && e.code === 'E_API_INSECURE_URL',
      );
    }
    assert.throws(
      () =>
        createTestClient('https://api.copernica.com', {
          apiVersion: 4,
          authUrl: 'http://authenticate.copernica.com',
        }),
      (e: unknown) => e instanceof CopernicaSyncError && e.code === 'E_API_INSECURE_URL' && e.exitCode === 1,
    );
    for (const ok of [
      'https://api.copernica.com',
      'http://localhost:1',
      'http://127.0.0.9:1',
      'http://[::1]:1',
    ]) {
      createTestClient(ok);
    }
  });
});
