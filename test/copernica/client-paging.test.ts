// Lists are followed by the start, count and total the server answers, not by the limit asked for.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runPreflight } from '../../src/copernica/preflight.js';
import { type PagingRules, page, pageFor, type ScriptedServer } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, serve } from './helpers/test-client.js';

after(closeTestResources);

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ ID: String(i + 1), name: `f${i + 1}` }));
const asked = (server: ScriptedServer) =>
  server.requests.map((r) => [r.query.get('start'), r.query.get('limit'), r.query.get('total')]);

describe('paging', () => {
  it('asks 1000 at a time with total=true and stops at the total', async () => {
    const server = await serve((request) => pageFor(rows(1003), request));
    const { client } = createTestClient(server.url);
    const all = await client.listDatabases();
    assert.deepEqual(
      all.map((d) => d.ID),
      rows(1003).map((d) => d.ID),
    );
    assert.deepEqual(asked(server), [
      ['0', '1000', 'true'],
      ['1000', '1000', 'true'],
    ]);
  });

  for (const [label, rules] of [
    ['with a total', {}],
    ['without a total, reporting the limit it applied', { total: false }],
    ['without a total, reporting the limit asked', { total: false, reportLimit: 'asked' }],
  ] as Array<[string, PagingRules]>) {
    it(`follows a server that caps limit at 100, ${label}`, async () => {
      const server = await serve((request) => pageFor(rows(250), request, { cap: 100, ...rules }));
      const { client } = createTestClient(server.url);
      const fields = await client.getDatabaseFields(3);
      assert.deepEqual(
        fields.map((f) => f.name),
        rows(250).map((f) => f.name),
      );
      assert.deepEqual(
        server.requests.map((r) => r.query.get('start')),
        rules.total === false ? ['0', '100', '200', '250'] : ['0', '100', '200'],
      );
    });
  }

  it('stops at an empty page even when the total promised more', async () => {
    const server = await serve([
      page(rows(2), { total: 5 }),
      { body: JSON.stringify({ start: 2, limit: 1000, count: 0, total: 5, data: [] }) },
    ]);
    const { client } = createTestClient(server.url);
    assert.equal((await client.getCollections(3)).length, 2);
    assert.equal(server.requests.length, 2);
  });

  it('ends, without repeating items, on a server that keeps answering the same page', async () => {
    const server = await serve(() => page(rows(3), { total: undefined }));
    const { client } = createTestClient(server.url);
    assert.equal((await client.getCollectionFields(30)).length, 3);
    assert.equal(server.requests.length, 2);
  });

  it('ends on a server that echoes start but sends the same items again', async () => {
    const server = await serve((request) => {
      const body = { start: Number(request.query.get('start')), limit: 100, count: 2, data: rows(2) };
      return { body: JSON.stringify(body) };
    });
    const { client } = createTestClient(server.url);
    assert.equal((await client.getDatabaseFields(3)).length, 2);
    assert.equal(server.requests.length, 2);
  });

  it('refuses a list response without a data array', async () => {
    const server = await serve([{ body: '{"start":0,"count":0}' }]);
    const { client } = createTestClient(server.url);
    await assert.rejects(client.listDatabases(), { code: 'E_API_RESPONSE' });
  });

  it('counts profiles with limit=1&total=true', async () => {
    const server = await serve([
      { body: JSON.stringify({ start: 0, limit: 1, count: 1, total: '4321', data: [{}] }) },
    ]);
    const { client } = createTestClient(server.url);
    assert.equal(await client.countProfiles(7), 4321);
    assert.equal(server.requests[0]?.path, '/v3/database/7/profiles');
    assert.equal(server.requests[0]?.query.get('total'), 'true');
    assert.equal(server.requests[0]?.query.get('limit'), '1');
  });
});

describe('the pre-flight against a server that caps limit at 100', () => {
  it('finds a key field and columns beyond the first page of 250 fields', async () => {
    const fields = rows(250).map((f, i) => (i === 240 ? { ...f, name: 'Email' } : f));
    const databases = [{ ID: '3', name: 'Members' }];
    const server = await serve((request) => {
      if (request.path === '/v3/databases') return pageFor(databases, request, { cap: 100 });
      if (request.path === '/v3/database/3/fields') return pageFor(fields, request, { cap: 100 });
      return { body: JSON.stringify({ start: 0, limit: 1, count: 1, total: '5', data: [{}] }) };
    });
    const { client } = createTestClient(server.url);
    const result = await runPreflight(client, [
      {
        name: 'members',
        database: 'Members',
        keyFields: ['Email'],
        header: ['Email', 'f1', 'f250'],
        action: 'update or add',
        removeMissing: false,
        rows: 5,
        maxDeleteShare: 0.3,
      },
    ]);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.databaseIds.get('members'), 3);
  });
});
