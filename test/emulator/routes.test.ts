import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJwt } from '../../src/emulator/auth.js';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { call, postJson, TEST_SEED, v3 } from './helpers.js';

interface Page {
  start: number;
  limit: number;
  count: number;
  total?: number;
  data: Array<Record<string, unknown>>;
}

describe('emulator routes', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: TEST_SEED, token: 'test-token', importDelayMs: 0 });
  });
  after(() => emu.close());

  it('binds 127.0.0.1 on a free port and answers identity with string IDs', async () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await v3(emu, 'identity');
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json() as object), ['ID', 'name', 'description', 'company']);
  });

  it('answers a bad or missing token with 400 "Invalid access token"', async () => {
    for (const url of [`${emu.url}/v3/identity?access_token=nope`, `${emu.url}/v3/identity`]) {
      const r = await call(url);
      assert.equal(r.status, 400);
      assert.deepEqual(r.json(), { error: { message: 'Invalid access token' } });
    }
  });

  it('answers an unknown route or method with 400 "Invalid method"', async () => {
    for (const path of ['nothing', 'database/1/nothing', 'import', 'database/1/fields/x/y']) {
      const r = await v3(emu, path);
      assert.equal(r.status, 400, path);
      assert.deepEqual(r.json(), { error: { message: 'Invalid method' } });
    }
    assert.equal((await v3(emu, 'identity', { method: 'DELETE' })).status, 400);
  });

  it('ignores extra slashes', async () => {
    const r = await call(`${emu.url}//v3///database//1/?access_token=test-token`);
    assert.equal(r.status, 200);
    assert.equal((r.json() as { name: string }).name, 'Shop');
  });

  it('lists databases as a page, total only when asked', async () => {
    const plain = (await v3(emu, 'databases')).json() as Page;
    assert.deepEqual([plain.start, plain.limit, plain.count, plain.total], [0, 100, 2, undefined]);
    const db = plain.data[0] ?? {};
    assert.equal(db.ID, '1');
    assert.equal(db.archived, false);
    assert.match(String(db.created), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const withTotal = (await v3(emu, 'databases?total=true&limit=1&start=1')).json() as Page;
    assert.deepEqual([withTotal.start, withTotal.limit, withTotal.count, withTotal.total], [1, 1, 1, 2]);
    assert.equal(withTotal.data[0]?.name, 'Other');
  });

  it('finds a database by ID or name, and says "No database with supplied ID" otherwise', async () => {
    assert.equal(((await v3(emu, 'database/Shop')).json() as { ID: string }).ID, '1');
    for (const id of ['99', 'Nope']) {
      const r = await v3(emu, `database/${id}/fields`);
      assert.equal(r.status, 400);
      assert.deepEqual(r.json(), { error: { message: 'No database with supplied ID' } });
    }
  });

  it('lists fields, collections and collection fields', async () => {
    const fields = (await v3(emu, 'database/1/fields')).json() as Page;
    assert.deepEqual(
      fields.data.map((f) => [f.name, f.type]),
      [
        ['Email', 'email'],
        ['Name', 'text'],
        ['City', 'text'],
        ['Score', 'integer'],
      ],
    );
    const collections = (await v3(emu, 'database/1/collections')).json() as Page;
    assert.deepEqual(
      collections.data.map((c) => [c.ID, c.name, c.database]),
      [['7', 'Orders', '1']],
    );
    const sub = (await v3(emu, 'collection/7/fields')).json() as Page;
    assert.deepEqual(
      sub.data.map((f) => f.name),
      ['OrderID', 'Product', 'Status'],
    );
    assert.equal((await v3(emu, 'collection/99/fields')).status, 400);
  });

  it('lists profiles with paging, total and ordering', async () => {
    const page = (await v3(emu, 'database/1/profiles?start=1&limit=1&total=true')).json() as Page;
    assert.deepEqual([page.start, page.limit, page.count, page.total], [1, 1, 1, 3]);
    const profile = page.data[0] ?? {};
    assert.equal(profile.ID, '2');
    assert.equal(profile.database, '1');
    assert.equal(profile.removed, false);
    assert.deepEqual(profile.fields, { Email: 'bob@example.com', Name: 'Bob', City: 'Gent', Score: '20' });
    const desc = (await v3(emu, 'database/1/profiles?orderby=Name&order=desc')).json() as Page;
    assert.deepEqual(
      desc.data.map((p) => p.ID),
      ['3', '2', '1'],
    );
    const capped = (await v3(emu, 'database/1/profiles?limit=5000')).json() as Page;
    assert.equal(capped.limit, 1000);
  });

  it('filters profiles with fields[] and every operator', async () => {
    const ids = async (filters: string[]) => {
      const query = filters.map((f) => `fields[]=${encodeURIComponent(f)}`).join('&');
      return ((await v3(emu, `database/1/profiles?${query}`)).json() as Page).data.map((p) => p.ID);
    };
    assert.deepEqual(await ids(['email==BOB@example.com']), ['2']);
    assert.deepEqual(await ids(['City!=Utrecht']), ['2']);
    assert.deepEqual(await ids(['City<>Utrecht']), ['2']);
    assert.deepEqual(await ids(['Score>10']), ['2', '3']);
    assert.deepEqual(await ids(['Score>=20', 'Score<=20']), ['2']);
    assert.deepEqual(await ids(['Score<20']), ['1']);
    assert.deepEqual(await ids(['Email=~%@example.com', 'Name=~_nn']), ['1']);
    assert.deepEqual(await ids(['Name!~a%']), ['2', '3']);
  });

  it('lists profile IDs as strings and subprofiles of a collection', async () => {
    assert.deepEqual((await v3(emu, 'database/1/profileids')).json(), ['1', '2', '3']);
    const subs = (await v3(emu, 'collection/7/subprofiles')).json() as Page;
    assert.equal(subs.count, 1);
    assert.equal(subs.data[0]?.profile, '1');
    assert.deepEqual(subs.data[0]?.fields, { OrderID: 'A1', Product: 'Pen', Status: 'paid' });
  });

  it('creates an import with 201, an empty body and X-Created + X-location', async () => {
    const r = await postJson(emu, 'imports', {
      database: 2,
      action: 'add',
      source: 'Email\nz@example.com\n',
      format: 'csv',
    });
    assert.equal(r.status, 201);
    assert.equal(r.text, '');
    assert.match(String(r.headers['x-created']), /^\d+$/);
    assert.equal(r.headers['x-location'], `${emu.url}/v3/import/${String(r.headers['x-created'])}`);
    const view = (await v3(emu, `import/${String(r.headers['x-created'])}`)).json() as Record<
      string,
      unknown
    >;
    assert.equal(view.nextrun, false);
    assert.equal(typeof view.totallines, 'string');
  });

  it('refuses an invalid import body with "Invalid data provided" and an unknown database', async () => {
    const bodies = [
      { database: 1, action: 'update', source: 'Email\nx\n' },
      { database: 1, action: 'explode', keyFields: ['Email'], source: 'Email\nx\n' },
      { database: 1, action: 'add' },
      { database: 1, action: 'add', source: 'x', delimiter: '|' },
    ];
    for (const body of bodies) {
      const r = await postJson(emu, 'imports', body);
      assert.equal(r.status, 400);
      assert.match((r.json() as { error: { message: string } }).error.message, /^Invalid data provided: /);
    }
    const notJson = await v3(emu, 'imports', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    assert.match(notJson.text, /Invalid data provided/);
    const unknown = await postJson(emu, 'imports', { database: 42, action: 'add', source: 'Email\nx\n' });
    assert.deepEqual(unknown.json(), { error: { message: 'No database with supplied ID' } });
    assert.equal((await v3(emu, 'import/999')).status, 400);
  });

  it('accepts a form-encoded import body with keyFields[]', async () => {
    const body = 'database=2&action=update%20or%20add&keyFields[]=Email&source=Email%0Aform%40example.com%0A';
    const r = await v3(emu, 'imports', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 201);
  });

  it('never records the token in the request log', () => {
    assert.ok(emu.requests.length > 0);
    assert.ok(emu.requests.every((r) => !r.query.includes('test-token') && !r.path.includes('test-token')));
    assert.ok(emu.requests.some((r) => r.method === 'POST' && r.path === '/v3/imports' && r.bodySize > 0));
  });
});

describe('emulator v4 auth', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: TEST_SEED, token: 'v4-token', importDelayMs: 0 });
  });
  after(() => emu.close());

  it('issues a JWT for the form-encoded token and accepts it as a Bearer', async () => {
    const auth = await call(emu.authUrl, {
      method: 'POST',
      body: 'access_token=v4-token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(auth.status, 200);
    const jwt = auth.text;
    const [, payload] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { exp: number };
    assert.ok(claims.exp > Date.now() / 1000 + 23 * 3600);
    const r = await call(`${emu.url}/v4/database/1`, { headers: { authorization: `Bearer ${jwt}` } });
    assert.equal(r.status, 200);
  });

  it('refuses a wrong token and a forged or expired JWT', async () => {
    const auth = await call(emu.authUrl, { method: 'POST', body: 'access_token=wrong' });
    assert.deepEqual(auth.json(), { error: { message: 'Invalid access token' } });
    const now = Math.floor(Date.now() / 1000);
    const expired = createJwt('v4-token', now - 100_000);
    const forged = createJwt('other-token', now);
    for (const jwt of [expired, forged, 'a.b.c']) {
      const r = await call(`${emu.url}/v4/identity`, { headers: { authorization: `Bearer ${jwt}` } });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json(), { error: { message: 'Invalid access token' } });
    }
    const wrongQueryToken = await call(`${emu.url}/v4/identity?access_token=wrong`);
    assert.equal(wrongQueryToken.status, 400);
  });

  it('accepts the token in the query on v4, as Copernica’s own v4 examples send it', async () => {
    const r = await call(`${emu.url}/v4/database/1?access_token=v4-token`);
    assert.equal(r.status, 200);
    assert.equal((r.json() as { name: string }).name, 'Shop');
  });
});
