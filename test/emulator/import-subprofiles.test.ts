import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { runImport, TEST_SEED } from './helpers.js';

const KEYS = ['Email', 'Orders.OrderID'];

describe('emulator imports: subprofiles through Collection.Field', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ seed: TEST_SEED, token: 't', importDelayMs: 0 });
  });
  afterEach(() => emu.close());

  const orders = (email: string) =>
    (emu.listProfiles('Shop').find((p) => p.fields.Email === email)?.subprofiles.Orders ?? []).map(
      (s) => s.fields,
    );

  it('update or add updates a matching subprofile and creates the others under the right profile', async () => {
    const done = await runImport(emu, {
      action: 'update or add',
      keyFields: KEYS,
      source:
        'Email,Orders.OrderID,Orders.Status\n' +
        'ann@example.com,A1,shipped\n' +
        'ann@example.com,A2,paid\n' +
        'bob@example.com,B1,paid\n' +
        'new@example.com,N1,paid\n',
    });
    assert.equal(done.status, 'finished');
    assert.deepEqual(orders('ann@example.com'), [
      { OrderID: 'A1', Product: 'Pen', Status: 'shipped' },
      { OrderID: 'A2', Product: '', Status: 'paid' },
    ]);
    assert.deepEqual(orders('bob@example.com'), [{ OrderID: 'B1', Product: '', Status: 'paid' }]);
    assert.deepEqual(orders('new@example.com'), [{ OrderID: 'N1', Product: '', Status: 'paid' }]);
    assert.deepEqual(emu.summarize()[0], {
      id: 1,
      database: 'Shop',
      profiles: 4,
      subprofiles: 4,
      collections: { Orders: 4 },
    });
  });

  it('a second run of the same data changes nothing (keys are idempotent)', async () => {
    const body = {
      action: 'update or add',
      keyFields: KEYS,
      source: 'Email,Orders.OrderID\nbob@example.com,B1\n',
    };
    await runImport(emu, body);
    await runImport(emu, body);
    assert.equal(orders('bob@example.com').length, 1);
  });

  it('update only touches existing subprofiles; ignore or add only creates', async () => {
    await runImport(emu, {
      action: 'update',
      keyFields: KEYS,
      source: 'Email,Orders.OrderID,Orders.Status\nann@example.com,A1,refunded\nann@example.com,A9,paid\n',
    });
    assert.deepEqual(
      orders('ann@example.com').map((o) => [o.OrderID, o.Status]),
      [['A1', 'refunded']],
    );
    await runImport(emu, {
      action: 'ignore or add',
      keyFields: KEYS,
      source: 'Email,Orders.OrderID,Orders.Status\nann@example.com,A1,lost\nann@example.com,A9,paid\n',
    });
    assert.deepEqual(
      orders('ann@example.com').map((o) => [o.OrderID, o.Status]),
      [
        ['A1', 'refunded'],
        ['A9', 'paid'],
      ],
    );
  });

  it('delete with deleteTarget subprofile removes only the subprofile', async () => {
    await runImport(emu, {
      action: 'delete',
      deleteTarget: 'subprofile',
      keyFields: KEYS,
      source: 'Email,Orders.OrderID\nann@example.com,A1\n',
    });
    assert.deepEqual(orders('ann@example.com'), []);
    assert.equal(emu.summarize()[0]?.profiles, 3);
  });

  it('delete with deleteTarget profile removes the profile that holds the subprofile', async () => {
    await runImport(emu, {
      action: 'delete',
      deleteTarget: 'profile',
      keyFields: KEYS,
      source: 'Email,Orders.OrderID\nann@example.com,A1\nbob@example.com,A1\n',
    });
    assert.deepEqual(
      emu.listProfiles(1).map((p) => p.fields.Email),
      ['bob@example.com', 'cas@example.com'],
    );
  });

  it('deleteTarget subprofile without a Collection.Field key fails the import', async () => {
    const done = await runImport(emu, {
      action: 'delete',
      deleteTarget: 'subprofile',
      keyFields: ['Email'],
      source: 'Email\nann@example.com\n',
    });
    assert.match(String(done.lasterror), /Collection\.Field/);
  });

  it('removeMissing with a subprofile key deletes the absent subprofiles, not profiles', async () => {
    await runImport(emu, {
      action: 'update or add',
      keyFields: KEYS,
      source: 'Email,Orders.OrderID\nann@example.com,A2\nann@example.com,A3\n',
    });
    await runImport(emu, {
      action: 'update or add',
      keyFields: KEYS,
      removeMissing: true,
      source: 'Email,Orders.OrderID\nann@example.com,A3\n',
    });
    assert.deepEqual(
      orders('ann@example.com').map((o) => o.OrderID),
      ['A3'],
    );
    assert.equal(emu.summarize()[0]?.profiles, 3);
  });

  it('subprofile columns without a subprofile key add a subprofile to each row profile', async () => {
    await runImport(emu, {
      action: 'update',
      keyFields: ['Email'],
      source: 'Email,Name,Orders.OrderID\ncas@example.com,Cas,C1\ncas@example.com,Cas,\n',
    });
    assert.deepEqual(
      orders('cas@example.com').map((o) => o.OrderID),
      ['C1'],
    );
  });

  it('key fields from two collections fail the import', async () => {
    const seed = structuredClone(TEST_SEED);
    seed.databases[0]?.collections?.push({ id: 8, name: 'Returns', fields: ['ReturnID'] });
    const other = await startEmulator({ seed, token: 't', importDelayMs: 0 });
    try {
      const done = await runImport(other, {
        action: 'update or add',
        keyFields: ['Email', 'Orders.OrderID', 'Returns.ReturnID'],
        source: 'Email,Orders.OrderID,Returns.ReturnID\na@example.com,1,2\n',
      });
      assert.match(String(done.lasterror), /one collection/);
    } finally {
      await other.close();
    }
  });
});
