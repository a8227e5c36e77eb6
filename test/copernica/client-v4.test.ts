import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CopernicaSyncError } from '../../src/core/errors.js';
import type { RecordedRequest, Step } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, serve } from './helpers/test-client.js';

after(closeTestResources);

function makeJwt(expSeconds: number | undefined, serial: number): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part(expSeconds === undefined ? { n: serial } : { exp: expSeconds, n: serial })}.c2ln${serial}`;
}

/** Answers the auth URL with a fresh JWT each time, and API calls only with a known JWT. */
async function startV4(
  expSeconds: number | undefined,
  apiStep: (r: RecordedRequest) => Step = () => ({ body: '{"ID":"1","name":"acme"}' }),
) {
  const issued: string[] = [];
  const server = await serve((request) => {
    if (request.path === '/auth') {
      assert.equal(new URLSearchParams(request.body.toString()).get('access_token'), 'test-token-123');
      issued.push(makeJwt(expSeconds, issued.length + 1));
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: issued.at(-1) };
    }
    const bearer = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!issued.includes(bearer))
      return { status: 401, body: '{"error":{"message":"Invalid access token"}}' };
    return apiStep(request);
  });
  return { server, issued };
}

describe('v4 authentication', () => {
  it('fetches the JWT once and reuses it over sequential and concurrent calls', async () => {
    const { server, issued } = await startV4(Math.floor(Date.now() / 1000) + 3600);
    const { client, events } = createTestClient(server.url, { apiVersion: 4, authUrl: `${server.url}/auth` });
    await Promise.all([client.identity(), client.identity(), client.identity()]);
    await client.identity();
    assert.equal(issued.length, 1);
    const apiCalls = server.requests.filter((r) => r.path !== '/auth');
    assert.equal(apiCalls.length, 4);
    assert.ok(apiCalls.every((r) => r.path === '/v4/identity' && !r.url.includes('access_token')));
    assert.deepEqual(
      events.map((e) => e.type),
      ['auth'],
    );
  });

  it('fetches a new JWT once the old one is within 60 s of its exp', async () => {
    let clock = 1_000_000_000_000;
    const { server, issued } = await startV4(clock / 1000 + 600);
    const { client } = createTestClient(server.url, {
      apiVersion: 4,
      authUrl: `${server.url}/auth`,
      now: () => clock,
    });
    await client.identity();
    clock += 500_000;
    await client.identity();
    assert.equal(issued.length, 1);
    clock += 50_000; // 50 s before exp
    await client.identity();
    assert.equal(issued.length, 2);
  });

  it('keeps a JWT without exp for 23 h', async () => {
    let clock = 1_000_000_000_000;
    const { server, issued } = await startV4(undefined);
    const { client } = createTestClient(server.url, {
      apiVersion: 4,
      authUrl: `${server.url}/auth`,
      now: () => clock,
    });
    await client.identity();
    clock += 22 * 3600_000;
    await client.identity();
    assert.equal(issued.length, 1);
    clock += 2 * 3600_000;
    await client.identity();
    assert.equal(issued.length, 2);
  });

  it('refreshes the JWT once when the API answers 401 to a cached one', async () => {
    let rejectFirst = true;
    const { server, issued } = await startV4(Math.floor(Date.now() / 1000) + 3600, () => {
      if (!rejectFirst) return { body: '{"ID":"1","name":"acme"}' };
      rejectFirst = false;
      return { status: 401, body: '{"error":{"message":"expired"}}' };
    });
    const { client } = createTestClient(server.url, { apiVersion: 4, authUrl: `${server.url}/auth` });
    assert.deepEqual(await client.identity(), { ID: '1', name: 'acme' });
    assert.equal(issued.length, 2);
  });

  it('reports a refused token at the auth URL as E_API_AUTH after one request', async () => {
    const server = await serve([{ status: 400, body: 'invalid token' }]);
    const { client } = createTestClient(server.url, { apiVersion: 4, authUrl: `${server.url}/auth` });
    await assert.rejects(
      client.identity(),
      (e: unknown) => e instanceof CopernicaSyncError && e.code === 'E_API_AUTH',
    );
    assert.equal(server.requests.length, 1);
  });
});
