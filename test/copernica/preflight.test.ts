import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { checkDeleteShare, type PreflightImport, runPreflight } from '../../src/copernica/preflight.js';
import { matchName } from '../../src/copernica/remote-catalog.js';
import { page, type Step } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, serve } from './helpers/test-client.js';

after(closeTestResources);

const fields = (...names: string[]) =>
  page(names.map((name, i) => ({ ID: String(i + 1), name, type: 'text' })));
const ROUTES: Record<string, Step> = {
  '/v3/databases': page([
    { ID: '3', name: 'Members' },
    { ID: '4', name: 'Small' },
    { ID: '5', name: 'Leads' },
  ]),
  '/v3/database/5/fields': fields('email', 'firstname'),
  '/v3/database/5/collections': page([{ ID: '50', name: 'orders', database: '5' }]),
  '/v3/collection/50/fields': fields('orderid'),
  '/v3/database/5/profiles': { body: '{"start":0,"limit":1,"count":1,"total":"3","data":[{}]}' },
  '/v3/database/3/fields': fields('Email', 'Name', 'City'),
  '/v3/database/4/fields': fields('Email'),
  '/v3/database/3/collections': page([{ ID: '30', name: 'Orders', database: '3' }]),
  '/v3/collection/30/fields': fields('OrderId', 'Total'),
  '/v3/database/3/profiles': { body: '{"start":0,"limit":1,"count":1,"total":"1000","data":[{}]}' },
  '/v3/database/4/profiles': { body: '{"start":0,"limit":1,"count":1,"total":"9","data":[{}]}' },
};

function item(name: string, extra: Partial<PreflightImport> = {}): PreflightImport {
  return {
    name,
    database: 'Members',
    keyFields: ['Email'],
    header: ['Email', 'Name'],
    action: 'update or add',
    removeMissing: false,
    rows: 900,
    maxDeleteShare: 0.3,
    position: { file: 'imports.yaml', line: 3, column: 3 },
    ...extra,
  };
}

async function preflight(imports: PreflightImport[]) {
  const server = await serve(
    (request) => ROUTES[request.path] ?? { status: 400, body: '{"error":{"message":"Invalid method"}}' },
  );
  const { client } = createTestClient(server.url);
  return { result: await runPreflight(client, imports), server };
}

describe('runPreflight', () => {
  it('resolves names and IDs, caches lookups per database and reports nothing for good imports', async () => {
    const { result, server } = await preflight([
      item('a'),
      item('b', {
        database: 3,
        keyFields: ['Email', 'Orders.OrderId'],
        header: ['Email', 'Orders.OrderId', 'Orders.Total', 'interest.News'],
      }),
      item('c', { database: '3' }),
    ]);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      [...result.databaseIds],
      [
        ['a', 3],
        ['b', 3],
        ['c', 3],
      ],
    );
    assert.deepEqual([...result.liveCounts], [[3, 1000]]);
    const paths = server.requests.map((r) => r.path);
    assert.equal(paths.filter((p) => p === '/v3/database/3/fields').length, 1);
    assert.equal(paths.filter((p) => p === '/v3/database/3/profiles').length, 1);
    assert.equal(paths.filter((p) => p === '/v3/collection/30/fields').length, 1);
  });

  it('reports unknown databases with the existing names, bad key fields and unknown columns', async () => {
    const { result } = await preflight([
      item('nodb', { database: 'Nope' }),
      item('noid', { database: 99 }),
      item('badkey', {
        keyFields: ['Mail', 'Orders.Nope', 'Returns.Id'],
        header: ['Email', 'Extra', 'Orders.Bad'],
      }),
    ]);
    const codes = result.diagnostics.map((d) => [d.importName, d.severity, d.code]);
    assert.deepEqual(codes, [
      ['nodb', 'error', 'E_REMOTE_DATABASE'],
      ['noid', 'error', 'E_REMOTE_DATABASE'],
      ['badkey', 'error', 'E_REMOTE_KEY_FIELD'],
      ['badkey', 'error', 'E_REMOTE_KEY_FIELD'],
      ['badkey', 'error', 'E_REMOTE_KEY_FIELD'],
      ['badkey', 'warning', 'E_REMOTE_UNKNOWN_COLUMN'],
      ['badkey', 'warning', 'E_REMOTE_UNKNOWN_COLUMN'],
    ]);
    assert.match(result.diagnostics[0]?.hint ?? '', /Members \(3\), Small \(4\), Leads \(5\)/);
    assert.match(result.diagnostics[4]?.message ?? '', /no collection "Returns"/);
    assert.deepEqual(result.diagnostics[0]?.position, { file: 'imports.yaml', line: 3, column: 3 });
    assert.equal(result.databaseIds.has('nodb'), false);
  });

  it('refuses removeMissing or delete beyond maxDeleteShare of the live database', async () => {
    const { result } = await preflight([
      item('prune', { removeMissing: true, rows: 600 }),
      item('prune-ok', { removeMissing: true, rows: 700 }),
      item('wipe', { action: 'delete', rows: 301 }),
      item('small', { database: 'Small', removeMissing: true, rows: 0 }),
    ]);
    assert.deepEqual([...result.refusals.keys()], ['prune', 'wipe']);
    const [refusal] = result.refusals.get('prune') ?? [];
    assert.equal(refusal?.code, 'E_GUARD_DELETE_SHARE');
    assert.match(refusal?.message ?? '', /400 of 1000/);
    assert.match(refusal?.hint ?? '', /--allow-destructive/);
  });
});

describe('names that differ only in letter case', () => {
  it('passes with E_REMOTE_NAME_CASE warnings naming both spellings, never errors', async () => {
    const { result } = await preflight([
      item('leads', {
        database: 'LEADS',
        keyFields: ['Email'],
        header: ['Email', 'FirstName', 'Orders.OrderID', 'firstname'],
      }),
    ]);
    assert.equal(result.databaseIds.get('leads'), 5);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code]),
      Array.from({ length: 4 }, () => ['warning', 'E_REMOTE_NAME_CASE']),
    );
    const messages = result.diagnostics.map((d) => d.message);
    assert.ok(messages.some((m) => m.includes('"LEADS"') && m.includes('"Leads"')));
    assert.ok(messages.some((m) => m.includes('"Email"') && m.includes('"email"')));
    assert.ok(messages.some((m) => m.includes('"FirstName"') && m.includes('"firstname"')));
    assert.ok(messages.some((m) => m.includes('"Orders.OrderID"') && m.includes('"orders.orderid"')));
    assert.ok(result.diagnostics.every((d) => d.hint && d.position));
  });

  it('keeps an exact name over one that differs only in case', () => {
    assert.equal(matchName(['email', 'Email'], 'Email'), 'Email');
    assert.equal(matchName(['email', 'Email'], 'EMAIL'), 'email');
    assert.equal(matchName(['Email'], 'Mail'), undefined);
  });
});

describe('checkDeleteShare', () => {
  it('applies from 10 live profiles on, with the lower bound of deletions', () => {
    const prune = item('p', { removeMissing: true, rows: 0, maxDeleteShare: 0.5 });
    assert.equal(checkDeleteShare(prune, 9).length, 0);
    assert.equal(checkDeleteShare(prune, 10).length, 1);
    assert.equal(checkDeleteShare({ ...prune, rows: 5 }, 10).length, 0);
    assert.equal(checkDeleteShare({ ...prune, rows: 50 }, 10).length, 0);
    const both = item('d', { action: 'delete', removeMissing: true, rows: 6, maxDeleteShare: 0.3 });
    assert.equal(checkDeleteShare(both, 10).length, 2);
  });
});
